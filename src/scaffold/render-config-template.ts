import { stringify } from 'yaml';
import { configSchema, type SourceInput } from '../config/config-schema.js';
import { DEFAULT_SOURCES } from '../config/default-sources.js';

/** Why a source has each of its less obvious keys: the comments beside them. */
const SOURCE_NOTES: Record<string, string> = {
  name: 'display name: lists/<name>.md',
  slug: 'folder articles/<slug>/ (ASCII)',
  mirrors: 'tried in order when the one in use fails',
  content: 'which feed field holds the full text',
  link: 'this feed puts the article link in <guid>',
  ids: 'id = 0xFFFFF ^ the WordPress post id (?p=)',
  requireCategory: 'only items with a matching category (the editors’ picks)',
  fullText: 'always fetch the article page for the full text',
};

const COMMENT_COLUMN = 36;

/** One YAML scalar on one line, quoted only where YAML needs it. */
function scalar(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** Columns on a terminal: CJK characters take two, so comments line up after Chinese names. */
function width(text: string): number {
  let n = 0;
  for (const c of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1;
  return n;
}

function withNote(line: string, note: string | undefined): string {
  return note === undefined ? line : `${line}${' '.repeat(Math.max(1, COMMENT_COLUMN - 1 - width(line)))} # ${note}`;
}

/** A source's keys in block style; each note is written once, beside its key's first use. */
function renderSource(source: SourceInput, noted: Set<string>): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(source)) {
    const lead = lines.length === 0 ? '  - ' : '    ';
    const note = noted.has(key) ? undefined : SOURCE_NOTES[key];
    noted.add(key);
    if (Array.isArray(value)) {
      lines.push(withNote(`${lead}${key}:`, note));
      for (const item of value) lines.push(`      - ${scalar(item)}`);
    } else if (typeof value === 'object' && value !== null) {
      lines.push(withNote(`${lead}${key}: ${JSON.stringify(value)}`, note));
    } else {
      lines.push(withNote(`${lead}${key}: ${scalar(value)}`, note));
    }
  }
  return lines;
}

/**
 * `newsmirror.yaml` for a new archive: the built-in sources and defaults,
 * written out with comments so a maintainer can edit them in place. Loading
 * it gives exactly the built-in configuration.
 */
export function renderConfigTemplate(sources: readonly SourceInput[] = DEFAULT_SOURCES, archive?: string): string {
  const defaults = configSchema.parse({ sources: [...sources], ...(archive !== undefined ? { archive } : {}) });
  const author = defaults.git.author;
  const noted = new Set<string>();
  return [
    '# newsmirror: which feeds to mirror and how. Every key but `sources` is optional;',
    '# the README of newsmirror lists them all. Check an edit with `npx newsmirror run`.',
    '',
    withNote(`archive: ${scalar(defaults.archive)}`, defaults.archive === '.' ? 'the archive folder: here, as GitHub needs for the lists’ links' : 'the archive folder, relative to this file'),
    withNote(`timezone: ${scalar(defaults.timezone)}`, 'list dates (M-D) and monthly lists'),
    'readme:',
    withNote(`  title: ${scalar(defaults.readme.title)}`, 'heading of the archive’s README.md'),
    withNote(`  footer: ${scalar(defaults.readme.footer)}`, 'text after the links to the lists'),
    '',
    '# concurrency: 4                   # sources fetched at once',
    '# proxy: socks5h://127.0.0.1:1080  # or http://, https://; default: HTTPS_PROXY etc.',
    '# timeoutMs: 30000                 # one deadline per request',
    '',
    '# What `run` does with git (the workflow passes --commit --push instead):',
    '# git:',
    '#   commit: true                   # commit the files a run changed',
    '#   push: [origin]                 # push to these remotes, rebasing when they moved on',
    `#   author: { name: ${author.name}, email: ${author.email} }`,
    '',
    'sources:',
    '  # One entry per feed, in the order of the README. Removing one stops',
    '  # mirroring it; its archived files stay. More keys per source (headers,',
    '  # userAgent, proxy, maxItems, clean, staleAfter) are in the README.',
    ...sources.flatMap((source, i) => [...(i > 0 ? [''] : []), ...renderSource(source, noted)]),
    '',
  ].join('\n');
}
