import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CORPUS, hasCorpus, noteSkip } from '../../test/helpers/shared.js';
import { ImageError } from '../domain/errors.js';
import { compactImage, readPictureSize, type CompactSettings } from './compact-image.js';
import { readImageInfo } from './image-bytes.js';

const SETTINGS: CompactSettings = { format: 'webp', maxSide: 1280, quality: 72, animated: 'animate', maxPixels: 40_000_000 };
const IMAGES = join(CORPUS, 'images');

const solid = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } });
/** A camera's JPEG: stored sideways with EXIF orientation 6, and the photographer's GPS position. */
const sidewaysJpeg = () =>
  solid(400, 200, '#336699')
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Make: 'NewsCam', Model: 'Serial 123456' }, IFD2: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 7/1' } })
    .toBuffer();
async function animatedGif(width: number, height: number): Promise<Buffer> {
  const frames = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map((c) => solid(width, height, c).png().toBuffer()));
  return sharp(frames, { join: { animated: true } }).gif({ delay: [200, 200, 200], loop: 0 }).toBuffer();
}
/** A PNG whose header says 50000×50000 pixels: its bytes are a 10×10 picture's. */
async function hugeHeaderPng(): Promise<Buffer> {
  const png = Buffer.from(await solid(10, 10, '#000').png().toBuffer());
  png.writeUInt32BE(50_000, 16);
  png.writeUInt32BE(50_000, 20);
  return png;
}

describe('compactImage (real sharp)', () => {
  it('turns an EXIF-rotated JPEG upright and drops its EXIF, GPS position included', async () => {
    const input = await sidewaysJpeg();
    expect((await sharp(input).metadata()).orientation).toBe(6);
    expect(input.toString('latin1')).toContain('NewsCam');
    const out = await compactImage(input, 'jpeg', SETTINGS);
    expect(out.type).toBe('webp');
    expect(await readPictureSize(out.bytes)).toMatchObject({ width: 200, height: 400, format: 'webp', metadata: [] });
    expect(out.bytes.toString('latin1')).not.toMatch(/Exif|NewsCam|Serial|XMP/);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const input = await solid(300, 200, '#cc3300').toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(input).metadata()).space).toBe('cmyk');
    const out = await compactImage(input, 'jpeg', SETTINGS);
    const decoded = await sharp(out.bytes).metadata();
    expect(decoded.space).toBe('srgb');
    const { data } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    // The colour survives the round trip through CMYK (not inverted, not washed out).
    expect(data[0]).toBeGreaterThan(150);
    expect(data[2]).toBeLessThan(80);
  });

  it('scales a picture down to fit the box and never up', async () => {
    const wide = await compactImage(await solid(3000, 1000, '#888').png().toBuffer(), 'png', SETTINGS);
    expect([wide.width, wide.height]).toEqual([1280, 427]);
    const small = await compactImage(await solid(300, 100, '#888').png().toBuffer(), 'png', { ...SETTINGS, maxSide: 200 });
    expect([small.width, small.height]).toEqual([200, 67]);
    const tiny = await compactImage(await solid(30, 10, '#888').png().toBuffer(), 'png', SETTINGS);
    expect([tiny.width, tiny.height]).toEqual([30, 10]);
  });

  it('keeps an animated GIF moving as an animated WebP, or keeps its first frame, by config', async () => {
    const gif = await animatedGif(1600, 900);
    const moving = await readPictureSize((await compactImage(gif, 'gif', SETTINGS)).bytes);
    expect(moving).toMatchObject({ format: 'webp', frames: 3, width: 1280, height: 720 });
    const still = await readPictureSize((await compactImage(gif, 'gif', { ...SETTINGS, animated: 'first-frame' })).bytes);
    expect(still).toMatchObject({ format: 'webp', frames: 1, width: 1280, height: 720 });
  });

  it('encodes AVIF, or the publisher’s own format, when configured', async () => {
    const jpeg = await solid(2000, 1000, '#468').jpeg().toBuffer();
    const avif = await compactImage(jpeg, 'jpeg', { ...SETTINGS, format: 'avif' });
    expect(readImageInfo(avif.bytes)?.type).toBe('avif');
    const original = await compactImage(jpeg, 'jpeg', { ...SETTINGS, format: 'original' });
    expect(readImageInfo(original.bytes)).toEqual({ type: 'jpeg', width: 1280, height: 640 });
  });

  it('gives the same bytes for the same input, every time', async () => {
    const input = await sidewaysJpeg();
    const [a, b] = await Promise.all([compactImage(input, 'jpeg', SETTINGS), compactImage(input, 'jpeg', SETTINGS)]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });

  it('refuses a picture over the pixel cap from its header, before decoding it', async () => {
    const error = await compactImage(await hugeHeaderPng(), 'png', SETTINGS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({ code: 'image_too_many_pixels', message: 'over the 40000000 pixel cap [image_too_many_pixels]' });
  });

  it('refuses bytes it cannot decode with a coded error', async () => {
    const error = await compactImage(Buffer.from('GIF89a\x01\x00\x01\x00 and then nothing a decoder can read'), 'gif', SETTINGS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({ code: 'image_undecodable' });
    expect((error as Error).message).toMatch(/^cannot be re-encoded \(.+\) \[image_undecodable\]$/);
  });
});

describe.skipIf(noteSkip(hasCorpus, 'compactImage on the real images of ../shared/corpus/images'))('compactImage on the real corpus images', () => {
  it('fits every picture in the box, decodable and without metadata, at under a fifth of the bytes; refuses the one over the pixel cap', async () => {
    const names = (await readdir(IMAGES)).filter((n) => /\.(jpe?g|png|gif|webp|avif)$/.test(n)).sort();
    expect(names.length).toBeGreaterThanOrEqual(15);
    let before = 0;
    let after = 0;
    const refused: string[] = [];
    for (const name of names) {
      const input = await readFile(join(IMAGES, name));
      const info = readImageInfo(input);
      expect(info, name).toBeDefined();
      try {
        const out = await compactImage(input, info!.type, SETTINGS);
        const decoded = await readPictureSize(out.bytes);
        expect(Math.max(decoded.width, decoded.height), name).toBeLessThanOrEqual(1280);
        expect(decoded.metadata, name).toEqual([]);
        expect((await compactImage(input, info!.type, SETTINGS)).bytes.equals(out.bytes), name).toBe(true);
        before += input.length;
        after += out.bytes.length;
      } catch (error) {
        expect(error, name).toMatchObject({ code: 'image_too_many_pixels' });
        refused.push(name);
      }
    }
    expect(refused).toEqual(['giant-image.jpg']);
    console.log(`corpus images: ${after} bytes compact vs ${before} original (ratio ${(after / before).toFixed(3)})`);
    expect(after / before).toBeLessThan(0.2);
  }, 60_000);
});
