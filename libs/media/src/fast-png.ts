import { once } from 'node:events';
import { crc32, createDeflate } from 'node:zlib';
import type { Canvas } from '@napi-rs/canvas';

/** Scanlines handed to zlib at a time: a block of rows instead of a second copy of the whole image (8 MB at 1080p). */
const ROWS_PER_BLOCK = 64;

/**
 * zlib level of the slide PNGs. Skia's own PNG encoder (canvas.encode('png')) spent ~0.2-0.4 s
 * on a 1080p slide, nearly all of a slide's render time; unfiltered RGBA at level 4 takes
 * ~40 ms and comes out smaller (scripts/bench-slides.ts measures both).
 */
export const SLIDE_PNG_LEVEL = 4;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The canvas as a PNG, compressed fast and off the main thread (zlib's async deflate runs on
 * libuv's thread pool, so the next slide draws meanwhile). Pixels only: no metadata.
 *
 * canvas.data() is premultiplied; for opaque pixels that is the straight RGBA a PNG holds.
 * A slide paints an opaque background first, so every pixel is opaque; a canvas with any
 * translucent pixel goes through Skia's encoder instead, which un-premultiplies it.
 */
export async function encodeFastPng(canvas: Canvas, level = SLIDE_PNG_LEVEL): Promise<Buffer> {
  const { width, height } = canvas;
  const rgba = canvas.data();
  if (!isOpaque(rgba)) return canvas.encode('png');
  return pngFromOpaqueRgba(rgba, width, height, level);
}

/** A PNG (colour type 6, RGBA, 8 bits, filter type 0 on every row) from straight RGBA pixels. */
export async function pngFromOpaqueRgba(rgba: Buffer, width: number, height: number, level = SLIDE_PNG_LEVEL): Promise<Buffer> {
  const stride = width * 4;
  if (rgba.length !== stride * height) throw new Error(`expected ${stride * height} bytes of RGBA, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // RGBA
  // compression, filter method and interlace stay 0
  const idat = await deflateScanlines(rgba, stride, height, level);
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** Each scanline is one filter byte (0: none; filtering costs more time than it saves here) and the row. */
async function deflateScanlines(rgba: Buffer, stride: number, height: number, level: number): Promise<Buffer> {
  const z = createDeflate({ level });
  const out: Buffer[] = [];
  z.on('data', (b: Buffer) => out.push(b));
  const ended = once(z, 'end');
  for (let y0 = 0; y0 < height; y0 += ROWS_PER_BLOCK) {
    const rows = Math.min(ROWS_PER_BLOCK, height - y0);
    const block = Buffer.allocUnsafe(rows * (stride + 1));
    for (let r = 0; r < rows; r++) {
      block[r * (stride + 1)] = 0;
      rgba.copy(block, r * (stride + 1) + 1, (y0 + r) * stride, (y0 + r + 1) * stride);
    }
    if (!z.write(block)) await once(z, 'drain');
  }
  z.end();
  await ended;
  return Buffer.concat(out);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, tail]);
}

function isOpaque(rgba: Buffer): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}
