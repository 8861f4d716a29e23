import sharp from 'sharp';
import { ImageError, describeError } from '../domain/errors.js';
import { compactType, type ImageInfo } from './image-bytes.js';

/** How archived pictures are re-encoded (config `images`). */
export interface CompactSettings {
  /** webp (default), avif, or original: the format the publisher served, re-encoded all the same. */
  format: 'webp' | 'avif' | 'original';
  /** The longest side, in pixels, a stored picture may have; larger ones are scaled down to fit. */
  maxSide: number;
  /** Encoder quality, 1–100. */
  quality: number;
  /** An animated GIF (or WebP): kept moving, or its first frame only. */
  animated: 'animate' | 'first-frame';
  /** Refused before decoding when width × height (× frames) is over this. */
  maxPixels: number;
}

export interface CompactImage {
  bytes: Buffer;
  type: ImageInfo['type'];
  width: number;
  height: number;
}

/**
 * The encoder's identity. The same source bytes and settings give the same
 * bytes with the same encoder; another version of sharp or libvips may give
 * other bytes (the archive keeps the file it stored first: names do not
 * depend on these bytes).
 */
export const ENCODER = `sharp ${sharp.versions.sharp ?? '?'} libvips ${sharp.versions.vips}`;

/** The two cores: libvips works one thread per picture, two pictures at once. */
const AT_ONCE = 2;
sharp.concurrency(1);
// A watch runs for weeks: libvips' operation cache would hold decoded pictures for nothing.
sharp.cache(false);

type Sharp = ReturnType<typeof sharp>;

let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function encoder(image: Sharp, type: ImageInfo['type'], quality: number): Sharp {
  switch (type) {
    case 'webp':
      return image.webp({ quality, effort: 4 });
    case 'avif':
      return image.avif({ quality, effort: 4 });
    case 'jpeg':
      return image.jpeg({ quality, mozjpeg: true });
    case 'png':
      return image.png({ compressionLevel: 9, effort: 7 });
    case 'gif':
      return image.gif({ effort: 7 });
  }
}

/**
 * Re-encodes a downloaded picture for the archive: turned upright as its EXIF
 * orientation says, scaled down to fit `maxSide`, converted to sRGB (CMYK,
 * grey, wide-gamut), every metadata block dropped (EXIF can hold the
 * photographer's GPS position, camera serial numbers), encoded as configured.
 * Throws an ImageError (code `image_undecodable` or `image_too_many_pixels`)
 * for bytes the decoder refuses; never reads more than `maxPixels`.
 */
export async function compactImage(bytes: Uint8Array, source: ImageInfo['type'], settings: CompactSettings): Promise<CompactImage> {
  const type = compactType(settings, source);
  // AVIF as libvips writes it is a still: an animation becomes its first frame there.
  const animated = settings.animated === 'animate' && type !== 'avif' && type !== 'jpeg' && type !== 'png';
  return limited(async () => {
    try {
      const image = sharp(bytes, { limitInputPixels: settings.maxPixels, animated, failOn: 'error' })
        .autoOrient()
        .resize({ width: settings.maxSide, height: settings.maxSide, fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb');
      const { data, info } = await encoder(image, type, settings.quality).toBuffer({ resolveWithObject: true });
      return { bytes: data, type, width: info.width, height: info.pageHeight ?? info.height };
    } catch (error) {
      const message = describeError(error);
      const code = /pixel limit/i.test(message) ? 'image_too_many_pixels' : 'image_undecodable';
      const why = code === 'image_too_many_pixels' ? `over the ${settings.maxPixels} pixel cap` : `cannot be re-encoded (${message})`;
      throw new ImageError(code, `${why} [${code}]`, { cause: error });
    }
  });
}

/** Width, height and frame count of an encoded picture, as the decoder reads it (for tests and reports). */
export async function readPictureSize(bytes: Uint8Array): Promise<{ width: number; height: number; frames: number; format: string; metadata: string[] }> {
  const meta = await sharp(bytes, { animated: true }).metadata();
  const metadata = (['exif', 'icc', 'iptc', 'xmp'] as const).filter((key) => meta[key] !== undefined);
  return { width: meta.width, height: meta.pageHeight ?? meta.height, frames: meta.pages ?? 1, format: meta.format, metadata };
}

/**
 * A photograph-like picture drawn here (a harbour at dusk, lit buildings, reflections), as a camera
 * would hand it to a newsroom: a 2400×1600 JPEG at high quality with EXIF. The demo serves it, so
 * a newcomer's archive shows a real re-encoded picture; deterministic for one sharp version.
 */
export async function renderSamplePhoto(): Promise<Buffer> {
  const lights = Array.from({ length: 40 }, (_, i) => {
    const x = 60 + i * 58;
    const h = 220 + ((i * 137) % 260);
    const hue = (i * 47) % 360;
    return `<rect x="${x}" y="${1000 - h}" width="44" height="${h}" fill="#1d2233"/><rect x="${x + 8}" y="${1010 - h}" width="8" height="${h - 30}" fill="hsl(${hue},90%,70%)" opacity="0.8"/><rect x="${x + 8}" y="1040" width="28" height="${h * 0.9}" fill="hsl(${hue},90%,60%)" opacity="0.25"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2400" height="1600">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#0b1a3a"/><stop offset="0.55" stop-color="#c2557a"/><stop offset="0.62" stop-color="#f5a55a"/></linearGradient>
<linearGradient id="sea" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#27304f"/><stop offset="1" stop-color="#070a14"/></linearGradient></defs>
<rect width="2400" height="1000" fill="url(#sky)"/><circle cx="1750" cy="930" r="120" fill="#ffd28a" opacity="0.9"/>
<rect y="1000" width="2400" height="600" fill="url(#sea)"/>${lights}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).withExif({ IFD0: { Make: 'newsmirror demo', Software: 'sharp' } }).toBuffer();
}
