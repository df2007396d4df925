// One slide's video segment: its picture (and burned caption states) for exactly its window,
// encoded on its own as soon as the slide is voiced, so the stitch only joins. The
// fingerprint names everything the segment's bytes depend on: a segment stored under it is
// never stale, and a retried or cached voice job finds it instead of encoding again.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import type { CaptionStyle } from '@app/common';
import type { AspectRatio } from './aspect-ratio.js';
import { CaptionBurner } from './caption-burner.js';
import type { CaptionCue } from './caption-cues.js';
import { buildVideoArgs } from './ffmpeg-args.js';
import { MediaRunner } from './media-runner.js';
import { AUDIO_SAMPLE_RATE, framesToSeconds } from './timeline.js';
import { AUDIO_CHUNK_RECIPE, type AudioChunkArgs, audioChunkInputs, audioChunkOutput, encodeAudioChunk, keepWindowFrames } from './audio-chunk.js';

/**
 * Bump when the encoding recipe (buildVideoArgs, slide-shots, the caption drawing) changes
 * what a segment looks like: segments of the old recipe are then no longer found.
 */
export const SEGMENT_RECIPE = 2;

/** Everything a segment's bytes depend on. */
export interface SegmentSpec {
  /** The slide image's storage key and its size: a re-rendered image changes the segment. */
  imageKey: string;
  imageBytes: number;
  /** The slide's window (lead, narration, pause) in AAC frames: slideWindowFrames. */
  windowFrames: number;
  width: number;
  height: number;
  /** Burned captions: the slide's cues on a window starting at 0 (slideCaptionCues), the style, the frame. */
  burned?: { cues: CaptionCue[]; style: CaptionStyle; aspectRatio: AspectRatio };
}

/** 24 hex digits of SHA-256 over the spec (and the recipe): the segment's name in storage. */
export function segmentFingerprint(spec: SegmentSpec): string {
  const canonical = JSON.stringify([
    SEGMENT_RECIPE,
    spec.imageKey,
    spec.imageBytes,
    spec.windowFrames,
    spec.width,
    spec.height,
    spec.burned ? [spec.burned.style, spec.burned.aspectRatio, spec.burned.cues] : null,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

/** Everything an audio chunk's bytes depend on: the narration's key, the window, rate and recipe. */
export function audioChunkFingerprint(audioKey: string, windowFrames: number): string {
  const canonical = JSON.stringify([AUDIO_CHUNK_RECIPE, audioKey, windowFrames, AUDIO_SAMPLE_RATE]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

export interface EncodeSegmentInput {
  spec: SegmentSpec;
  /** The slide image, downloaded. */
  imagePath: string;
  outPath: string;
  /** Scratch for the caption images; created if missing (the caller removes it). */
  workDir: string;
  /** Encoder and filter threads: voice workers run several encodes at once. */
  threads?: number;
  /** The slide's audio chunk too, in the same ffmpeg run (the same bytes as encodeAudio makes). */
  audio?: AudioChunkArgs;
  signal?: AbortSignal;
}

/** Encodes one slide's segment (starts at 0, a keyframe first, lasts exactly its window) and its audio chunk, in one run or apart. */
@Injectable()
export class SegmentEncoder {
  constructor(
    private readonly runner: MediaRunner,
    private readonly burner: CaptionBurner,
  ) {}

  async encode(input: EncodeSegmentInput): Promise<void> {
    const { spec } = input;
    const durationSeconds = framesToSeconds(spec.windowFrames);
    await mkdir(input.workDir, { recursive: true });
    const changes = spec.burned
      ? (
          await this.burner.burn({
            slides: [{ imagePath: input.imagePath, startSeconds: 0, endSeconds: durationSeconds }],
            cues: spec.burned.cues.map((c) => ({ ...c, slideIndex: 0 })),
            aspectRatio: spec.burned.aspectRatio,
            style: spec.burned.style,
            workDir: input.workDir,
          })
        )[0]
      : undefined;
    await this.runner.run(
      'ffmpeg',
      buildVideoArgs({
        slides: [{ imagePath: input.imagePath, startSeconds: 0, durationSeconds, changes }],
        width: spec.width,
        height: spec.height,
        outPath: input.outPath,
        threads: input.threads,
        also: input.audio && { inputs: audioChunkInputs(input.audio), output: (first) => audioChunkOutput(input.audio!, first) },
      }),
      { signal: input.signal },
    );
    if (input.audio) await keepWindowFrames(input.audio);
  }

  /** The slide's audio chunk (audio-chunk.ts): its window's AAC frames, ADTS. */
  async encodeAudio(input: { audioPath: string; windowFrames: number; outPath: string; signal?: AbortSignal }): Promise<void> {
    await encodeAudioChunk(this.runner, input);
  }
}
