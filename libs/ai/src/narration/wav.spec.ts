import { finaliseWav, parseWav, WavFormatError, writePcmWav } from './wav.js';

/** A PCM WAV header as a streaming writer leaves it, followed by `frames` silent frames. */
function wav(opts: { rate: number; channels: number; bits: number; frames: number; riffSize?: number; dataSize?: number; extraChunk?: boolean }): Buffer {
  const data = opts.frames * ((opts.channels * opts.bits) / 8);
  const plain = writePcmWav({ sampleRate: opts.rate, channels: opts.channels, bitsPerSample: opts.bits, pcm: Buffer.alloc(data) });
  const list = opts.extraChunk
    ? Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0', 'latin1')])
    : Buffer.alloc(0);
  const out = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
  out.writeUInt32LE((opts.riffSize ?? 36 + list.length + data) >>> 0, 4);
  out.writeUInt32LE((opts.dataSize ?? data) >>> 0, 40 + list.length);
  return out;
}

describe('parseWav', () => {
  it('reads a well-formed header and measures the duration', () => {
    const info = parseWav(wav({ rate: 22050, channels: 1, bits: 16, frames: 22050 * 2 }));
    expect(info).toEqual({ sampleRate: 22050, channels: 1, bitsPerSample: 16, dataBytes: 88200, dataOffset: 44, durationSeconds: 2 });
  });

  it('skips other chunks (odd sizes are padded) before data', () => {
    const info = parseWav(wav({ rate: 48000, channels: 2, bits: 16, frames: 12000, extraChunk: true }));
    expect(info.dataOffset).toBe(44 + 12);
    expect(info.durationSeconds).toBe(0.25);
  });

  it.each([0xffffffff, 0, 0x7ffff000])('measures from the bytes present when the data size is %i', (size) => {
    const buf = wav({ rate: 16000, channels: 1, bits: 16, frames: 8000, riffSize: size, dataSize: size });
    const info = parseWav(buf);
    expect(info.dataBytes).toBe(16000);
    expect(info.durationSeconds).toBe(0.5);
  });

  it('ignores a trailing partial frame', () => {
    const buf = Buffer.concat([wav({ rate: 8000, channels: 2, bits: 16, frames: 100, dataSize: 0xffffffff }), Buffer.alloc(3)]);
    expect(parseWav(buf).dataBytes).toBe(400);
  });

  it('rejects what is not a WAV', () => {
    expect(() => parseWav(Buffer.from('ID3\u0004 not a wav at all'))).toThrow(WavFormatError);
    const noData = wav({ rate: 8000, channels: 1, bits: 8, frames: 0 }).subarray(0, 36);
    expect(() => parseWav(noData)).toThrow('no data chunk');
  });

  it('finaliseWav writes the true sizes without touching its input', () => {
    const streamed = wav({ rate: 16000, channels: 1, bits: 16, frames: 800, riffSize: 0x7ffff024, dataSize: 0x7ffff000 });
    const { audio, info } = finaliseWav(streamed);
    expect(audio.readUInt32LE(4)).toBe(audio.length - 8);
    expect(audio.readUInt32LE(40)).toBe(1600);
    expect(info.durationSeconds).toBe(0.05);
    expect(streamed.readUInt32LE(40)).toBe(0x7ffff000);
  });
});
