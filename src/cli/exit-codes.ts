/** The run's exit codes, as `run --help` and `newsmirror --help` state them (the README has the table). */
export const EXIT_CODES_HELP = `Exit codes: 0 every source fine; 2 some sources failed (the others are
archived); 3 the commit or a push failed; 1 the run could not start (bad
config, archive locked, not a git work tree with --commit); 130 and 143
stopped by Ctrl-C or SIGTERM (the articles in hand kept, nothing committed).`;
