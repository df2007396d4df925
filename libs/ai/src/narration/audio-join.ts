import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseWav } from './wav.js';

const run = promisify(execFile);

/** PCM layout of a WAV file, and where its samples are. */
export interface PcmWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** The `data` chunk's bytes (a view into the original buffer). */
  pcm: Buffer;
}

/**
 * The samples of a PCM WAV (what Google returns for LINEAR16), found by the one
 * WAV reader (wav.ts), which walks the chunks and copes with streamed sizes.
 */
export function readPcmWav(buf: Buffer): PcmWav {
  const info = parseWav(buf);
  return {
    sampleRate: info.sampleRate,
    channels: info.channels,
    bitsPerSample: info.bitsPerSample,
    pcm: buf.subarray(info.dataOffset, info.dataOffset + info.dataBytes),
  };
}

/** Writes PCM samples behind a canonical 44-byte header. */
export function writePcmWav(wav: PcmWav): Buffer {
  const blockAlign = (wav.channels * wav.bitsPerSample) / 8;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + wav.pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
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

/**
 * Joins WAV parts into one WAV. They must share a layout; Google returns the
 * same layout for the same voice and config, and resampling here would hide a bug.
 */
export function joinWav(parts: Buffer[]): Buffer {
  if (parts.length === 0) throw new Error('nothing to join');
  const wavs = parts.map(readPcmWav);
  const first = wavs[0]!;
  for (const w of wavs) {
    if (w.sampleRate !== first.sampleRate || w.channels !== first.channels || w.bitsPerSample !== first.bitsPerSample) {
      throw new Error(
        `WAV parts differ: ${first.sampleRate} Hz/${first.channels} ch/${first.bitsPerSample} bit vs ` +
          `${w.sampleRate} Hz/${w.channels} ch/${w.bitsPerSample} bit`,
      );
    }
  }
  return writePcmWav({ ...first, pcm: Buffer.concat(wavs.map((w) => w.pcm)) });
}

export interface ProbedAudio {
  codec: string;
  durationSeconds: number;
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'blinked-audio-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function probeFile(path: string): Promise<ProbedAudio> {
  const { stdout } = await run('ffprobe', [
    '-v', 'error',
    '-select_streams', 'a:0',
    '-show_entries', 'stream=codec_name:format=duration',
    '-of', 'json',
    path,
  ]);
  const parsed = JSON.parse(stdout) as { streams?: { codec_name?: string }[]; format?: { duration?: string } };
  const codec = parsed.streams?.[0]?.codec_name;
  const durationSeconds = Number(parsed.format?.duration);
  if (!codec || !Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new Error('ffprobe found no playable audio');
  }
  return { codec, durationSeconds };
}

/**
 * Measures audio with ffprobe. It reads a file, not a pipe: from a pipe ffprobe
 * cannot seek, and for MP3 falls back to guessing the duration from the bitrate.
 */
export function probeAudio(audio: Buffer, extension: 'mp3' | 'wav'): Promise<ProbedAudio> {
  return withTempDir(async (dir) => {
    const path = join(dir, `audio.${extension}`);
    await writeFile(path, audio);
    return probeFile(path);
  });
}

/**
 * Joins MP3 parts into one MP3 and measures it.
 *
 * Why ffmpeg's concat demuxer with `-c copy` rather than `Buffer.concat`: each
 * part may start with an ID3 tag and a Xing/Info frame that states the part's
 * own frame count. Byte-concatenated, the first Xing frame understates the
 * whole file to any player that trusts it (length, seek bar), and every later
 * tag/Xing frame is junk mid-stream (ffprobe counts it: measured +60 ms on two
 * 1-2 s parts). The demuxer parses the frames, drops those headers,
 * and the mp3 muxer writes one Xing header for the whole file; stream copy
 * means no re-encoding, so no quality loss and little CPU. The result is then
 * checked with ffprobe, which is also where the duration comes from.
 */
export async function joinMp3(parts: Buffer[]): Promise<{ audio: Buffer; durationSeconds: number }> {
  if (parts.length === 0) throw new Error('nothing to join');
  return withTempDir(async (dir) => {
    if (parts.length === 1) {
      const path = join(dir, 'audio.mp3');
      await writeFile(path, parts[0]!);
      const probed = await probeFile(path);
      if (probed.codec !== 'mp3') throw new Error(`expected MP3 audio, got ${probed.codec}`);
      return { audio: parts[0]!, durationSeconds: probed.durationSeconds };
    }
    const names = parts.map((_, i) => `part-${i}.mp3`);
    await Promise.all(parts.map((p, i) => writeFile(join(dir, names[i]!), p)));
    await writeFile(join(dir, 'list.txt'), names.map((n) => `file '${n}'\n`).join(''));
    const out = join(dir, 'joined.mp3');
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'concat', '-safe', '0', '-i', join(dir, 'list.txt'),
      '-c', 'copy', '-map_metadata', '-1', '-write_xing', '1',
      '-f', 'mp3', '-y', out,
    ]);
    const probed = await probeFile(out);
    if (probed.codec !== 'mp3') throw new Error(`joined audio is ${probed.codec}, not MP3`);
    return { audio: await readFile(out), durationSeconds: probed.durationSeconds };
  });
}
