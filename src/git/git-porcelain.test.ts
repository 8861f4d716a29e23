import { describe, expect, it } from 'vitest';
import { isBehindRemote, parsePushPorcelain, parseStatusZ, parseUnmergedZ } from './git-porcelain.js';
import { isArchiveFile, isRunMessage, renderCommitMessage } from './commit-run.js';

describe('git porcelain output', () => {
  it('reads status -z entries, keeping spaces and non-ASCII in paths', () => {
    expect(parseStatusZ('?? archive/lists/法广.md\0 M archive/README.md\0A  a b/[x].md\0')).toEqual([
      { xy: '??', path: 'archive/lists/法广.md' },
      { xy: ' M', path: 'archive/README.md' },
      { xy: 'A ', path: 'a b/[x].md' },
    ]);
  });

  it('groups unmerged stages by path', () => {
    const text = ['100644 aaa 2\tarchive/articles/t/1.md', '100644 bbb 3\tarchive/articles/t/1.md', '100644 ccc 1\tlists/x.md', ''].join('\0');
    const stages = parseUnmergedZ(text);
    expect([...stages.keys()]).toEqual(['archive/articles/t/1.md', 'lists/x.md']);
    expect(stages.get('archive/articles/t/1.md')?.get(3)).toEqual({ mode: '100644', sha: 'bbb', stage: 3, path: 'archive/articles/t/1.md' });
    expect(stages.get('archive/articles/t/1.md')?.has(1)).toBe(false);
  });

  it('reads push --porcelain lines and tells a remote that moved on from one that refuses', () => {
    const out = (line: string) => `To /srv/x.git\n${line}\nDone\n`;
    const ref = 'refs/heads/main';
    const behind = parsePushPorcelain(out('!\tHEAD:refs/heads/main\t[rejected] (fetch first)'), ref)!;
    const diverged = parsePushPorcelain(out('!\tHEAD:refs/heads/main\t[rejected] (non-fast-forward)'), ref)!;
    const hook = parsePushPorcelain(out('!\tHEAD:refs/heads/main\t[remote rejected] (pre-receive hook declined)'), ref)!;
    const locked = parsePushPorcelain(out('!\tHEAD:refs/heads/main\t[remote rejected] (failed to lock)'), ref)!;
    const fine = parsePushPorcelain(out(' \tHEAD:refs/heads/main\t1a2b..3c4d'), ref)!;
    expect(hook).toEqual({ flag: '!', summary: '[remote rejected]', reason: 'pre-receive hook declined' });
    expect([behind, diverged, locked].map(isBehindRemote)).toEqual([true, true, true]);
    expect([hook, fine].map(isBehindRemote)).toEqual([false, false]);
    expect(parsePushPorcelain(out('=\tHEAD:refs/heads/other\t[up to date]'), ref)).toBeUndefined();
  });

  it('counts new articles per source in config order for the commit message', () => {
    expect(renderCommitMessage([
      { name: '法广', added: [3, 2, 1] },
      { name: '纽约时报', added: [] },
      { name: 'BBC', added: [9] },
    ])).toBe('newsmirror: 法广 +3, BBC +1');
    expect(renderCommitMessage([{ name: '法广', added: [] }])).toBe('newsmirror: update lists');
    expect(renderCommitMessage([
      { name: '法广', added: [3], edits: 2 },
      { name: 'BBC', added: [], edits: 1 },
    ])).toBe('newsmirror: 法广 +1 (2 edits), BBC (1 edit)');
    // A slug taken from a folder on disk may hold anything: the message never carries a control character.
    expect(renderCommitMessage([{ name: 'x\u001b[2J\ny', added: [1] }])).toBe('newsmirror: x[2J y +1');
  });

  it('takes only the shapes of files the archive writes as archive files', () => {
    const sha = 'c4'.padEnd(64, '0f');
    const archive = ['README.md', '.gitignore', '.newsmirror/state.json', 'articles/rfi/1048574.md', 'lists/法广.md', 'lists/法广/2026-01.md', `assets/c4/${sha}.png`, `assets/c4/${sha}.avif`, 'edits/rfi/1048574/1767758400000.md'];
    const stray = [
      'articles/rfi/.1048574.md.swp',
      'articles/rfi/1048574.md~',
      'articles/.DS_Store',
      'lists/drafts/private.md',
      'lists/法广/2026-13.md',
      'lists/.notes.md',
      `assets/c5/${sha}.png`,
      `assets/c4/${sha}.svg`,
      'assets/c4/notes.txt',
      'edits/rfi/1048574/notes.md',
      'edits/rfi/1048574.md',
      '.newsmirror/catalog.sqlite',
      'newsmirror.yaml',
    ];
    expect(archive.filter((path) => !isArchiveFile(path))).toEqual([]);
    expect(stray.filter(isArchiveFile)).toEqual([]);
  });

  it('tells a run\'s commit message, which a rebase may recount, from a message of the user\'s', () => {
    expect(['newsmirror: 法广 +3, BBC +1', 'newsmirror: update lists\n', 'newsmirror: A, B +1', 'newsmirror: 法广 (1 edit)', 'newsmirror: 法广 +1 (2 edits)'].map(isRunMessage)).toEqual([true, true, true, true, true]);
    expect(['newsmirror: tidy the config', 'newsmirror: 法广 +3\n\nwith a body', 'Update newsmirror: 法广 +3'].map(isRunMessage)).toEqual([false, false, false]);
  });
});
