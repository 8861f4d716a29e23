import { Transform, Writable } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/** The decoded body passed its cap; raised while streaming, before it is all read. */
export class BodyTooLargeError extends Error {
  readonly code = 'ERR_NEWSMIRROR_TOO_LARGE';
  constructor(readonly limit: number, readonly stage: 'wire' | 'decoded') {
    super(`body exceeds ${limit} bytes${stage === 'wire' ? ' on the wire' : ' after decompression'}`);
    this.name = 'BodyTooLargeError';
  }
}

/** A Content-Encoding we did not ask for and cannot decode. */
export class UnsupportedEncodingError extends Error {
  readonly code = 'ERR_NEWSMIRROR_ENCODING';
  constructor(readonly encoding: string) {
    super(`unsupported Content-Encoding "${encoding}"`);
    this.name = 'UnsupportedEncodingError';
  }
}

/** What we advertise; zstd is left out because Node 20's zlib cannot decode it. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Stacked encodings beyond this are an attack, not a server (undici caps at 5 too). */
const MAX_ENCODINGS = 3;

/*
 * Servers cut gzip streams short often enough that browsers accept a missing
 * trailer; Z_SYNC_FLUSH makes zlib hand over what it has instead of failing.
 */
const LENIENT = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const LENIENT_BROTLI = { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

/**
 * "deflate" should be zlib-wrapped (RFC 9110 §8.4.1.2) but some servers send raw
 * DEFLATE; pick by the first byte, as browsers do.
 */
class DeflateDecoder extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#inner === undefined) {
      const zlibWrapped = ((chunk[0] ?? 0) & 0x0f) === 0x08;
      this.#inner = zlibWrapped ? zlib.createInflate(LENIENT) : zlib.createInflateRaw(LENIENT);
      this.#inner.on('data', (data: Buffer) => this.push(data));
      this.#inner.on('error', (error: Error) => this.destroy(error));
    }
    this.#inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (this.#inner === undefined) {
      callback();
      return;
    }
    this.#inner.once('end', () => callback());
    this.#inner.end();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }
}

function decoderFor(encoding: string): Transform {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(LENIENT);
    case 'deflate':
      return new DeflateDecoder();
    case 'br':
      return zlib.createBrotliDecompress(LENIENT_BROTLI);
    default:
      throw new UnsupportedEncodingError(encoding);
  }
}

/** Counts bytes flowing through and fails the pipeline once they pass `limit`. */
function byteCounter(limit: number, stage: 'wire' | 'decoded'): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new BodyTooLargeError(limit, stage));
      else callback(null, chunk);
    },
  });
}

/** Content-Encoding values in the order they must be undone (last applied first). */
export function parseContentEncoding(header: string | undefined): string[] {
  if (header === undefined) return [];
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  if (codings.length > MAX_ENCODINGS) throw new UnsupportedEncodingError(header);
  return codings;
}

/**
 * Read a response body into memory, undoing Content-Encoding and stopping as
 * soon as either the wire bytes or the decoded bytes pass `maxBytes`, so a
 * gzip bomb or an endless body costs at most about `maxBytes` of memory.
 * On any failure the source stream is destroyed, which closes the connection.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Uint8Array> {
  let decoders: Transform[];
  try {
    decoders = parseContentEncoding(contentEncoding).map(decoderFor);
  } catch (error) {
    body.destroy();
    throw error;
  }
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const decodedCap = decoders.length > 0 ? [byteCounter(maxBytes, 'decoded')] : [];
  await pipeline([body, byteCounter(maxBytes, 'wire'), ...decoders, ...decodedCap, sink]);
  const joined = Buffer.concat(chunks);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
}
