/**
 * Crash points for the crash tests: `NEWSMIRROR_FAILPOINT=<name>:<n>` kills
 * the process with SIGKILL the n-th time it reaches `<name>`, so a test can
 * stop a run exactly between two steps. Without the variable this is a no-op.
 */
const spec = /^([a-z-]+):(\d+)$/.exec(process.env.NEWSMIRROR_FAILPOINT ?? '');
let hits = 0;

export function failpoint(name: string): void {
  if (spec && spec[1] === name && ++hits === Number(spec[2])) process.kill(process.pid, 'SIGKILL');
}
