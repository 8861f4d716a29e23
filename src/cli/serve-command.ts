import { NewsmirrorError } from '../domain/errors.js';
import { loadReaderConfig } from '../publish/reader-archive.js';
import { startReader } from '../web/start-reader.js';
import { readerSearch } from '../web/reader-search.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { requireArchiveFolder } from './reader-archive-folder.js';
import { printJson, println, type Output } from './output.js';

export const SERVE_HELP = `Usage: newsmirror serve [--archive DIR] [--config FILE] [--port 8080] [--host 127.0.0.1] [--json]

Serves the archive as a website for reading: the sources with their counts,
newest titles and health; each source newest first, paged, with a month
archive; each article cleaned, with its time in the archive's time zone,
the original link and its archived images; search; Atom feeds
(/feeds/<slug>.xml, /feeds/all.xml); a JSON API (/api/sources,
/api/articles?source=&before=, /api/search?q=).

The pages load nothing from any other host. It listens on 127.0.0.1 only,
unless --host says otherwise (--host 0.0.0.0 opens it to the network).
Stop it with Ctrl-C.`;

/** A TCP port: 0 (any free port) to 65535. */
function port(text: string | undefined): number {
  if (text === undefined) return 8080;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port ${text}: must be a port number from 0 to 65535`);
  return Number(text);
}

/** Resolves when the process is told to stop (SIGINT, SIGTERM). */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `stop` resolves when the server should close (default: SIGINT or SIGTERM). */
export async function serveCommand(args: string[], io: Output, stop: () => Promise<unknown> = stopSignal): Promise<number> {
  const { values } = parseCommandArgs('serve', args, { port: { type: 'string' }, host: { type: 'string' } }, 0);
  if (values.help) {
    println(io.out, SERVE_HELP);
    return 0;
  }
  const host = values.host ?? '127.0.0.1';
  const wanted = port(values.port);
  const config = await loadReaderConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  requireArchiveFolder(config.archiveDir);
  const log = (line: string) => println(io.err, `! ${line}`);
  const reader = await startReader({ config, host, port: wanted, search: readerSearch(), log }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new NewsmirrorError('address_in_use', `${host}:${wanted}: the address is in use (choose another with --port)`);
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') throw new NewsmirrorError('bad_host', `--host ${host}: no such address on this machine`);
    throw error;
  });
  if (values.json) printJson(io.out, { url: reader.url, archive: config.archiveDir, warnings: reader.warnings });
  else {
    println(io.out, `newsmirror: reading ${config.archiveDir} at ${reader.url} (Ctrl-C stops)`);
    for (const warning of reader.warnings) println(io.err, `! ${warning}`);
  }
  await stop();
  await reader.close();
  return 0;
}
