// Pure builders of ffmpeg argument arrays. No I/O here: tests check the arrays, and the
// recipe (see ARCHITECTURE.md, "Rendering: what was measured") lives in one place; the
// timing it encodes is planned in timeline.ts.
import { planShots, type SlideImages } from './slide-shots.js';
import { IMAGE_FRAMERATE, MAX_FRAME_GAP_SECONDS, ptsExpression, VIDEO_TIMESCALE, videoFramePlan } from './timeline.js';

/** Arguments every ffmpeg run gets: no stdin, no banner, overwrite, machine-readable progress. */
export const FFMPEG_COMMON_ARGS: readonly string[] = [
  '-nostdin',
  '-hide_banner',
  '-y',
  '-loglevel',
  'error',
  '-progress',
  'pipe:1',
  '-nostats',
  '-stats_period',
  '0.25',
];

/** The AAC encode of a slide's narration (audio-chunk.ts): mono, the timeline's rate, the fast coder. */
export function aacArgs(rate: number, bitrate = '64k'): string[] {
  return ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', bitrate, '-ar', String(rate), '-ac', '1'];
}

/** Level by frame size: x264 infers it from the 90 kHz timebase otherwise and writes 6.1. */
export function h264LevelFor(width: number, height: number): string {
  const macroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  if (macroblocks <= 8192) return '4.1';
  if (macroblocks <= 36864) return '5.1';
  return '6.1';
}

export interface VideoArgs {
  /** A slide shows its image, then each of its changes from its offset on (burned captions). */
  slides: SlideImages[];
  width: number;
  height: number;
  outPath: string;
  preset?: 'ultrafast' | 'superfast' | 'veryfast';
  /** Constant quantiser: repeats of a still frame cost ~11 bytes; CRF keeps re-spending bits on them. */
  qp?: number;
  maxFrameGapSeconds?: number;
  /** Caps the filter and encoder threads (a voice worker runs several encodes at once); default: ffmpeg's choice. */
  threads?: number;
  /**
   * A second output of the same ffmpeg run (a slide's audio chunk beside its segment): its
   * inputs come after the images, and `output` is given the index of the first of them.
   * One run instead of two saves ffmpeg's start, ~0.12 s of CPU here (it loads 215 libraries).
   */
  also?: { inputs: string[]; output: (firstInput: number) => string[] };
}

/**
 * Each image (a slide, or one of its caption states: a "shot") is decoded and converted
 * once, then repeated (loop filter: references, not copies) so no frame lasts longer than
 * maxFrameGap; timestamps are set absolutely on a 90 kHz grid after the concat, so slide
 * starts and caption changes land exactly where they were planned.
 */
export function buildVideoArgs(o: VideoArgs): string[] {
  const maxGap = o.maxFrameGapSeconds ?? MAX_FRAME_GAP_SECONDS;
  const { width: w, height: h } = o;
  // -framerate pins the duration ffmpeg gives the very last frame (1/IMAGE_FRAMERATE).
  const shots = planShots(o.slides);
  const inputs = shots.flatMap((s) => ['-framerate', String(IMAGE_FRAMERATE), '-i', s.imagePath]);
  const frames = videoFramePlan(shots, maxGap);
  const counts = frames.map((f) => f.count);
  const chains = shots.map(
    (_, n) =>
      `[${n}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease:out_color_matrix=bt709:out_range=tv,` +
      `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,format=yuv420p,setsar=1,loop=loop=${counts[n] - 1}:size=1:start=0[v${n}]`,
  );
  const labels = shots.map((_, n) => `[v${n}]`).join('');
  const graph = `${chains.join(';')};${labels}concat=n=${shots.length}:v=1:a=0,` + `settb=1/${VIDEO_TIMESCALE},setpts='${ptsExpression(frames)}'[vout]`;
  // A keyframe at each slide start, so seeking lands on the right picture. The times are
  // nudged 1 ms early so that rounding to the 90 kHz grid never moves the key to the next frame.
  const keyTimes = o.slides.map((s) => Math.max(0, s.startSeconds - 0.001).toFixed(6)).join(',');
  const threads = o.threads ? ['-filter_complex_threads', String(o.threads)] : [];
  return [
    ...FFMPEG_COMMON_ARGS,
    ...threads,
    ...inputs,
    ...(o.also?.inputs ?? []),
    '-filter_complex',
    graph,
    '-map',
    '[vout]',
    '-c:v',
    'libx264',
    '-preset',
    o.preset ?? 'ultrafast',
    '-qp',
    String(o.qp ?? 20),
    '-bf',
    '0',
    '-g',
    '9999',
    '-keyint_min',
    '1',
    '-sc_threshold',
    '0',
    // Slice threads, not frame threads: most frames are repeats that cost little each, and
    // frame-thread hand-offs were a quarter of x264's CPU time on them (measured, 2 cores).
    '-x264-params',
    'sliced-threads=1',
    ...(o.threads ? ['-threads', String(o.threads)] : []),
    '-force_key_frames',
    keyTimes,
    '-level:v',
    h264LevelFor(w, h),
    '-pix_fmt',
    'yuv420p',
    '-colorspace',
    'bt709',
    '-color_primaries',
    'bt709',
    '-color_trc',
    'bt709',
    '-color_range',
    'tv',
    '-fps_mode',
    'passthrough',
    '-enc_time_base',
    `1/${VIDEO_TIMESCALE}`,
    '-video_track_timescale',
    String(VIDEO_TIMESCALE),
    '-an',
    '-f',
    'mp4',
    o.outPath,
    ...(o.also?.output(shots.length) ?? []),
  ];
}

export function buildProbeArgs(path: string): string[] {
  return ['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams', path];
}
