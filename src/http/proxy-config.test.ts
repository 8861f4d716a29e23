import { describe, expect, it } from 'vitest';
import { HttpError } from '../domain/errors.js';
import { matchesNoProxy, parseProxy, proxyFromEnv } from './proxy-config.js';

describe('parseProxy', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http'],
    ['https://proxy.example:443', 'https'],
    ['socks5://127.0.0.1:1080', 'socks5'],
    ['SOCKS5H://127.0.0.1:1080', 'socks5h'],
    ['127.0.0.1:3128', 'http'],
  ])('reads %s as %s', (value, kind) => {
    expect(parseProxy(value).kind).toBe(kind);
  });

  it('keeps credentials for the connector but not in the label', () => {
    const spec = parseProxy('socks5://alice:s3cret@127.0.0.1:1080');
    expect(spec.url.password).toBe('s3cret');
    expect(spec.label).toBe('socks5://127.0.0.1:1080');
  });

  it.each(['socks4://127.0.0.1:1080', 'ftp://alice:s3cret@proxy.example', 'http://alice:s3cret@[bad'])(
    'refuses %s with bad_url and no credentials in the message',
    (value) => {
      let caught: unknown;
      try {
        parseProxy(value);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HttpError);
      expect((caught as HttpError).code).toBe('bad_url');
      expect((caught as HttpError).message).not.toContain('s3cret');
    },
  );
});

describe('proxyFromEnv', () => {
  const http = new URL('http://news.example/feed');
  const https = new URL('https://news.example/feed');

  it('picks the variable for the scheme, then ALL_PROXY', () => {
    const env = { HTTP_PROXY: 'http://h:1', HTTPS_PROXY: 'http://s:2', ALL_PROXY: 'socks5h://a:3' };
    expect(proxyFromEnv(http, env)).toBe('http://h:1');
    expect(proxyFromEnv(https, env)).toBe('http://s:2');
    expect(proxyFromEnv(https, { ALL_PROXY: 'socks5h://a:3' })).toBe('socks5h://a:3');
    expect(proxyFromEnv(http, {})).toBeUndefined();
  });

  it('prefers the lower-case variable and ignores empty ones', () => {
    expect(proxyFromEnv(http, { http_proxy: 'http://lower:1', HTTP_PROXY: 'http://upper:1' })).toBe('http://lower:1');
    expect(proxyFromEnv(http, { http_proxy: ' ', ALL_PROXY: 'http://all:1' })).toBe('http://all:1');
  });

  it('honours NO_PROXY', () => {
    expect(proxyFromEnv(http, { HTTP_PROXY: 'http://h:1', NO_PROXY: 'example.com,news.example' })).toBeUndefined();
  });
});

describe('matchesNoProxy', () => {
  const url = (u: string) => new URL(u);
  it.each([
    ['http://news.example/', '*'],
    ['http://news.example/', 'news.example'],
    ['http://a.news.example/', 'news.example'],
    ['http://a.news.example/', '.news.example'],
    ['http://a.news.example/', '*.news.example'],
    ['http://news.example:8080/', 'news.example:8080'],
    ['https://news.example/', 'news.example:443'],
    ['http://127.0.0.1:5000/', 'localhost, 127.0.0.1'],
    ['http://10.1.2.3/', '10.0.0.0/8'],
    ['http://[::1]:80/', '[::1]'],
    ['http://[fd00::5]/', 'fd00::/8'],
  ])('%s matches %s', (target, noProxy) => {
    expect(matchesNoProxy(url(target), noProxy)).toBe(true);
  });

  it.each([
    ['http://badnews.example/', 'news.example'],
    ['http://news.example:8080/', 'news.example:9090'],
    ['http://11.1.2.3/', '10.0.0.0/8'],
    ['http://news.example/', ''],
    ['http://news.example/', '10.0.0.0/99'],
  ])('%s does not match %s', (target, noProxy) => {
    expect(matchesNoProxy(url(target), noProxy)).toBe(false);
  });
});
