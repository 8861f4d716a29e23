import { describe, expect, it } from 'vitest';
import { readImageInfo } from './image-bytes.js';

const png = (w: number, h: number) => {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
};

describe('readImageInfo', () => {
  it('reads PNG, GIF, JPEG and WebP headers with their sizes', () => {
    expect(readImageInfo(png(640, 480))).toEqual({ type: 'png', width: 640, height: 480 });
    expect(readImageInfo(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x10, 0x00, 0x20, 0x00, 0]))).toEqual({ type: 'gif', width: 16, height: 32 });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03, 0, 0, 0, 0]);
    expect(readImageInfo(jpeg)).toEqual({ type: 'jpeg', width: 600, height: 300 });
    const webp = new Uint8Array(30);
    webp.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
    webp.set([...'WEBPVP8X'].map((c) => c.charCodeAt(0)), 8);
    webp.set([0xff, 0x03, 0x00, 0xdf, 0x01, 0x00], 24);
    expect(readImageInfo(webp)).toEqual({ type: 'webp', width: 1024, height: 480 });
  });

  it('refuses what is not a picture: HTML, SVG, truncated headers', () => {
    expect(readImageInfo(new TextEncoder().encode('<!DOCTYPE html><html>'))).toBeUndefined();
    expect(readImageInfo(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBeUndefined();
    expect(readImageInfo(new Uint8Array([0x89, 0x50]))).toBeUndefined();
  });
});
