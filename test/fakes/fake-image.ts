import { createCanvas } from '@napi-rs/canvas';

/**
 * Real, small pictures for the image fakes: a sky, a sun and a hill, encoded by
 * @napi-rs/canvas, so adapters and renderers see bytes that decode like a provider's.
 * Small on purpose (tens of pixels): the tests check shape and format, not detail.
 */
export type FakeImageFormat = 'png' | 'jpeg';

export function fakePicture(width: number, height: number, format: FakeImageFormat = 'png'): Buffer {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#7ec8e3';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#f9d342';
  ctx.beginPath();
  ctx.arc(width * 0.75, height * 0.3, Math.min(width, height) * 0.15, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#3a7d44';
  ctx.fillRect(0, height * 0.7, width, height * 0.3);
  return format === 'png' ? canvas.toBuffer('image/png') : canvas.toBuffer('image/jpeg', 85);
}

/** Pixel sizes per aspect ratio, as the fakes answer them (an unknown ratio gets a square). */
export function fakeSizeFor(aspectRatio: string | undefined): { width: number; height: number } {
  const m = /^(\d+):(\d+)$/.exec(aspectRatio ?? '');
  if (!m) return { width: 48, height: 48 };
  const [w, h] = [Number(m[1]), Number(m[2])];
  return w >= h ? { width: 64, height: Math.round((64 * h) / w) } : { width: Math.round((64 * w) / h), height: 64 };
}

/** "1536x1024" (OpenAI's size) as a scaled-down picture of the same shape. */
export function fakeSizeFromDimensions(size: string | undefined): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(size ?? '');
  return m ? fakeSizeFor(`${m[1]}:${m[2]}`) : { width: 48, height: 48 };
}

/** Bytes that are not any image format, for the "garbage" steps. */
export const NOT_AN_IMAGE = Buffer.from('<html><body>Service temporarily unavailable</body></html>');
