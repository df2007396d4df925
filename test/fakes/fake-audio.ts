import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writePcmWav } from '@app/ai';

/** Real audio for fakes and fixtures: what Google's standard voices produce is 24 kHz mono. */
export const SAMPLE_RATE = 24000;

const run = promisify(execFile);

/** A 16-bit mono 400 Hz sine WAV at 24 kHz, quiet, lasting `seconds`. */
export function sineWav(seconds: number): Buffer {
  const samples = Math.max(1, Math.round(seconds * SAMPLE_RATE));
  // 400 Hz is exactly 60 samples at 24 kHz: build one period and let fill() repeat it.
  const period = Buffer.alloc(120);
  for (let i = 0; i < 60; i++) period.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * i) / 60)), i * 2);
  return writePcmWav({ sampleRate: SAMPLE_RATE, channels: 1, bitsPerSample: 16, pcm: Buffer.alloc(samples * 2).fill(period) });
}

/** An MP3 (ID3 tag + Xing header, as encoders write them) lasting about `seconds`. */
export async function sineMp3(seconds: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-tts-'));
  try {
    const out = join(dir, 'a.mp3');
    await run('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=400:sample_rate=${SAMPLE_RATE}:duration=${seconds.toFixed(3)}`,
      '-ac',
      '1',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '32k',
      '-y',
      out,
    ]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
