export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes of sample data actually present (never more than the buffer holds). */
  dataBytes: number;
  /** Offset of the first sample byte in the buffer. */
  dataOffset: number;
  durationSeconds: number;
}

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;
/** Placeholder sizes a writer that cannot seek back leaves; an overrunning size is handled too. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

/**
 * Reads a RIFF/WAVE header and measures the audio from the bytes actually present.
 * A streamed WAV carries placeholder RIFF/data sizes (espeak-ng writes 0x7ffff000), so a
 * data size that is a placeholder or overruns the buffer is replaced by what is there.
 */
export function parseWav(buf: Buffer): WavInfo {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new WavFormatError(`not a RIFF/WAVE file (${buf.length} bytes)`);
  }

  let fmt: { format: number; channels: number; sampleRate: number; blockAlign: number; bitsPerSample: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('latin1', offset, offset + 4);
    const declared = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    const available = buf.length - body;

    if (id === 'fmt ') {
      if (declared < 16 || available < 16) throw new WavFormatError(`fmt chunk too short (${declared} bytes)`);
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        blockAlign: buf.readUInt16LE(body + 12),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
      if (fmt.format === EXTENSIBLE && declared >= 40 && available >= 40) fmt.format = buf.readUInt16LE(body + 24);
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk comes before the fmt chunk');
      if (fmt.format !== PCM && fmt.format !== IEEE_FLOAT) {
        throw new WavFormatError(`unsupported WAV encoding ${fmt.format} (only PCM and float are measured)`);
      }
      if (fmt.channels === 0 || fmt.sampleRate === 0 || fmt.bitsPerSample === 0) {
        throw new WavFormatError(`fmt chunk is invalid (channels ${fmt.channels}, rate ${fmt.sampleRate}, bits ${fmt.bitsPerSample})`);
      }
      const frameBytes = fmt.blockAlign || (fmt.channels * fmt.bitsPerSample) / 8;
      const raw = UNKNOWN_SIZES.has(declared) || declared > available ? available : declared;
      // A truncated stream can end mid-frame; only whole frames are audio.
      const dataBytes = raw - (raw % frameBytes);
      return {
        sampleRate: fmt.sampleRate,
        channels: fmt.channels,
        bitsPerSample: fmt.bitsPerSample,
        dataBytes,
        dataOffset: body,
        durationSeconds: dataBytes / (fmt.sampleRate * frameBytes),
      };
    }
    if (declared > available) break;
    offset = body + declared + (declared % 2); // chunks are padded to an even length
  }
  throw new WavFormatError(fmt ? 'no data chunk' : 'no fmt chunk');
}

/**
 * Returns the WAV trimmed to its measured data and with true RIFF and data sizes, so tools
 * that trust the header (ffprobe's duration, browsers, concat demuxers) read it right.
 * The input buffer is not modified.
 */
export function finaliseWav(buf: Buffer): { audio: Buffer; info: WavInfo } {
  const info = parseWav(buf);
  const end = info.dataOffset + info.dataBytes;
  const audio = Buffer.from(buf.subarray(0, end));
  audio.writeUInt32LE(end - 8, 4);
  audio.writeUInt32LE(info.dataBytes, info.dataOffset - 4);
  return { audio, info };
}

/** PCM layout of a WAV file, and where its samples are. */
export interface PcmWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** The `data` chunk's bytes (a view into the original buffer). */
  pcm: Buffer;
}

/** The samples of a PCM WAV (what Google returns for LINEAR16), found by parseWav. */
export function readPcmWav(buf: Buffer): PcmWav {
  const info = parseWav(buf);
  return {
    sampleRate: info.sampleRate,
    channels: info.channels,
    bitsPerSample: info.bitsPerSample,
    pcm: buf.subarray(info.dataOffset, info.dataOffset + info.dataBytes),
  };
}

/** The one WAV writer: PCM samples behind a canonical 44-byte header. */
export function writePcmWav(wav: PcmWav): Buffer {
  const blockAlign = (wav.channels * wav.bitsPerSample) / 8;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + wav.pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(PCM, 20);
  header.writeUInt16LE(wav.channels, 22);
  header.writeUInt32LE(wav.sampleRate, 24);
  header.writeUInt32LE(wav.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(wav.bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(wav.pcm.length, 40);
  return Buffer.concat([header, wav.pcm]);
}

export function wavDurationSeconds(buf: Buffer): number {
  return parseWav(buf).durationSeconds;
}
