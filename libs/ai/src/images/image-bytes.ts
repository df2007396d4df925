import type { ImageResult } from './image-source.port.js';
import { ProviderError } from '../errors/provider.error.js';

/** Raster formats a slide can show; anything else from a provider is refused. */
export type RasterMime = Exclude<ImageResult['mime'], 'image/svg+xml'>;

/** A generous ceiling: a 2K PNG is about 6 MB; more than this is not a slide picture. */
export const DEFAULT_MAX_IMAGE_BYTES = 15 * 1024 * 1024;

/**
 * The format from the bytes' magic number. A provider's Content-Type, a URL's extension
 * and a JSON mimeType field can all be wrong (CDNs serve WebP under .jpeg), the bytes cannot.
 */
export function sniffImageMime(data: Buffer): RasterMime | undefined {
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Checks what a provider sent before anyone draws it: an empty, oversized or non-image
 * answer becomes a ProviderError (the caller falls back to an icon), never a renderer crash.
 * Not-an-image is transient (a cut-short download or a proxy's HTML page may not recur);
 * too large is permanent (asking again returns the same picture).
 */
export function checkedImage(label: string, data: Buffer, maxBytes = DEFAULT_MAX_IMAGE_BYTES): { data: Buffer; mime: RasterMime } {
  if (data.length > maxBytes) {
    throw new ProviderError(label, 'permanent', `sent an image of ${data.length} bytes, more than the ${maxBytes} allowed`);
  }
  const mime = sniffImageMime(data);
  if (!mime) {
    const what = data.length === 0 ? 'an empty image' : `${data.length} bytes that are not a PNG, JPEG or WebP image`;
    throw new ProviderError(label, 'transient', `sent ${what}`);
  }
  return { data, mime };
}

/** Base64 from a JSON field, refusing text that is not base64 rather than decoding it to noise. */
export function decodeBase64Image(label: string, text: string, maxBytes = DEFAULT_MAX_IMAGE_BYTES): { data: Buffer; mime: RasterMime } {
  // 4 base64 characters per 3 bytes: reject before allocating an oversized buffer.
  if (text.length > Math.ceil(maxBytes / 3) * 4 + 4) {
    throw new ProviderError(label, 'permanent', `sent an image of more than the ${maxBytes} bytes allowed`);
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text.replace(/\s+/g, ''))) {
    throw new ProviderError(label, 'transient', 'sent image data that is not base64');
  }
  return checkedImage(label, Buffer.from(text, 'base64'), maxBytes);
}
