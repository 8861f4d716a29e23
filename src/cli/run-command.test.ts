import { describe, expect, it } from 'vitest';
import type { RunReport } from '../pipeline/run-archive.js';
import type { SourceOutcome } from '../pipeline/run-source.js';
import { renderSummary } from './run-command.js';

const outcome = (slug: string, status: SourceOutcome['status'], added: number[]): SourceOutcome => ({
  slug,
  name: slug,
  status,
  url: `https://example.org/${slug}.xml`,
  items: 5,
  added,
  edited: [],
  warnings: [],
  written: [],
  ms: 10,
});

describe('the run summary', () => {
  it('counts every source once: with new articles, unchanged (nothing new, however it was learnt), failed', () => {
    const report: RunReport = {
      archive: '/a',
      started: '2026-01-01T00:00:00.000Z',
      ms: 1200,
      exitCode: 0,
      sources: [outcome('a', 'ok', [1048574]), outcome('b', 'ok', []), outcome('c', 'unchanged', [])],
      attention: [],
      warnings: [],
    };
    expect(renderSummary(report)[0]).toBe('newsmirror: 3 sources, 1 new article, 2 unchanged, 0 failed in 1.2 s → /a');
  });

  it('counts a source whose only change is a recorded edit as changed, not unchanged', () => {
    const edited = { ...outcome('a', 'ok', []), edited: [1048574] };
    const report: RunReport = { archive: '/a', started: '2026-01-01T00:00:00.000Z', ms: 1200, exitCode: 0, sources: [edited, outcome('b', 'ok', [])], attention: [], warnings: [] };
    expect(renderSummary(report)[0]).toBe('newsmirror: 2 sources, 0 new articles, 1 edit recorded, 1 unchanged, 0 failed in 1.2 s → /a');
  });

  it('names the source of a warning once', () => {
    const warned = { ...outcome('flaky', 'ok', []), warnings: ['flaky: https://example.org/2: same title as articles/flaky/1.md (within 12 h): taken for that article, not archived again', 'skipped articles/flaky/x.md: unreadable'] };
    const report: RunReport = { archive: '/a', started: '2026-01-01T00:00:00.000Z', ms: 1200, exitCode: 0, sources: [warned], attention: [], warnings: [] };
    expect(renderSummary(report).slice(1)).toEqual([
      '! flaky: https://example.org/2: same title as articles/flaky/1.md (within 12 h): taken for that article, not archived again',
      '! flaky: skipped articles/flaky/x.md: unreadable',
    ]);
  });

  it('names the source of a failure once', () => {
    const failed = { ...outcome('bad', 'failed', []), name: 'Bad', error: { code: 'enotdir', message: 'bad: archiving failed: articles/bad: not a folder' } };
    const other = { ...outcome('dns', 'failed', []), name: 'Dns', error: { code: 'dns', message: 'https://example.org/dns.xml: host not found' } };
    const report: RunReport = { archive: '/a', started: '2026-01-01T00:00:00.000Z', ms: 1200, exitCode: 2, sources: [failed, other], attention: [], warnings: [] };
    expect(renderSummary(report).slice(1, 3)).toEqual(['✗ bad (Bad): archiving failed: articles/bad: not a folder [enotdir]', '✗ dns (Dns): https://example.org/dns.xml: host not found [dns]']);
  });
});
