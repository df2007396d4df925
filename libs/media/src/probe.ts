import { buildProbeArgs } from './ffmpeg-args.js';
import { MediaError, type MediaRunner } from './media-runner.js';

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
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number; pix_fmt?: string; sample_rate?: string; duration?: string }[];
}

export async function probeMedia(runner: MediaRunner, path: string): Promise<ProbeResult> {
  const { stdout } = await runner.run('ffprobe', buildProbeArgs(path));
  let raw: RawProbe;
  try {
    raw = JSON.parse(stdout) as RawProbe;
  } catch {
    throw new MediaError(`ffprobe returned no JSON for ${path}`);
  }
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

/** Duration of an audio file as ffprobe reports it; rejects if there is no audio or no duration. */
export async function measureAudioSeconds(runner: MediaRunner, path: string): Promise<number> {
  const probe = await probeMedia(runner, path);
  if (!probe.streams.some((s) => s.codecType === 'audio')) throw new MediaError(`no audio stream in ${path}`);
  if (!(probe.durationSeconds > 0)) throw new MediaError(`no duration for ${path}`);
  return probe.durationSeconds;
}
