import { createCanvas, loadImage } from '@napi-rs/canvas';

/**
 * JPEG thumbnail from the slide PNG itself: seeking into the sparse VFR stream with -ss
 * can land on the wrong slide, the PNG cannot.
 */
export async function makeThumbnail(slidePng: Buffer, maxWidth = 640): Promise<Buffer> {
  const image = await loadImage(slidePng);
  const scale = Math.min(1, maxWidth / image.width);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  return canvas.encode('jpeg', 82);
}
