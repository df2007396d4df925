import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { parseAdtsFrames } from './adts.js';
import { encodeAudioChunk } from './audio-chunk.js';
import { buildChapterMetadata } from './chapters.js';
import { buildVideoArgs } from './ffmpeg-args.js';
import { buildConcatList, buildJoinArgs } from './join-args.js';
import { chunkByImages, type ImageChange, type SlideImages } from './slide-shots.js';
import { AAC_FRAME_SAMPLES, MAX_SLIDES_PER_VIDEO_PASS, planTimeline, type Timeline, VIDEO_TIMESCALE } from './timeline.js';
import { MediaError, MediaRunner } from './media-runner.js';

export interface StitchSlide {
  imagePath: string;
  audioPath: string;
  audioDurationSeconds: number;
  /** The slide's title: its chapter in the MP4. Without titles the file has no chapters. */
  title?: string;
  /** Later images of the slide (burned caption states), offsets from the slide's start. */
  changes?: ImageChange[];
  /**
   * The slide's video already encoded (SegmentEncoder, in its voice job): starts at 0 and
   * lasts exactly its window. It is stream-copied; imagePath and changes are then unused.
   */
  segmentPath?: string;
  /**
   * The slide's audio already encoded (encodeAudioChunk, in its voice job): ADTS, exactly its
   * window's AAC frames. Joined by bytes; without it the stitch encodes the chunk from audioPath.
   */
  audioChunkPath?: string;
}
export interface StitchInput {
  slides: StitchSlide[];
  width: number;
  height: number;
  /** Silence after each slide's narration; default DEFAULT_PAUSE_SECONDS. */
  pauseSeconds?: number;
  outPath: string;
  /** Scratch directory for the intermediate tracks; created if missing, cleaned after. */
  workDir: string;
  signal?: AbortSignal;
  /** 0..1, never decreasing, 1 exactly once at the end. */
  onProgress?: (fraction: number) => void;
}
export interface StitchResult {
  durationSeconds: number;
  slides: { startSeconds: number; endSeconds: number }[];
}

export const DEFAULT_PAUSE_SECONDS = 0.6;

export interface VideoStitcherOptions {
  preset?: 'ultrafast' | 'superfast' | 'veryfast';
  qp?: number;
  /** Images (slides or caption states) decoded at once by one ffmpeg pass; bounds memory. */
  slidesPerPass?: number;
}

/** A piece of the video track: a ready segment, or slides still to encode in one pass. */
type Part = { path: string; startTick: number; endTick: number; encode?: SlideImages[] };

@Injectable()
export class VideoStitcher {
  private readonly options: VideoStitcherOptions;

  constructor(private readonly runner: MediaRunner) {
    this.options = { preset: 'ultrafast', qp: 20, slidesPerPass: MAX_SLIDES_PER_VIDEO_PASS };
  }

  /** Tuning for benchmarks and callers outside Nest; the defaults are what we ship. */
  withOptions(options: VideoStitcherOptions): VideoStitcher {
    const s = new VideoStitcher(this.runner);
    Object.assign(s.options, options);
    return s;
  }

  /** The slide windows stitch() will use: captions are planned (and burned) against them first. */
  plan(audioDurationSeconds: number[], pauseSeconds = DEFAULT_PAUSE_SECONDS): Timeline {
    return planTimeline(audioDurationSeconds, pauseSeconds);
  }

  /**
   * Slides without a segment are encoded first, in passes (one after another: each keeps both
   * cores busy enough), and slides without an audio chunk get one; then the chunks are joined
   * by bytes and one ffmpeg copies the video parts and the audio into the MP4, encoding nothing.
   */
  async stitch(input: StitchInput): Promise<StitchResult> {
    if (input.slides.length === 0) throw new MediaError('nothing to stitch: no slides');
    const bad = input.slides.find((s) => !(s.audioDurationSeconds > 0) || !Number.isFinite(s.audioDurationSeconds));
    if (bad) throw new MediaError(`invalid audio duration ${bad.audioDurationSeconds} for ${bad.audioPath}`);
    if (input.width % 2 || input.height % 2) throw new MediaError(`yuv420p needs even dimensions, got ${input.width}x${input.height}`);

    const timeline = this.plan(
      input.slides.map((s) => s.audioDurationSeconds),
      input.pauseSeconds ?? DEFAULT_PAUSE_SECONDS,
    );
    const total = timeline.durationSeconds;
    const report = monotonic(input.onProgress);
    await mkdir(input.workDir, { recursive: true });
    const parts = this.parts(input, timeline);
    const concatPath = join(input.workDir, 'video.ffconcat');
    const chaptersPath = join(input.workDir, 'chapters.ffmeta');
    const audioPath = join(input.workDir, 'audio.aac');
    const chunks = input.slides.map((s, i) => s.audioChunkPath ?? join(input.workDir, `audio-${i}.aac`));
    const scratch = [
      concatPath,
      chaptersPath,
      audioPath,
      ...parts.filter((p) => p.encode).map((p) => p.path),
      ...chunks.filter((_, i) => !input.slides[i]!.audioChunkPath),
    ];

    // Progress: the passes (by video seconds), then the join (by output time).
    const toEncode = parts.reduce((n, p) => n + (p.encode ? p.endTick - p.startTick : 0), 0) / VIDEO_TIMESCALE;
    const wEncode = toEncode > 0 ? 0.6 * (toEncode / total) + 0.2 : 0;
    try {
      // Missing audio chunks are encoded (one thread each, one after another) while the video
      // passes run; both are awaited, so no ffmpeg outlives a failure of the other.
      const audio = (async () => {
        for (const [i, s] of input.slides.entries()) {
          if (s.audioChunkPath) continue;
          const windowFrames = timeline.slides[i]!.samples / AAC_FRAME_SAMPLES;
          await encodeAudioChunk(this.runner, { audioPath: s.audioPath, windowFrames, outPath: chunks[i]!, signal: input.signal });
        }
      })();
      const video = (async () => {
        let encoded = 0;
        for (const part of parts) {
          if (!part.encode) continue;
          const span = (part.endTick - part.startTick) / VIDEO_TIMESCALE;
          await this.runner.run(
            'ffmpeg',
            buildVideoArgs({
              slides: part.encode.map((s) => ({ ...s, startSeconds: (ticks(s.startSeconds) - part.startTick) / VIDEO_TIMESCALE })),
              width: input.width,
              height: input.height,
              outPath: part.path,
              preset: this.options.preset,
              qp: this.options.qp,
            }),
            { signal: input.signal, onProgress: (t) => report((wEncode * (encoded + Math.min(t, span))) / toEncode) },
          );
          encoded += span;
        }
      })();
      const failed = (await Promise.allSettled([video, audio])).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      report(wEncode);
      // Each chunk must be exactly its window (a stale or cut one would shift every later slide).
      const bytes = await Promise.all(chunks.map((c) => readFile(c)));
      bytes.forEach((b, i) => {
        const frames = parseAdtsFrames(b).length;
        const want = timeline.slides[i]!.samples / AAC_FRAME_SAMPLES;
        if (frames !== want) throw new MediaError(`audio chunk ${chunks[i]} has ${frames} AAC frames, its window ${want}`);
      });
      await writeFile(audioPath, Buffer.concat(bytes));

      const concat = parts.length > 1;
      if (concat) {
        await writeFile(concatPath, buildConcatList(parts.map((p) => ({ path: p.path, durationSeconds: (p.endTick - p.startTick) / VIDEO_TIMESCALE }))));
      }
      const chapters = input.slides.every((s) => s.title !== undefined);
      if (chapters) {
        const list = input.slides.map((s, i) => ({
          title: s.title!,
          startSeconds: timeline.slides[i].startSeconds,
          endSeconds: timeline.slides[i].endSeconds,
        }));
        await writeFile(chaptersPath, buildChapterMetadata(list));
      }
      const args = buildJoinArgs({
        videoPath: concat ? concatPath : parts[0]!.path,
        videoIsConcatList: concat,
        audioPath,
        chaptersPath: chapters ? chaptersPath : undefined,
        outPath: input.outPath,
      });
      await this.runner.run('ffmpeg', args, { signal: input.signal, onProgress: (t) => report(wEncode + (1 - wEncode) * clamp01(t / total) * 0.99) });
      report(1);
      return {
        durationSeconds: total,
        slides: timeline.slides.map((s) => ({ startSeconds: s.startSeconds, endSeconds: s.endSeconds })),
      };
    } finally {
      await Promise.all(scratch.map((p) => rm(p, { force: true })));
    }
  }

  /**
   * The video track's parts in order: each slide with a segment is one part; runs of slides
   * without are cut into passes of at most slidesPerPass images. Windows on the 90 kHz grid.
   */
  private parts(input: StitchInput, timeline: Timeline): Part[] {
    const parts: Part[] = [];
    let run: SlideImages[] = [];
    const flush = () => {
      for (const pass of chunkByImages(run, this.options.slidesPerPass ?? MAX_SLIDES_PER_VIDEO_PASS)) {
        const last = pass[pass.length - 1]!;
        const startTick = ticks(pass[0]!.startSeconds);
        const endTick = ticks(last.startSeconds) + ticks(last.durationSeconds);
        parts.push({ path: join(input.workDir, `video-${parts.length}.mp4`), startTick, endTick, encode: pass });
      }
      run = [];
    };
    input.slides.forEach((s, i) => {
      const w = timeline.slides[i]!;
      const startTick = ticks(w.startSeconds);
      const endTick = ticks(w.endSeconds);
      if (s.segmentPath) {
        flush();
        parts.push({ path: s.segmentPath, startTick, endTick });
      } else {
        run.push({
          imagePath: s.imagePath,
          changes: s.changes,
          startSeconds: startTick / VIDEO_TIMESCALE,
          durationSeconds: (endTick - startTick) / VIDEO_TIMESCALE,
        });
      }
    });
    flush();
    return parts;
  }
}

const ticks = (t: number) => Math.round(t * VIDEO_TIMESCALE);

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function monotonic(cb?: (fraction: number) => void): (fraction: number) => void {
  let last = -1;
  return (f) => {
    const v = clamp01(f);
    if (!cb || v <= last) return;
    last = v;
    cb(v);
  };
}
