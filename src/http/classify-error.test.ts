import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error.js';
import { BodyTooLargeError } from './read-body.js';
import { BlockedAddressError } from './ssrf-guard.js';

function coded(code: string, message = 'boom', cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

describe('classifyError', () => {
  it.each([
    ['ENOTFOUND', 'dns', false],
    ['EAI_AGAIN', 'dns', true],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout', true],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', true],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', false],
    ['CERT_HAS_EXPIRED', 'tls', false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls', false],
    ['ECONNRESET', 'network', true],
    ['ECONNREFUSED', 'network', true],
    ['UND_ERR_SOCKET', 'network', true],
    ['UND_ERR_INVALID_ARG', 'network', false],
    ['Z_DATA_ERROR', 'network', true],
  ])('%s is %s (retryable: %s)', (code, expected, retryable) => {
    expect(classifyError(coded(code))).toMatchObject({ code: expected, retryable });
  });

  it('looks through causes, and our own errors win', () => {
    expect(classifyError(coded('UND_ERR_SOCKET', 'wrapped', coded('ENOTFOUND'))).code).toBe('dns');
    expect(classifyError(new Error('outer', { cause: new BlockedAddressError('h', '10.0.0.1') })).code).toBe('blocked');
    expect(classifyError(new BodyTooLargeError(10, 'decoded'))).toMatchObject({ code: 'too_large', retryable: false });
  });

  it('keeps the detail on one line and survives odd throwables and cyclic causes', () => {
    expect(classifyError(coded('ECONNRESET', 'line one\nline two')).detail).toBe('line one line two (ECONNRESET)');
    expect(classifyError('a string').code).toBe('network');
    const cyclic = coded('ECONNRESET');
    (cyclic as { cause?: unknown }).cause = cyclic;
    expect(classifyError(cyclic).code).toBe('network');
  });
});
