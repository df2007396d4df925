// ADTS framing, parsed in Node: a slide's audio chunk keeps exactly its window's frames (the
// encoder's priming frame and the slide's own), and chunks are joined by their bytes.

export interface AdtsFrame {
  offset: number;
  length: number;
}

/** Every frame of an ADTS stream, in order; throws on a lost sync word or a cut frame. */
export function parseAdtsFrames(buf: Buffer): AdtsFrame[] {
  const frames: AdtsFrame[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf.length - offset < 7) throw new Error(`ADTS: ${buf.length - offset} stray bytes at ${offset}`);
    if (buf[offset] !== 0xff || (buf[offset + 1]! & 0xf0) !== 0xf0) throw new Error(`ADTS: no sync word at ${offset}`);
    // frame_length: 13 bits at header bits 30..42, header included.
    const length = ((buf[offset + 3]! & 0x03) << 11) | (buf[offset + 4]! << 3) | (buf[offset + 5]! >> 5);
    const header = buf[offset + 1]! & 0x01 ? 7 : 9; // protection_absent: no CRC
    if (length < header || offset + length > buf.length) throw new Error(`ADTS: bad frame length ${length} at ${offset}`);
    frames.push({ offset, length });
    offset += length;
  }
  return frames;
}

/** The first `count` frames of an ADTS stream (the rest, the encoder's flush, dropped). */
export function firstAdtsFrames(buf: Buffer, count: number): Buffer {
  const frames = parseAdtsFrames(buf);
  if (frames.length < count) throw new Error(`ADTS: ${frames.length} frames, expected at least ${count}`);
  const last = frames[count - 1];
  return buf.subarray(0, last ? last.offset + last.length : 0);
}
