import type { HttpErrorCode } from '../domain/errors.js';
import { BodyTooLargeError, UnsupportedEncodingError } from './read-body.js';
import { BlockedAddressError } from './ssrf-guard.js';

export interface Classified {
  code: HttpErrorCode;
  /** One line, safe to show: no stack, no newlines. */
  detail: string;
  /** Whether another try could plausibly succeed. */
  retryable: boolean;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);
/** Only "try again later" answers from the resolver deserve another try. */
const DNS_TRANSIENT = new Set(['EAI_AGAIN']);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);
const TLS_CODES = new Set([
  'UND_ERR_PRX_TLS',
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
]);
const TLS_PREFIXES = ['ERR_TLS_', 'ERR_SSL_', 'ERR_OSSL_', 'CERT_'];
/** Our own mistakes (bad header value, client already closed): the same try would fail again. */
const PERMANENT_NETWORK = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_DESTROYED', 'UND_ERR_CLOSED', 'ERR_INVALID_CHAR']);

/** The error and its `cause`s, outermost first (bounded: causes can be cyclic). */
function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && out.length < 8 && !out.includes(current)) {
    out.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return out;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === 'string' ? code : undefined;
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = codeOf(error);
    const message = oneLine(error.message);
    if (message === '') return code ?? error.name;
    return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
  }
  return oneLine(String(error));
}

function isTls(code: string): boolean {
  return TLS_CODES.has(code) || TLS_PREFIXES.some((prefix) => code.startsWith(prefix));
}

/**
 * Sort a failure thrown by undici, node:net/tls/dns, zlib, the SOCKS client or
 * our own connectors into the stable HttpError codes. Matches on `code` and
 * class, never on message text.
 */
export function classifyError(error: unknown): Classified {
  const links = chain(error);
  for (const link of links) {
    if (link instanceof BlockedAddressError) return { code: 'blocked', detail: link.message, retryable: false };
    if (link instanceof BodyTooLargeError) return { code: 'too_large', detail: link.message, retryable: false };
    if (link instanceof UnsupportedEncodingError) return { code: 'network', detail: link.message, retryable: false };
  }
  for (const link of links) {
    const code = codeOf(link);
    if (code === undefined) continue;
    if (DNS_CODES.has(code)) return { code: 'dns', detail: describe(link), retryable: DNS_TRANSIENT.has(code) };
    if (TIMEOUT_CODES.has(code)) return { code: 'timeout', detail: describe(link), retryable: true };
    if (isTls(code)) return { code: 'tls', detail: describe(link), retryable: false };
    if (PERMANENT_NETWORK.has(code)) return { code: 'network', detail: describe(link), retryable: false };
  }
  // Resets, refusals, sockets closed mid-body, proxy refusals, corrupt gzip.
  return { code: 'network', detail: describe(error), retryable: true };
}
