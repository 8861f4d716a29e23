import { splitZ } from './run-git.js';

/** One entry of `git status --porcelain -z --no-renames`: `XY path`. */
export interface StatusEntry {
  /** Index and work-tree status letters, e.g. `??`, ` M`, `A `, `UU`, `AA`. */
  xy: string;
  path: string;
}

export function parseStatusZ(text: string): StatusEntry[] {
  return splitZ(text)
    .filter((entry) => entry.length > 3)
    .map((entry) => ({ xy: entry.slice(0, 2), path: entry.slice(3) }));
}

/** One stage of an unmerged path (`git ls-files -u -z`): 1 base, 2 "ours", 3 "theirs". */
export interface UnmergedStage {
  mode: string;
  sha: string;
  stage: 1 | 2 | 3;
  path: string;
}

/** Unmerged paths with their stages; during a rebase stage 2 is the upstream side, stage 3 the commit being replayed. */
export function parseUnmergedZ(text: string): Map<string, Map<number, UnmergedStage>> {
  const out = new Map<string, Map<number, UnmergedStage>>();
  for (const entry of splitZ(text)) {
    const match = /^(\d+) ([0-9a-f]+) ([123])\t(.*)$/s.exec(entry);
    if (!match) continue;
    const stage = { mode: match[1]!, sha: match[2]!, stage: Number(match[3]) as 1 | 2 | 3, path: match[4]! };
    let stages = out.get(stage.path);
    if (!stages) out.set(stage.path, (stages = new Map()));
    stages.set(stage.stage, stage);
  }
  return out;
}

/** What `git push --porcelain` said about our ref. */
export interface PushRefStatus {
  /** `' '` fast-forward, `'+'` forced, `'-'` deleted, `'*'` new, `'!'` rejected, `'='` up to date. */
  flag: string;
  summary: string;
  /** Set for rejections: `fetch first`, `non-fast-forward`, `pre-receive hook declined`, ... */
  reason: string | undefined;
}

/**
 * `git push --porcelain` prints, per ref, `<flag>\t<from>:<to>\t<summary> (<reason>)`
 * (git-push(1), OUTPUT). The format is meant for scripts, unlike the messages.
 */
export function parsePushPorcelain(stdout: string, ref: string): PushRefStatus | undefined {
  for (const line of stdout.split('\n')) {
    const [flag, refs, rest] = line.split('\t');
    if (flag === undefined || refs === undefined || rest === undefined || flag.length !== 1) continue;
    if (!refs.endsWith(`:${ref}`)) continue;
    const match = /^(.*?)(?: \((.*)\))?$/.exec(rest);
    return { flag, summary: match?.[1] ?? rest, reason: match?.[2] };
  }
  return undefined;
}

/**
 * A rejection that fetching and rebasing can fix: the remote moved on since
 * our last fetch, or another push held the branch's lock at that instant
 * (receive-pack then says `failed to lock`, `cannot lock ref ...` or
 * `incorrect old value provided`; only the reason text tells them apart).
 */
export function isBehindRemote(status: PushRefStatus): boolean {
  if (status.flag !== '!') return false;
  if (status.summary === '[rejected]') return status.reason === 'fetch first' || status.reason === 'non-fast-forward';
  return status.summary === '[remote rejected]' && /lock|failed to update ref|incorrect old value/i.test(status.reason ?? '');
}
