import { createCanvas, loadImage } from '@napi-rs/canvas';
import { encodeFastPng, pngFromOpaqueRgba } from './fast-png.js';
import { SlideRenderer } from './slide-renderer.js';

function decodedPixels(img: Awaited<ReturnType<typeof loadImage>>): Uint8ClampedArray {
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height).data;
}

describe('encodeFastPng', () => {
  it('writes a PNG that decodes to exactly the drawn pixels, smaller than no compression', async () => {
    const drawn = await new SlideRenderer().drawSlide({
      deckTitle: 'Deck',
      title: 'Pixels survive the encoder',
      bullets: ['One', 'Two'],
      index: 0,
      total: 2,
      aspectRatio: '16:9',
      theme: 'ocean',
    });
    const png = await encodeFastPng(drawn.canvas);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const img = await loadImage(png);
    expect({ width: img.width, height: img.height }).toEqual({ width: 1920, height: 1080 });
    const expected = drawn.canvas.getContext('2d').getImageData(0, 0, 1920, 1080).data;
    expect(Buffer.from(decodedPixels(img)).equals(Buffer.from(expected))).toBe(true);
    expect(png.length).toBeLessThan(1920 * 1080 * 4);
  });

  it('leaves a canvas with translucent pixels to Skia, which un-premultiplies them', async () => {
    const canvas = createCanvas(4, 4);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = 'rgba(200,100,50,0.5)';
    ctx.fillRect(0, 0, 4, 4);
    const png = await encodeFastPng(canvas);
    const px = decodedPixels(await loadImage(png));
    expect(Math.abs(px[0]! - 200)).toBeLessThanOrEqual(2);
    expect(px[3]).toBeGreaterThan(100);
    expect(px[3]).toBeLessThan(155);
  });

  it('refuses pixel data of the wrong length', async () => {
    await expect(pngFromOpaqueRgba(Buffer.alloc(10), 2, 2)).rejects.toThrow('expected 16 bytes');
  });
});
