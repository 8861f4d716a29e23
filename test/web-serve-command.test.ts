import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCommand } from '../src/cli/serve-command.js';
import type { Output } from '../src/cli/output.js';
import { buildReaderFixture } from '../src/web/testing/reader-fixture.js';
import { runCli } from './helpers/run-cli.js';

describe('newsmirror serve', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-serve-'));
    await buildReaderFixture(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('listens on 127.0.0.1 unless told otherwise, answers, and stops when asked', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const io: Output = { out, err: new PassThrough(), interactive: false };
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = serveCommand(['--archive', join(dir, 'archive'), '--port', '0'], io, () => stopped);
    await expect.poll(() => printed).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(printed)![0];
    const home = await fetch(`${url}index.html`);
    expect([home.status, home.headers.get('x-content-type-options')]).toEqual([200, 'nosniff']);
    const html = await home.text();
    // No config file beside the archive: the built-in sources show only where the archive has their articles.
    expect(html).toContain('sources/news/index.html');
    expect(html).not.toContain('sources/rfi/index.html');
    stop();
    expect(await running).toBe(0);
    await expect(fetch(`${url}index.html`)).rejects.toThrow();
  });

  it('refuses a bad port and a missing archive in one line', async () => {
    const port = await runCli(['serve', '--port', '99999']);
    expect([port.code, port.stderr]).toEqual([1, 'newsmirror serve: --port 99999: must be a port number from 0 to 65535\n']);
    const missing = await runCli(['serve', '--archive', join(dir, 'nope'), '--port', '0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`newsmirror serve: ${join(dir, 'nope')}: no such archive folder (give it with --archive DIR)\n`);
  });
});
