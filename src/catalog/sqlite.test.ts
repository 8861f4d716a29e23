import { describe, expect, it } from 'vitest';
import { NewsmirrorError } from '../domain/errors.js';
import { loadDriver, openDatabase } from './sqlite.js';

describe('the SQLite driver', () => {
  it('is the one for this Node, and opens a database', () => {
    const { name } = loadDriver();
    expect(name).toBe(Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-node-api' : 'better-sqlite3');
    const db = openDatabase(':memory:');
    expect(db.prepare('SELECT 1 + 1 AS two').get()).toEqual({ two: 2 });
    db.close();
  });

  it('takes 13 first from Node 22, 12 up to Node 23, and never 12 from Node 24, where it aborts', () => {
    const asked: string[] = [];
    const only = (installed: string) => (name: string) => {
      asked.push(name);
      if (name !== installed) throw new Error(`Cannot find module '${name}'`);
      return {};
    };
    expect(loadDriver('22.23.3', only('better-sqlite3')).name).toBe('better-sqlite3');
    expect(asked).toEqual(['better-sqlite3-node-api', 'better-sqlite3']);
    expect(loadDriver('20.20.2', only('better-sqlite3')).name).toBe('better-sqlite3');
    expect(loadDriver('26.1.0', only('better-sqlite3-node-api')).name).toBe('better-sqlite3-node-api');
    expect(() => loadDriver('24.21.0', only('better-sqlite3'))).toThrowError(NewsmirrorError);
  });

  it('says in one line what to install when none is there, and on Node 22+ what npm ci needs to keep 13', () => {
    const none = (name: string) => {
      throw new Error(`Cannot find module '${name}'\nRequire stack:\n- x`);
    };
    expect(() => loadDriver('24.21.0', none)).toThrowError(
      "newsmirror needs better-sqlite3 13 (npm:better-sqlite3@13, installed as better-sqlite3-node-api) on Node 24.21.0, and it is not installed: run npm ci (or npm install) again with this Node; npm ci runs node-gyp for it, which needs python3, make and Node's headers (downloaded from nodejs.org), and drops it silently without them (better-sqlite3-node-api: Cannot find module 'better-sqlite3-node-api')",
    );
    expect(() => loadDriver('20.20.2', none)).toThrowError(/^newsmirror needs better-sqlite3 12 \(compiled on install: needs python3, make and g\+\+\) on Node 20\.20\.2, and it is not installed: .*[^\n]$/);
  });
});
