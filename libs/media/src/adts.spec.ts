import { firstAdtsFrames, parseAdtsFrames } from './adts.js';

/** An ADTS header of `length` bytes (payload zeros), CRC present or not. */
function frame(length: number, crc = false): Buffer {
  const b = Buffer.alloc(length);
  b[0] = 0xff;
  b[1] = crc ? 0xf0 : 0xf1;
  b[2] = 0x58; // AAC LC, 24 kHz
  b[3] = 0x40 | ((length >> 11) & 0x03);
  b[4] = (length >> 3) & 0xff;
  b[5] = ((length & 0x07) << 5) | 0x1f;
  b[6] = 0xfc;
  return b;
}

describe('ADTS framing', () => {
  it('finds each frame by its 13-bit length, with and without CRC', () => {
    const buf = Buffer.concat([frame(7), frame(300), frame(9, true), frame(6000)]);
    expect(parseAdtsFrames(buf)).toEqual([
      { offset: 0, length: 7 },
      { offset: 7, length: 300 },
      { offset: 307, length: 9 },
      { offset: 316, length: 6000 },
    ]);
  });

  it('keeps the first frames and drops the rest', () => {
    const buf = Buffer.concat([frame(10), frame(20), frame(30)]);
    expect(firstAdtsFrames(buf, 2)).toEqual(buf.subarray(0, 30));
    expect(firstAdtsFrames(buf, 0).length).toBe(0);
    expect(() => firstAdtsFrames(buf, 4)).toThrow(/3 frames, expected at least 4/);
  });

  it('rejects a lost sync word, a cut frame and stray bytes', () => {
    expect(() => parseAdtsFrames(Buffer.concat([frame(10), Buffer.alloc(10)]))).toThrow(/no sync word at 10/);
    expect(() => parseAdtsFrames(frame(20).subarray(0, 15))).toThrow(/bad frame length 20/);
    expect(() => parseAdtsFrames(Buffer.concat([frame(10), Buffer.from([0xff])]))).toThrow(/stray bytes/);
    expect(() => parseAdtsFrames(frame(8, true).fill(0, 7))).toThrow(/bad frame length 8/);
  });
});
