import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('removes user and password', () => {
    expect(redactUrl('http://alice:s3cret@proxy.example:8080/')).toBe('http://proxy.example:8080/');
    expect(redactUrl(new URL('socks5h://bob@127.0.0.1:1080'))).toBe('socks5h://127.0.0.1:1080');
  });
  it('leaves a URL without credentials alone', () => {
    expect(redactUrl('https://example.com/feed?a=1')).toBe('https://example.com/feed?a=1');
  });
  it('strips credentials even from a string that does not parse, and keeps it on one line', () => {
    const out = redactUrl('http://alice:s3cret@[bad host/\nx');
    expect(out).not.toContain('s3cret');
    expect(out).not.toContain('\n');
  });
});
