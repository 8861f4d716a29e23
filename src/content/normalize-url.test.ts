import { describe, expect, it } from 'vitest';
import {
  normalizeAssetUrl,
  normalizeLinkUrl,
  normalizeSrcset,
  parseBaseUrl,
  resolveUrl,
  stripCacheBusters,
  stripTrackingParams,
  unwrapImageProxy,
} from './normalize-url.js';

const base = new URL('https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20240101-x');

describe('stripTrackingParams', () => {
  it('drops utm_*, click ids and spm, keeping the other parameters byte for byte', () => {
    expect(stripTrackingParams('https://e.com/a?id=1&utm_source=rss&utm_medium=feed&fbclid=AbC&gclid=x&spm=a.b.c&q=%E4%B8%AD+x#top')).toBe(
      'https://e.com/a?id=1&q=%E4%B8%AD+x#top',
    );
  });

  it('drops the query altogether when nothing is left', () => {
    expect(stripTrackingParams('https://e.com/a?utm_source=rss')).toBe('https://e.com/a');
    expect(stripTrackingParams('https://e.com/a?xtor=RSS-1#x')).toBe('https://e.com/a#x');
  });

  it('drops from= only when it names a click source', () => {
    expect(stripTrackingParams('https://e.com/a?from=singlemessage')).toBe('https://e.com/a');
    expect(stripTrackingParams('https://e.com/a?from=timeline&isappinstalled=0')).toBe('https://e.com/a?isappinstalled=0');
    expect(stripTrackingParams('https://e.com/search?from=2020-01-01&to=2020-02-01')).toBe(
      'https://e.com/search?from=2020-01-01&to=2020-02-01',
    );
  });

  it('drops share tokens per host', () => {
    expect(stripTrackingParams('https://x.com/u/status/1?s=43&t=AbCd')).toBe('https://x.com/u/status/1');
    expect(stripTrackingParams('https://www.youtube.com/watch?v=abc&si=XyZ')).toBe('https://www.youtube.com/watch?v=abc');
    expect(stripTrackingParams('https://e.com/watch?v=abc&si=XyZ')).toBe('https://e.com/watch?v=abc&si=XyZ');
    expect(stripTrackingParams('https://weibo.com/1/Iy8?from=page_100&wvr=6&mod=weibotime&type=comment')).toBe(
      'https://weibo.com/1/Iy8?type=comment',
    );
  });

  it('leaves URLs it cannot parse alone', () => {
    expect(stripTrackingParams('/relative?utm_source=x')).toBe('/relative?utm_source=x');
  });
});

describe('stripCacheBusters', () => {
  it('drops version and timestamp parameters with token values', () => {
    expect(stripCacheBusters('https://e.com/a.jpg?v=123')).toBe('https://e.com/a.jpg');
    expect(stripCacheBusters('https://e.com/a.jpg?ver=5.8.1&w=640')).toBe('https://e.com/a.jpg?w=640');
    expect(stripCacheBusters('https://e.com/a.jpg?_=1700000000000&t=1700000000')).toBe('https://e.com/a.jpg');
    expect(stripCacheBusters('https://e.com/a.jpg?1700000000')).toBe('https://e.com/a.jpg');
  });

  it('keeps parameters that choose the image', () => {
    expect(stripCacheBusters('https://e.com/img?w=640&h=360&fit=crop')).toBe('https://e.com/img?w=640&h=360&fit=crop');
    expect(stripCacheBusters('https://e.com/img?v=a/b')).toBe('https://e.com/img?v=a/b');
  });
});

describe('unwrapImageProxy', () => {
  it("gives the original image behind the mirror's weserv proxy", () => {
    expect(unwrapImageProxy('https://images.weserv.nl/?url=static01.nyt.com/images/a.jpg')).toBe('https://static01.nyt.com/images/a.jpg');
    expect(unwrapImageProxy('https://images.weserv.nl?url=gdb.voanews.com/a_w900.jpg')).toBe('https://gdb.voanews.com/a_w900.jpg');
    expect(unwrapImageProxy('https://images.weserv.nl/?url=ssl:example.com/a.jpg&w=100')).toBe('https://example.com/a.jpg');
    expect(unwrapImageProxy('https://wsrv.nl/?url=https%3A%2F%2Fexample.com%2Fa.jpg')).toBe('https://example.com/a.jpg');
  });

  it('leaves other hosts and proxies without a url alone', () => {
    expect(unwrapImageProxy('https://e.com/?url=x.com/a.jpg')).toBe('https://e.com/?url=x.com/a.jpg');
    expect(unwrapImageProxy('https://images.weserv.nl/?w=1')).toBe('https://images.weserv.nl/?w=1');
  });
});

describe('resolving and normalizing', () => {
  it('resolves relative addresses against the article, leaving absolute ones as they are', () => {
    expect(resolveUrl(' /cn/a ', base)).toBe('https://www.rfi.fr/cn/a');
    expect(resolveUrl('//cdn.e.com/a.jpg', base)).toBe('https://cdn.e.com/a.jpg');
    expect(resolveUrl('b', base)).toBe('https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/b');
    expect(resolveUrl('https://E.com/a b', base)).toBe('https://E.com/a b');
    expect(resolveUrl('javascript:alert(1)', base)).toBe('javascript:alert(1)');
    expect(resolveUrl('//cdn.e.com/a.jpg', undefined)).toBe('https://cdn.e.com/a.jpg');
    expect(resolveUrl('/a', undefined)).toBe('/a');
  });

  it('normalizes links and assets, and each candidate of a srcset', () => {
    expect(normalizeLinkUrl('/a?utm_campaign=x', base)).toBe('https://www.rfi.fr/a');
    expect(normalizeAssetUrl('https://images.weserv.nl/?url=e.com/a.jpg%3Fv%3D3', base)).toBe('https://e.com/a.jpg');
    expect(normalizeSrcset('/a.jpg?ver=1 1x,  /b.jpg 2x', base)).toBe('https://www.rfi.fr/a.jpg 1x, https://www.rfi.fr/b.jpg 2x');
  });

  it('is idempotent', () => {
    for (const url of ['/a?utm_campaign=x&id=2', 'https://images.weserv.nl/?url=e.com/a.jpg', '//x.com/u?s=1']) {
      const once = normalizeLinkUrl(url, base);
      expect(normalizeLinkUrl(once, base)).toBe(once);
      const asset = normalizeAssetUrl(url, base);
      expect(normalizeAssetUrl(asset, base)).toBe(asset);
    }
  });

  it('takes only http(s) article URLs as a base', () => {
    expect(parseBaseUrl('https://e.com/a')?.href).toBe('https://e.com/a');
    expect(parseBaseUrl('file:///etc/passwd')).toBeUndefined();
    expect(parseBaseUrl('nonsense')).toBeUndefined();
    expect(parseBaseUrl(undefined)).toBeUndefined();
  });
});
