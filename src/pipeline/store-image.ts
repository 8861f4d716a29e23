import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImageError } from '../domain/errors.js';
import type { ParsedConfig } from '../config/config-schema.js';
import { writeNewFileAtomic } from '../archive/write-file-atomic.js';
import { IMAGE_EXTENSION, compactType, type ImageInfo } from '../content/image-bytes.js';

export interface StoredImage {
  /** Relative to the archive root: what the article links. */
  path: string;
  /** Of the source bytes (the publisher's), which name the stored file. */
  sha256: string;
  bytes: number;
  type: ImageInfo['type'];
}

const sha256Of = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const assetPath = (hash: string, type: ImageInfo['type']) => `assets/${hash.slice(0, 2)}/${hash}.${IMAGE_EXTENSION[type]}`;

/**
 * Where the compact copy of the source bytes hashed `sha256` is stored:
 * named by the sha256 of the text `<source sha256>.<ext>`, so by the source
 * bytes and the format alone, never by the encoder's output. The same
 * picture downloaded yesterday, today, on another machine or after the
 * catalog was lost has one name, and a file already there is linked as it is
 * (never encoded again). It never collides with an original (named by the
 * sha256 of its own bytes, as archives made before compact images name them).
 */
export function compactPath(sha256: string, type: ImageInfo['type']): string {
  return assetPath(sha256Of(`${sha256}.${IMAGE_EXTENSION[type]}`), type);
}

/** The path a publisher's bytes are kept under with `originals: keep` (and `assets/` held before compact images). */
export const originalPath = (sha256: string, type: ImageInfo['type']) => assetPath(sha256, type);

/** Encodes in flight per archive path: two articles (or URLs) with the same picture at once encode it once. */
const inFlight = new Map<string, Promise<StoredImage>>();

/** Asked with the bytes a new picture would add (its compact copy, and its original when kept) before any is written: throws to refuse it (image-budget.ts). */
export type AdmitImage = (bytes: number) => Promise<void>;

async function encodeAndWrite(root: string, body: Uint8Array, info: ImageInfo, sha256: string, path: string, settings: ParsedConfig['images'], url: string, admit?: AdmitImage): Promise<StoredImage> {
  const type = compactType(settings, info.type);
  let compact;
  try {
    // Loaded on first use: libvips takes half a second to load, and most runs find no new picture.
    const { compactImage } = await import('../content/compact-image.js');
    compact = await compactImage(body, info.type, settings);
  } catch (error) {
    if (error instanceof ImageError) throw new ImageError(error.code, `${url}: ${error.message}`, { cause: error.cause });
    throw error;
  }
  if (admit) await admit(compact.bytes.length + (settings.originals === 'keep' && !existsSync(join(root, originalPath(sha256, info.type))) ? body.length : 0));
  await writeNewFileAtomic(root, path, compact.bytes); // false: a concurrent run stored it first
  return { path, sha256, bytes: compact.bytes.length, type };
}

/**
 * Stores a downloaded picture in the archive: its compact copy (compact-image.ts),
 * and the publisher's bytes beside it when `originals: keep`. Returns what the
 * article links. Throws an ImageError when the picture cannot be re-encoded:
 * nothing is stored then, not even the original; nor when `admit` refuses it
 * (a BudgetError). A picture already stored costs nothing and is always linked.
 */
export async function storeImage(root: string, body: Uint8Array, info: ImageInfo, settings: ParsedConfig['images'], url: string, admit?: AdmitImage): Promise<StoredImage> {
  const sha256 = sha256Of(body);
  const path = compactPath(sha256, compactType(settings, info.type));
  const key = join(root, path);
  let stored: Promise<StoredImage> | undefined = inFlight.get(key);
  if (stored === undefined) {
    stored = existsSync(key)
      ? Promise.resolve({ path, sha256, bytes: statSync(key).size, type: compactType(settings, info.type) })
      : encodeAndWrite(root, body, info, sha256, path, settings, url, admit);
    inFlight.set(key, stored);
    void stored.then(
      () => inFlight.delete(key),
      () => inFlight.delete(key),
    );
  }
  const result = await stored;
  if (settings.originals === 'keep') await writeNewFileAtomic(root, originalPath(sha256, info.type), body);
  return result;
}
