import { describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { BlockedAddressError, guardedLookup, isBlockedAddress, isBlockedHostname } from './ssrf-guard.js';

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1', // IPv4-compatible
    '0:0:0:0:0:ffff:192.168.0.1',
    '64:ff9b::a00:1', // NAT64 of 10.0.0.1
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '2001:db8::1',
    '[::1]',
    'not-an-ip',
    '',
  ])('blocks %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '192.169.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2002:808:808::1', // 6to4 of 8.8.8.8
  ])('allows public %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });
});

describe('isBlockedHostname after WHATWG URL normalization', () => {
  it.each([
    'http://127.0.0.1/',
    'http://2130706433/', // decimal
    'http://0177.0.0.1/', // octal
    'http://0x7f.0x0.0x0.0x1/', // hex
    'http://0x7f000001/',
    'http://127.1/', // short form
    'http://017700000001/',
    'http://0/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/', // metadata endpoint, mapped, hex
    'http://localhost/',
    'http://LOCALHOST./',
    'http://api.localhost/',
    'http://169.254.169.254/latest/meta-data/',
  ])('blocks %s', (url) => {
    expect(isBlockedHostname(new URL(url).hostname)).toBe(true);
  });

  it.each(['http://example.com/', 'http://8.8.8.8/', 'http://localhost.example.com/', 'http://[2606:4700::1]/'])(
    'does not block %s',
    (url) => {
      expect(isBlockedHostname(new URL(url).hostname)).toBe(false);
    },
  );
});

describe('guardedLookup', () => {
  const run = (host: string, all: boolean) =>
    new Promise<{ err: Error | null; result: string | LookupAddress[] }>((resolve) => {
      guardedLookup(host, { all }, (err, result) => resolve({ err, result }));
    });

  it('refuses a name that resolves only to loopback, whatever the form of the call', async () => {
    for (const all of [true, false]) {
      const { err } = await run('localhost', all);
      expect(err).toBeInstanceOf(BlockedAddressError);
    }
  });

  it('passes DNS failures through unchanged', async () => {
    const { err } = await run('no-such-host.invalid', true);
    expect(err).not.toBeInstanceOf(BlockedAddressError);
    expect((err as NodeJS.ErrnoException | null)?.code).toMatch(/ENOTFOUND|EAI_AGAIN|EAI_FAIL/);
  });
});
