// One slide's audio as AAC, encoded on its own (in its voice job) in a form whose frames are
// joined by bytes: the narration at the timeline's rate, padded with silence to a whole number
// of AAC frames, encoded to ADTS; the encoder's priming frame is kept as the window's lead
// (timeline.ts, AUDIO_LEAD_FRAMES) and anything after the window is dropped. The MDCT overlap
// at every join is then the pause of one slide against the lead of the next: silence against
// silence, no click; and each chunk is exactly its window, no drift.
import { readFile, writeFile } from 'node:fs/promises';
import { firstAdtsFrames } from './adts.js';
import { aacArgs, FFMPEG_COMMON_ARGS } from './ffmpeg-args.js';
import type { MediaRunner } from './media-runner.js';
import { AAC_FRAME_SAMPLES, AUDIO_LEAD_FRAMES, AUDIO_SAMPLE_RATE } from './timeline.js';

/** Bump when the audio recipe (aacArgs, the framing here) changes: old chunks are then not found. */
export const AUDIO_CHUNK_RECIPE = 1;

export interface AudioChunkArgs {
  audioPath: string;
  /** The slide's window in AAC frames, lead included (slideWindowFrames). */
  windowFrames: number;
  outPath: string;
}

/** ffmpeg's arguments: narration padded or trimmed to the window less its lead, to ADTS. */
export function buildAudioChunkArgs(o: AudioChunkArgs): string[] {
  return [...FFMPEG_COMMON_ARGS, ...audioChunkInputs(o), ...audioChunkOutput(o, 0)];
}

/** The chunk's input, for a run of its own or beside a segment (buildVideoArgs' `also`). */
export function audioChunkInputs(o: AudioChunkArgs): string[] {
  return ['-i', o.audioPath];
}

/** The chunk's output, its narration being input number `input` of the run. */
export function audioChunkOutput(o: AudioChunkArgs, input: number): string[] {
  const rate = AUDIO_SAMPLE_RATE;
  const samples = (o.windowFrames - AUDIO_LEAD_FRAMES) * AAC_FRAME_SAMPLES;
  return [
    '-map',
    `${input}:a:0`,
    '-af',
    `aresample=${rate},aformat=sample_fmts=fltp:sample_rates=${rate}:channel_layouts=mono,apad=whole_len=${samples},atrim=end_sample=${samples}`,
    ...aacArgs(rate),
    '-f',
    'adts',
    o.outPath,
  ];
}

/**
 * Encodes the chunk and keeps its first windowFrames frames: the priming frame plus the
 * slide's own (ffmpeg 5.1's aac encoder emits exactly those for whole-frame input; any
 * flush frame after them would overlap the next slide's lead and is dropped).
 */
export async function encodeAudioChunk(runner: MediaRunner, o: AudioChunkArgs & { signal?: AbortSignal }): Promise<void> {
  await runner.run('ffmpeg', buildAudioChunkArgs(o), { signal: o.signal });
  await keepWindowFrames(o);
}

/** After the run that encoded the chunk (its own, or a segment's): only its window's frames stay. */
export async function keepWindowFrames(o: AudioChunkArgs): Promise<void> {
  await writeFile(o.outPath, firstAdtsFrames(await readFile(o.outPath), o.windowFrames));
}
