import { NewsmirrorError, describeError } from '../domain/errors.js';
import { newsmirrorVersion } from '../http/user-agent.js';
import { defaultOutput, println, type Output } from './output.js';
import { RUN_HELP, runCommand } from './run-command.js';
import { reindexCommand } from './reindex-command.js';
import { inspectCommand } from './inspect-command.js';
import { demoCommand } from './demo-command.js';
import { statusCommand } from './status-command.js';
import { extractCommand } from './extract-command.js';
import { recleanCommand } from './reclean-command.js';
import { initCommand } from './init-command.js';
import { sourcesCommand } from './sources-command.js';
import { watchCommand } from './watch-command.js';
import { saveCommand } from './save-command.js';
import { searchCommand } from './search-command.js';
import { serveCommand } from './serve-command.js';
import { siteCommand } from './site-command.js';

const COMMANDS: Record<string, (args: string[], io: Output) => Promise<number>> = {
  demo: demoCommand,
  extract: extractCommand,
  init: initCommand,
  inspect: inspectCommand,
  reclean: recleanCommand,
  reindex: reindexCommand,
  run: runCommand,
  save: saveCommand,
  search: searchCommand,
  serve: serveCommand,
  site: siteCommand,
  sources: sourcesCommand,
  status: statusCommand,
  watch: watchCommand,
};

const HELP = `newsmirror: a durable, readable mirror of news feeds in a git repository

Usage: newsmirror <command> [options]

Commands:
  init       make a folder a ready archive repository (config, workflow, .gitignore)
  run        bring the archive up to date (the main job); --commit, --push
  watch      run at an interval (--every 1h), for a server or a container
  save       archive one article page (URL) like a feed item
  sources    list, add, remove, import (OPML) and export (OPML) the configured feeds
  reindex    rebuild the catalog from the archive's files
  reclean    rewrite articles from their raw bodies with today's cleaning rules
  status     the health of every source (last success, errors, staleness)
  search     full-text search of the archive (Chinese, Simplified = Traditional)
  serve      read the archive in a browser: pages, search, Atom feeds, JSON API (127.0.0.1)
  site       the same pages as a static site (GitHub Pages, file://), or Jekyll posts
  inspect    show what newsmirror reads from one feed (URL or file)
  extract    show what the content pipeline makes of one page or feed item
  demo       archive a few generated feeds from a local server (no network)

Every command takes --config FILE, --archive DIR, --json and --help.

${RUN_HELP.split('\n').slice(-3).join('\n')}`;

/** The CLI: returns the process exit code. Errors become one line on stderr. */
export async function main(argv: string[], io: Output = defaultOutput()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    println(io.out, HELP);
    return command === undefined ? 1 : 0;
  }
  if (command === '--version') {
    println(io.out, newsmirrorVersion());
    return 0;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    println(io.err, `newsmirror: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; see newsmirror --help)`);
    return 1;
  }
  try {
    return await handler(rest, io);
  } catch (error) {
    if (error instanceof NewsmirrorError) {
      println(io.err, `newsmirror ${command}: ${error.message}`);
      return 1;
    }
    println(io.err, `newsmirror ${command}: unexpected error: ${describeError(error)}`);
    if (process.env.NEWSMIRROR_DEBUG) println(io.err, String((error as Error).stack));
    return 1;
  }
}
