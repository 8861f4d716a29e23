import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { BodyTooLargeError, UnsupportedEncodingError, parseContentEncoding, readBody } from './read-body.js';

const text = Buffer.from('<rss><channel><title>新聞 news</title></channel></rss>\n'.repeat(200));

/** Deliver bytes in small pieces, as a socket would. */
function chunked(bytes: Buffer, size = 997): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

describe('readBody', () => {
  it('returns an unencoded body as is', async () => {
    expect(Buffer.from(await readBody(chunked(text), undefined, 1 << 20)).equals(text)).toBe(true);
    expect(Buffer.from(await readBody(chunked(text), 'identity', 1 << 20)).equals(text)).toBe(true);
  });

  it.each([
    ['gzip', zlib.gzipSync(text)],
    ['x-gzip', zlib.gzipSync(text)],
    ['deflate', zlib.deflateSync(text)],
    ['deflate', zlib.deflateRawSync(text)], // raw DEFLATE sent by misconfigured servers
    ['br', zlib.brotliCompressSync(text)],
    ['gzip, br', zlib.brotliCompressSync(zlib.gzipSync(text))],
    ['GZIP', zlib.gzipSync(text)],
  ])('decodes Content-Encoding %s', async (encoding, wire) => {
    const body = await readBody(chunked(wire), encoding, 1 << 20);
    expect(Buffer.from(body).equals(text)).toBe(true);
  });

  it('keeps what a truncated gzip stream carried', async () => {
    const wire = zlib.gzipSync(text);
    const body = await readBody(chunked(wire.subarray(0, wire.length - 8)), 'gzip', 1 << 20);
    expect(Buffer.from(body).equals(text)).toBe(true);
  });

  it('stops a gzip bomb at the decoded cap and destroys the source', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 << 20)); // ~64 KiB on the wire, 64 MiB decoded
    expect(bomb.length).toBeLessThan(1 << 20);
    const source = chunked(bomb, 4096);
    const error = await readBody(source, 'gzip', 1 << 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).stage).toBe('decoded');
    expect(source.destroyed).toBe(true);
  });

  it('stops an endless body at the wire cap', async () => {
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(16_384, 0x61));
      },
    });
    const error = await readBody(endless, undefined, 100_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(endless.destroyed).toBe(true);
  });

  it('accepts a body of exactly the cap', async () => {
    const body = await readBody(chunked(text), undefined, text.length);
    expect(body.length).toBe(text.length);
  });

  it('refuses an encoding it cannot decode', async () => {
    const source = chunked(text);
    await expect(readBody(source, 'zstd', 1 << 20)).rejects.toBeInstanceOf(UnsupportedEncodingError);
    expect(source.destroyed).toBe(true);
  });

  it('fails on corrupt compressed data', async () => {
    await expect(readBody(chunked(Buffer.from('not gzip at all')), 'gzip', 1 << 20)).rejects.toThrow();
  });
});

describe('parseContentEncoding', () => {
  it('lists codings in decoding order and refuses deep stacks', () => {
    expect(parseContentEncoding('gzip, br')).toEqual(['br', 'gzip']);
    expect(parseContentEncoding(' identity ')).toEqual([]);
    expect(() => parseContentEncoding('gzip, gzip, gzip, gzip')).toThrow(UnsupportedEncodingError);
  });
});
