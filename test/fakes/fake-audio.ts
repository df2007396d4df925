import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Real audio for fakes and fixtures: what Google's standard voices produce is 24 kHz mono. */
export const SAMPLE_RATE = 24000;

const run = promisify(execFile);

/** A 16-bit mono 400 Hz sine WAV at 24 kHz, quiet, lasting `seconds`. */
export function sineWav(seconds: number): Buffer {
  const samples = Math.max(1, Math.round(seconds * SAMPLE_RATE));
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(SAMPLE_RATE, 24);
  buf.writeUInt32LE(SAMPLE_RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples * 2, 40);
  // 400 Hz is exactly 60 samples at 24 kHz: build one period and let fill() repeat it.
  const period = Buffer.alloc(120);
  for (let i = 0; i < 60; i++) period.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * i) / 60)), i * 2);
  buf.fill(period, 44);
  return buf;
}

/** An MP3 (ID3 tag + Xing header, as encoders write them) lasting about `seconds`. */
export async function sineMp3(seconds: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-tts-'));
  try {
    const out = join(dir, 'a.mp3');
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'lavfi', '-i', `sine=frequency=400:sample_rate=${SAMPLE_RATE}:duration=${seconds.toFixed(3)}`,
      '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '32k', '-y', out,
    ]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
