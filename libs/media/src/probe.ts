import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildProbeArgs } from './ffmpeg-args.js';
import { MediaError, type MediaRunner } from './media-runner.js';
import { withScratchDir } from './scratch-dir.js';

export interface ProbeStream {
  codecType: string;
  codecName: string;
  width?: number;
  height?: number;
  pixFmt?: string;
  sampleRate?: number;
}
export interface ProbeResult {
  durationSeconds: number;
  streams: ProbeStream[];
  formatName: string;
}

interface RawProbe {
  format?: { duration?: string; format_name?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    pix_fmt?: string;
    sample_rate?: string;
    duration?: string;
    start_time?: string;
  }[];
}

export interface ProbeOptions {
  /** Kills ffprobe when fired (a deleted video, a cancelled job). */
  signal?: AbortSignal;
}

/** The one place ffprobe runs: every probe below goes through here. */
async function ffprobe(runner: MediaRunner, args: string[], path: string, options: ProbeOptions): Promise<RawProbe> {
  const { stdout } = await runner.run('ffprobe', args, { signal: options.signal });
  try {
    return JSON.parse(stdout) as RawProbe;
  } catch {
    throw new MediaError(`ffprobe returned no JSON for ${path}`);
  }
}

export async function probeMedia(runner: MediaRunner, path: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const raw = await ffprobe(runner, buildProbeArgs(path), path, options);
  const streams = (raw.streams ?? []).map((s) => ({
    codecType: s.codec_type ?? 'unknown',
    codecName: s.codec_name ?? 'unknown',
    ...(s.width !== undefined ? { width: s.width } : {}),
    ...(s.height !== undefined ? { height: s.height } : {}),
    ...(s.pix_fmt !== undefined ? { pixFmt: s.pix_fmt } : {}),
    ...(s.sample_rate !== undefined ? { sampleRate: Number(s.sample_rate) } : {}),
  }));
  const duration = Number(raw.format?.duration ?? raw.streams?.find((s) => s.duration)?.duration);
  return { durationSeconds: Number.isFinite(duration) ? duration : 0, streams, formatName: raw.format?.format_name ?? 'unknown' };
}

/**
 * Playable length of an audio file, via ffprobe. For MP3 the stream starts after the
 * encoder delay (start_time > 0) and ffprobe's duration counts from zero, so the delay
 * is subtracted; otherwise a slide would get ~50 ms of extra silence per MP3.
 */
export async function measureAudioSeconds(runner: MediaRunner, path: string, options: ProbeOptions = {}): Promise<number> {
  const raw = await ffprobe(runner, buildAudioDurationArgs(path), path, options);
  const stream = raw.streams?.[0];
  if (!stream) throw new MediaError(`no audio stream in ${path}`);
  const start = Math.max(0, Number(stream.start_time ?? 0) || 0);
  const duration = Number(stream.duration ?? raw.format?.duration);
  if (!(duration > 0)) throw new MediaError(`no duration for ${path}`);
  return Math.max(0, duration - start);
}

/**
 * Probes bytes held in memory. They go to a scratch file under `workDir` first: from a pipe
 * ffprobe cannot seek, and for MP3 falls back to guessing the duration from the bitrate.
 */
export function probeBuffer(runner: MediaRunner, data: Buffer, extension: string, options: ProbeOptions & { workDir: string }): Promise<ProbeResult> {
  return withScratchDir(options.workDir, 'probe', async (dir) => {
    const path = join(dir, `input.${extension}`);
    await writeFile(path, data);
    return probeMedia(runner, path, options);
  });
}

export function buildAudioDurationArgs(path: string): string[] {
  return [
    '-v',
    'error',
    '-hide_banner',
    '-select_streams',
    'a:0',
    '-show_entries',
    'stream=duration,start_time:format=duration',
    '-print_format',
    'json',
    path,
  ];
}
