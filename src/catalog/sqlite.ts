import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { NewsmirrorError } from '../domain/errors.js';

/*
 * The SQLite driver, better-sqlite3, in the major version that works on this
 * Node. 12 (V8's C++ API, compiled for each Node) runs on Node 20, but on
 * Node 24 and later it aborts the process (`Assertion failed: (env) !=
 * nullptr` in Statement::~Statement) when the garbage collector frees a
 * statement outside a context, as a worker thread's teardown does:
 * reported upstream and not fixed in 12. 13 (Node-API, prebuilt binaries in
 * the package) runs on Node 22 and later but not on 20. package.json has both
 * as optional dependencies (npm installs only the one whose `engines` fits:
 * 12 as `better-sqlite3`, 13 as `better-sqlite3-node-api`); this module picks
 * the one installed, 13 first. Only this module loads the driver.
 */

export type Database = BetterSqlite3.Database;
export type Statement = BetterSqlite3.Statement<unknown[]>;
type Driver = typeof BetterSqlite3;

const require = createRequire(import.meta.url);

/**
 * The driver for Node `version`, loaded with `load` (require): 13 first from
 * Node 22, 12 on Node 20 to 23. Exported for its test.
 */
export function loadDriver(version = process.versions.node, load: (name: string) => unknown = require): { name: string; module: Driver } {
  const major = Number(version.split('.')[0]);
  const tried: string[] = [];
  const candidates = major >= 22 ? ['better-sqlite3-node-api', ...(major < 24 ? ['better-sqlite3'] : [])] : ['better-sqlite3'];
  for (const name of candidates) {
    try {
      return { name, module: load(name) as Driver };
    } catch (error) {
      tried.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  // npm installs 13 only on Node 22 and later, and from a package-lock.json (npm ci) it runs node-gyp
  // for it despite its gypfile: false (npm/cli#3341): a step that builds nothing there, but needs
  // python3, make and Node's headers, and whose failure drops the package without a word.
  const which = major >= 22 ? 'better-sqlite3 13 (npm:better-sqlite3@13, installed as better-sqlite3-node-api)' : 'better-sqlite3 12 (compiled on install: needs python3, make and g++)';
  const why = major >= 22 ? '; npm ci runs node-gyp for it, which needs python3, make and Node\'s headers (downloaded from nodejs.org), and drops it silently without them' : '';
  throw new NewsmirrorError('sqlite_missing', `newsmirror needs ${which} on Node ${version}, and it is not installed: run npm ci (or npm install) again with this Node${why} (${tried.join('; ')})`);
}

let driver: { module: Driver; path: string } | undefined;

function loaded(): { module: Driver; path: string } {
  if (!driver) {
    const { name, module } = loadDriver();
    driver = { module, path: require.resolve(name) };
  }
  return driver;
}

/** The driver's main file, for a child process that must open the files as this one does (tests). */
export function driverPath(): string {
  return loaded().path;
}

/** Opens (creating) a database file, or `:memory:`. */
export function openDatabase(file: string, options?: BetterSqlite3.Options): Database {
  return new (loaded().module)(file, options);
}
