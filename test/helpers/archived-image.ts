import { createHash } from 'node:crypto';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * Where the archive stores the compact copy of a downloaded picture, relative
 * to its root: `assets/<2 hex>/<h>.<ext>`, h the sha256 of the text
 * `<sha256 of the source bytes>.<ext>` (images.format webp by default).
 */
export function compactAsset(source: Uint8Array, ext = 'webp'): string {
  const name = sha256(`${sha256(source)}.${ext}`);
  return `assets/${name.slice(0, 2)}/${name}.${ext}`;
}
