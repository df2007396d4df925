import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { buildChapterMetadata } from './chapters.js';
import { buildAudioJoinArgs, buildConcatList, buildMuxArgs, buildVideoArgs } from './ffmpeg-args.js';
import { chunkByImages, type ImageChange } from './slide-shots.js';
import { MAX_SLIDES_PER_VIDEO_PASS, planTimeline, type Timeline, VIDEO_TIMESCALE } from './timeline.js';
import { MediaError, MediaRunner } from './media-runner.js';

export interface StitchSlide {
  imagePath: string;
  audioPath: string;
  audioDurationSeconds: number;
  /** The slide's title: its chapter in the MP4. Without titles the file has no chapters. */
  title?: string;
  /** Later images of the slide (burned caption states), offsets from the slide's start. */
  changes?: ImageChange[];
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

// Progress weights: audio and video encode in parallel, then a quick stream-copy mux.
const W_VIDEO = 0.45;
const W_AUDIO = 0.45;
const W_MUX = 0.1;

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

  async stitch(input: StitchInput): Promise<StitchResult> {
    if (input.slides.length === 0) throw new MediaError('nothing to stitch: no slides');
    const bad = input.slides.find((s) => !(s.audioDurationSeconds > 0) || !Number.isFinite(s.audioDurationSeconds));
    if (bad) throw new MediaError(`invalid audio duration ${bad.audioDurationSeconds} for ${bad.audioPath}`);
    if (input.width % 2 || input.height % 2) throw new MediaError(`yuv420p needs even dimensions, got ${input.width}x${input.height}`);

    const pause = input.pauseSeconds ?? DEFAULT_PAUSE_SECONDS;
    const timeline = this.plan(
      input.slides.map((s) => s.audioDurationSeconds),
      pause,
    );
    const total = timeline.durationSeconds;
    const report = monotonic(input.onProgress);

    await mkdir(input.workDir, { recursive: true });
    const audioPath = join(input.workDir, 'audio-only.m4a');
    // Slide windows on the 90 kHz grid; a pass holds at most slidesPerPass images.
    const ticks = (t: number) => Math.round(t * VIDEO_TIMESCALE);
    const passes = chunkByImages(
      input.slides.map((s, i) => ({
        imagePath: s.imagePath,
        changes: s.changes,
        startSeconds: ticks(timeline.slides[i]!.startSeconds) / VIDEO_TIMESCALE,
        durationSeconds: (ticks(timeline.slides[i]!.endSeconds) - ticks(timeline.slides[i]!.startSeconds)) / VIDEO_TIMESCALE,
      })),
      this.options.slidesPerPass ?? MAX_SLIDES_PER_VIDEO_PASS,
    );
    const passStart = (pass: (typeof passes)[number]) => ticks(pass[0]!.startSeconds);
    const passEnd = (pass: (typeof passes)[number]) => ticks(pass[pass.length - 1]!.startSeconds) + ticks(pass[pass.length - 1]!.durationSeconds);
    const segmentPaths = passes.map((_, k) => join(input.workDir, `video-${k}.mp4`));
    const concatPath = join(input.workDir, 'video.ffconcat');
    const chaptersPath = join(input.workDir, 'chapters.ffmeta');
    const scratch = [audioPath, concatPath, chaptersPath, ...segmentPaths];

    // Either encode failing stops the other: no orphan ffmpeg eats the cores.
    const inner = new AbortController();
    const onOuterAbort = () => inner.abort(input.signal?.reason);
    if (input.signal?.aborted) inner.abort();
    input.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let videoDone = 0;
    let audioDone = 0;
    const tick = () => report(W_VIDEO * videoDone + W_AUDIO * audioDone);
    try {
      // Passes run one after another (each keeps both cores busy enough); each segment starts
      // at 0 and lasts exactly its slides, so the concat demuxer lines them up on the 90 kHz grid.
      const video = (async () => {
        for (const [k, pass] of passes.entries()) {
          const tick0 = passStart(pass);
          await this.runner.run(
            'ffmpeg',
            buildVideoArgs({
              slides: pass.map((s) => ({ ...s, startSeconds: (ticks(s.startSeconds) - tick0) / VIDEO_TIMESCALE })),
              width: input.width,
              height: input.height,
              outPath: segmentPaths[k],
              preset: this.options.preset,
              qp: this.options.qp,
            }),
            { signal: inner.signal, onProgress: (t) => ((videoDone = clamp01((tick0 / VIDEO_TIMESCALE + t) / total)), tick()) },
          );
        }
      })();
      const audio = this.runner.run(
        'ffmpeg',
        buildAudioJoinArgs({ inputs: input.slides.map((s, i) => ({ path: s.audioPath, samples: timeline.slides[i].samples })), outPath: audioPath }),
        { signal: inner.signal, onProgress: (t) => ((audioDone = clamp01(t / total)), tick()) },
      );
      const settled = await Promise.allSettled([
        video.catch((e: unknown) => (inner.abort(), Promise.reject(e))),
        audio.catch((e: unknown) => (inner.abort(), Promise.reject(e))),
      ]);
      const failure = pickFailure(settled, input.signal);
      if (failure) throw failure;
      videoDone = audioDone = 1;
      tick();

      const multiPass = segmentPaths.length > 1;
      if (multiPass) {
        const segments = passes.map((pass, k) => ({
          path: segmentPaths[k]!,
          durationSeconds: (passEnd(pass) - passStart(pass)) / VIDEO_TIMESCALE,
        }));
        await writeFile(concatPath, buildConcatList(segments));
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
      const muxArgs = buildMuxArgs({
        videoPath: multiPass ? concatPath : segmentPaths[0],
        videoIsConcatList: multiPass,
        audioPath,
        chaptersPath: chapters ? chaptersPath : undefined,
        outPath: input.outPath,
      });
      await this.runner.run('ffmpeg', muxArgs, {
        signal: inner.signal,
        onProgress: (t) => report(W_VIDEO + W_AUDIO + W_MUX * clamp01(t / total)),
      });
      report(1);
      return {
        durationSeconds: total,
        slides: timeline.slides.map((s) => ({ startSeconds: s.startSeconds, endSeconds: s.endSeconds })),
      };
    } finally {
      input.signal?.removeEventListener('abort', onOuterAbort);
      await Promise.all(scratch.map((p) => rm(p, { force: true })));
    }
  }
}

/** The error to surface: cancellation if the caller aborted, else the first real failure. */
function pickFailure(settled: PromiseSettledResult<unknown>[], signal?: AbortSignal): unknown {
  const errors = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
  if (errors.length === 0) return undefined;
  if (signal?.aborted) return errors.find((e) => e instanceof MediaError && e.cancelled) ?? errors[0];
  // The other process was cancelled because of the first failure: report the cause.
  return errors.find((e) => !(e instanceof MediaError && e.cancelled)) ?? errors[0];
}

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
