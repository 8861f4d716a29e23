import { describe, expect, it } from 'vitest';
import { describeNonFeed, isFeedMediaType } from './sniff-media-type.js';

const bytes = (hex: string) => Buffer.from(hex, 'hex');
const text = (s: string) => new TextEncoder().encode(s);

describe('describeNonFeed', () => {
  it.each([
    ['89504e470d0a1a0a0000000d49484452', 'image/png', 'a PNG image, served as image/png'],
    ['ffd8ffe000104a464946', 'application/octet-stream', 'a JPEG image, served as application/octet-stream'],
    ['474946383961010001', 'text/xml', 'a GIF image, served as text/xml'],
    ['255044462d312e37', undefined, 'a PDF document'],
    ['1f8b0800000000000003', 'application/rss+xml', 'a gzip file, served as application/rss+xml'],
  ])('names %s (%s) by its magic number', (hex, type, want) => {
    expect(describeNonFeed(bytes(hex), type)).toBe(want);
  });

  it('names a body served as an image, audio or video by its type when it does not start like a document', () => {
    expect(describeNonFeed(text('RIFF....'), 'image/webp; q=1')).toBe('an image, served as image/webp');
    expect(describeNonFeed(text('ID3\u0003'), 'audio/mpeg')).toBe('an audio file, served as audio/mpeg');
  });

  it('leaves a document to the feed reader, whatever it was served as', () => {
    expect(describeNonFeed(text('\ufeff  <?xml version="1.0"?><rss/>'), 'image/png')).toBeUndefined();
    expect(describeNonFeed(text('{"version":"https://jsonfeed.org/version/1.1"}'), 'application/octet-stream')).toBeUndefined();
    expect(describeNonFeed(text('just words'), 'text/plain')).toBeUndefined();
  });
});

describe('isFeedMediaType', () => {
  it.each(['application/rss+xml', 'application/atom+xml; charset=utf-8', 'text/xml', 'application/xml', 'application/feed+json', 'application/json', 'text/html', undefined])('%s is', (type) => {
    expect(isFeedMediaType(type)).toBe(true);
  });
  it.each(['text/plain', 'application/octet-stream', 'image/png', 'text/javascript'])('%s is not', (type) => {
    expect(isFeedMediaType(type)).toBe(false);
  });
});
