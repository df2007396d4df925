import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MediaRunner, probeMedia, type ProbeResult, probeBuffer, withScratchDir } from '@app/media';
import { readPcmWav, writePcmWav } from './wav.js';

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

/** ffmpeg arguments that join the files listed in a concat list into one MP3, without re-encoding. */
export function buildMp3ConcatArgs(listPath: string, outPath: string): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    listPath,
    '-c',
    'copy',
    '-map_metadata',
    '-1',
    '-write_xing',
    '1',
    '-f',
    'mp3',
    '-y',
    outPath,
  ];
}

/**
 * Measures and joins narration audio with ffprobe and ffmpeg, through MediaRunner (so a
 * cancelled job kills them) and in scratch directories under WORK_DIR.
 */
export class AudioJoiner {
  constructor(
    private readonly runner: MediaRunner,
    /** WORK_DIR: where scratch files go. */
    private readonly workDir: string,
  ) {}

  /** The first audio stream's codec and the file's duration; rejects when there is no playable audio. */
  async probe(audio: Buffer, extension: 'mp3' | 'wav', signal?: AbortSignal): Promise<ProbedAudio> {
    return playable(await probeBuffer(this.runner, audio, extension, { workDir: this.workDir, signal }));
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
  async joinMp3(parts: Buffer[], signal?: AbortSignal): Promise<{ audio: Buffer; durationSeconds: number }> {
    if (parts.length === 0) throw new Error('nothing to join');
    if (parts.length === 1) {
      const probed = await this.probe(parts[0]!, 'mp3', signal);
      if (probed.codec !== 'mp3') throw new Error(`expected MP3 audio, got ${probed.codec}`);
      return { audio: parts[0]!, durationSeconds: probed.durationSeconds };
    }
    return withScratchDir(this.workDir, 'mp3-join', async (dir) => {
      const names = parts.map((_, i) => `part-${i}.mp3`);
      await Promise.all(parts.map((p, i) => writeFile(join(dir, names[i]!), p)));
      const listPath = join(dir, 'list.txt');
      await writeFile(listPath, names.map((n) => `file '${n}'\n`).join(''));
      const out = join(dir, 'joined.mp3');
      await this.runner.run('ffmpeg', buildMp3ConcatArgs(listPath, out), { signal });
      const probed = playable(await probeMedia(this.runner, out, { signal }));
      if (probed.codec !== 'mp3') throw new Error(`joined audio is ${probed.codec}, not MP3`);
      return { audio: await readFile(out), durationSeconds: probed.durationSeconds };
    });
  }
}

function playable(probe: ProbeResult): ProbedAudio {
  const codec = probe.streams.find((s) => s.codecType === 'audio')?.codecName;
  if (!codec || !(probe.durationSeconds > 0)) throw new Error('ffprobe found no playable audio');
  return { codec, durationSeconds: probe.durationSeconds };
}
