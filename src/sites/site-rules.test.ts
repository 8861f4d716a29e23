import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../content/clean-article.js';
import { measureParagraphRetention } from '../content/paragraph-text.js';
import { parseHtmlFragment } from '../content/parse-html.js';
import { findSiteRule, siteRules } from './registry.js';

/*
 * The contract every site rule meets (Hono's common.case.test.ts idea: one
 * suite, run against each implementation), with its fixtures in the style
 * of Mozilla Readability's test pages: fixtures/<case>/source.html (input),
 * expected.html (cleanArticle's output) and case.json ({ url, about,
 * boilerplate? }), `boilerplate` naming text of paragraphs removed on purpose.
 * After a deliberate change, review and regenerate the expected files with
 * `UPDATE_FIXTURES=1 npx vitest run src/sites`.
 */

const SITES = new URL('./', import.meta.url);
const UPDATE = process.env.UPDATE_FIXTURES === '1';

/** Boilerplate no cleaned fixture may keep. */
const FORBIDDEN = [
  '获取更多RSS', 'feedx.', 'data-selfpromo', 'data-root-share', 'share-button', 'facebook.com/dialog/share',
  'whatsapp:', 'x.com/intent/', 'addtoany', 'Feed enhanced by', 'del.icio.us', '<script', 'nonce',
  'data-cf', 'text/javascript', 'images.weserv.nl', 'secret', 'utm_', '分享 :', 'email-protection',
];

interface FixtureCase {
  name: string;
  url: string;
  boilerplate: string[];
  source: string;
  expectedPath: URL;
}

function readCases(ruleName: string): FixtureCase[] {
  const root = new URL(`${ruleName}/fixtures/`, SITES);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .map((name) => {
      const dir = new URL(`${name}/`, root);
      const meta = JSON.parse(readFileSync(new URL('case.json', dir), 'utf8')) as { url?: unknown; boilerplate?: unknown };
      const boilerplate = meta.boilerplate ?? [];
      if (typeof meta.url !== 'string' || !Array.isArray(boilerplate) || !boilerplate.every((b) => typeof b === 'string')) {
        throw new Error(`${fileURLToPath(dir)}case.json: needs "url" (a string) and optionally "boilerplate" (strings)`);
      }
      const source = readFileSync(new URL('source.html', dir), 'utf8');
      return { name, url: meta.url, boilerplate, source, expectedPath: new URL('expected.html', dir) };
    });
}

describe('the site rule registry', () => {
  it('lists the rules sorted by name, each name once', () => {
    const names = siteRules.map((rule) => rule.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives each host to one rule only', () => {
    const hosts = siteRules.flatMap((rule) => rule.hosts);
    expect(new Set(hosts).size).toBe(hosts.length);
  });

  it('finds no rule for other hosts, look-alike hosts or non-URLs', () => {
    expect(findSiteRule('https://example.com/a')).toBeUndefined();
    expect(findSiteRule('https://notrfi.fr/cn/a')).toBeUndefined();
    expect(findSiteRule('https://rfi.fr.example.com/a')).toBeUndefined();
    expect(findSiteRule('not a url')).toBeUndefined();
  });
});

for (const rule of siteRules) {
  describe(`site rule ${rule.name}`, () => {
    it('lives in src/sites/<name>/rule.ts', () => {
      expect(existsSync(new URL(`${rule.name}/rule.ts`, SITES))).toBe(true);
      expect(rule.name).toMatch(/^[a-z0-9-]+$/);
    });

    it('names bare lower-case hosts, each found by findSiteRule with its subdomains', () => {
      expect(rule.hosts.length).toBeGreaterThan(0);
      for (const host of rule.hosts) {
        expect(host).toMatch(/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/);
        expect(findSiteRule(`https://${host}/a`)?.name).toBe(rule.name);
        expect(findSiteRule(`http://www.${host.toUpperCase()}/a?b#c`)?.name).toBe(rule.name);
      }
    });

    it('has selectors that parse', () => {
      const document = parseHtmlFragment('<p>x</p>');
      for (const selector of [...(rule.body ? [rule.body] : []), ...(rule.remove ?? [])]) {
        expect(() => document.body.querySelectorAll(selector), selector).not.toThrow();
      }
    });

    const cases = readCases(rule.name);
    it('ships at least one fixture', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    for (const fixture of cases) {
      describe(`fixture ${fixture.name}`, () => {
        const result = cleanArticle({ html: fixture.source, url: fixture.url });
        if (UPDATE) writeFileSync(fixture.expectedPath, `${result.html}\n`);

        it('is cleaned with this rule into expected.html', () => {
          expect(result.rule).toBe(rule.name);
          expect(result.html).toBe(readFileSync(fixture.expectedPath, 'utf8').replace(/\n$/, ''));
        });

        it('keeps no boilerplate, and at least 98% of the article paragraphs', () => {
          for (const marker of [...FORBIDDEN, ...fixture.boilerplate]) expect(result.html, marker).not.toContain(marker);
          const isBoilerplate = (paragraph: string): boolean => fixture.boilerplate.some((b) => paragraph.includes(b));
          const { kept, before, lost } = measureParagraphRetention(fixture.source, result.html, isBoilerplate);
          expect(before === 0 ? 1 : kept / before, `lost: ${lost.join(' | ')}`).toBeGreaterThanOrEqual(0.98);
        });

        it('is idempotent and deterministic', () => {
          expect(cleanArticle({ html: result.html, url: fixture.url }).html).toBe(result.html);
          expect(cleanArticle({ html: fixture.source, url: fixture.url }).html).toBe(result.html);
        });
      });
    }
  });
}
