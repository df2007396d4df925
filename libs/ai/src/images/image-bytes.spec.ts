import { createCanvas } from '@napi-rs/canvas';
import { ProviderError } from '../errors/provider.error.js';
import { checkedImage, decodeBase64Image, sniffImageMime } from './image-bytes.js';

const canvas = createCanvas(8, 6);
const png = canvas.toBuffer('image/png');
const jpeg = canvas.toBuffer('image/jpeg', 80);
const webp = canvas.toBuffer('image/webp', 80);

describe('image bytes', () => {
  it('tells PNG, JPEG and WebP apart by their magic numbers, and refuses the rest', () => {
    expect([sniffImageMime(png), sniffImageMime(jpeg), sniffImageMime(webp)]).toEqual(['image/png', 'image/jpeg', 'image/webp']);
    expect(sniffImageMime(Buffer.from('GIF89a......'))).toBeUndefined();
    expect(sniffImageMime(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImageMime(png.subarray(0, 7))).toBeUndefined();
  });

  it('turns an empty, oversized or non-image answer into a ProviderError', () => {
    expect(checkedImage('X', jpeg)).toEqual({ data: jpeg, mime: 'image/jpeg' });
    expect(() => checkedImage('X', Buffer.alloc(0))).toThrow(new ProviderError('X', 'transient', 'sent an empty image'));
    expect(() => checkedImage('X', png, 10)).toThrow(/X: sent an image of \d+ bytes, more than the 10 allowed/);
    expect(() => checkedImage('X', Buffer.from('{"error":"x"}'))).toThrow(/13 bytes that are not a PNG, JPEG or WebP image/);
  });

  it('decodes base64 and refuses text that is not base64 or too long for the limit', () => {
    expect(decodeBase64Image('X', png.toString('base64')).data.equals(png)).toBe(true);
    expect(() => decodeBase64Image('X', 'not base64 at all!')).toThrow(/not base64/);
    expect(() => decodeBase64Image('X', 'A'.repeat(200), 100)).toThrow(/more than the 100 bytes allowed/);
  });
});
