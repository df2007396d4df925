// The length of an MP4 as its movie header (moov/mvhd) states it: what ffprobe reports as
// the format's duration, read in-process. The stitch reads it right after the join, on the
// critical path, where an ffprobe costs ~0.2 s (most of it loading ffmpeg's libraries).
import { open } from 'node:fs/promises';
import { MediaError } from './media-runner.js';

const HEADER = 8;

/** Seconds, from moov/mvhd; a file that is no MP4, or has no movie header, is a MediaError. */
export async function mp4DurationSeconds(path: string): Promise<number> {
  const file = await open(path, 'r');
  try {
    const { size: fileSize } = await file.stat();
    const head = Buffer.alloc(16);
    let offset = 0;
    while (offset + HEADER <= fileSize) {
      await file.read(head, 0, 16, offset);
      const { size, type, headerBytes } = boxHeader(head, fileSize - offset);
      if (type === 'moov') {
        const moov = Buffer.alloc(size - headerBytes);
        await file.read(moov, 0, moov.length, offset + headerBytes);
        return mvhdSeconds(moov, path);
      }
      offset += size;
    }
    throw new MediaError(`${path}: no moov box: not an MP4, or an unfinished one`);
  } finally {
    await file.close();
  }
}

function boxHeader(b: Buffer, remaining: number): { size: number; type: string; headerBytes: number } {
  const small = b.readUInt32BE(0);
  const type = b.toString('latin1', 4, 8);
  // 1: a 64-bit size follows; 0: the box runs to the end of the file.
  const size = small === 1 ? Number(b.readBigUInt64BE(8)) : small === 0 ? remaining : small;
  const headerBytes = small === 1 ? 16 : HEADER;
  if (size < headerBytes || size > remaining) throw new MediaError(`bad MP4 box "${type}" of ${size} bytes`);
  return { size, type, headerBytes };
}

/** mvhd among moov's children: version 0 has 32-bit times, version 1 64-bit ones. */
function mvhdSeconds(moov: Buffer, path: string): number {
  let offset = 0;
  while (offset + HEADER <= moov.length) {
    const { size, type, headerBytes } = boxHeader(moov.subarray(offset, offset + 16), moov.length - offset);
    if (type === 'mvhd') {
      const body = moov.subarray(offset + headerBytes, offset + size);
      const version = body.readUInt8(0);
      const timescale = version === 1 ? body.readUInt32BE(20) : body.readUInt32BE(12);
      const duration = version === 1 ? Number(body.readBigUInt64BE(24)) : body.readUInt32BE(16);
      if (!timescale) throw new MediaError(`${path}: the movie header has no timescale`);
      return duration / timescale;
    }
    offset += size;
  }
  throw new MediaError(`${path}: moov has no mvhd`);
}
