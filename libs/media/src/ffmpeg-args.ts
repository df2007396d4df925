// Pure builders of ffmpeg argument arrays. No I/O here: tests check the arrays, and the
// recipe (see ARCHITECTURE.md, "Rendering: what was measured") lives in one place.

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

// Narration comes at 22.05-24 kHz (espeak-ng, Google TTS): 24 kHz loses nothing and halves
// the AAC work compared with 48 kHz.
export const AUDIO_SAMPLE_RATE = 24000;
export const VIDEO_TIMESCALE = 90000;
/**
 * Longest a frame may stay on screen in the VFR stream before it is repeated. Chromium
 * presents a sparse stream's next frame early, by more the sparser it is. Measured here with
 * libs/media/tools/chromium-playback-check.mjs (Chromium 156, 6 slides, 3 runs each): at
 * 0.5 s slides changed up to 0.10 s early (0.2 s with uneven spacing), at 0.33-0.4 s up to
 * 0.08 s, at 0.25 s within 0.012 s. The repeats are nearly free in bytes (constant QP).
 */
export const MAX_FRAME_GAP_SECONDS = 0.25;

export interface TimelineSlide {
  startSeconds: number;
  endSeconds: number;
  startSample: number;
  samples: number;
}
export interface Timeline {
  slides: TimelineSlide[];
  totalSamples: number;
  durationSeconds: number;
}

/**
 * Slide windows on the audio sample grid: slide i lasts its narration plus the pause.
 * Boundaries are rounded once from the cumulative time, so errors never accumulate.
 */
export function planTimeline(audioSeconds: number[], pauseSeconds: number, sampleRate = AUDIO_SAMPLE_RATE): Timeline {
  const slides: TimelineSlide[] = [];
  let cumulative = 0;
  let prevSample = 0;
  for (const a of audioSeconds) {
    cumulative += Math.max(0, a) + Math.max(0, pauseSeconds);
    const end = Math.max(prevSample + 1, Math.round(cumulative * sampleRate));
    slides.push({ startSeconds: prevSample / sampleRate, endSeconds: end / sampleRate, startSample: prevSample, samples: end - prevSample });
    prevSample = end;
  }
  return { slides, totalSamples: prevSample, durationSeconds: prevSample / sampleRate };
}

export interface AudioJoinArgs {
  inputs: { path: string; samples: number }[];
  outPath: string;
  sampleRate?: number;
  bitrate?: string;
}

/**
 * One process, one AAC encode for the whole narration: each input is resampled, padded
 * with silence (the pause is real silence) or trimmed to exactly its slide's samples, then
 * concatenated. Encoding per slide and joining would keep AAC priming at every join.
 */
export function buildAudioJoinArgs(o: AudioJoinArgs): string[] {
  const rate = o.sampleRate ?? AUDIO_SAMPLE_RATE;
  const inputs = o.inputs.flatMap((i) => ['-i', i.path]);
  const chains = o.inputs.map(
    (i, n) =>
      `[${n}:a:0]aresample=${rate},aformat=sample_fmts=fltp:sample_rates=${rate}:channel_layouts=mono,` +
      `apad=whole_len=${i.samples},atrim=end_sample=${i.samples},asetpts=N/SR/TB[a${n}]`,
  );
  const labels = o.inputs.map((_, n) => `[a${n}]`).join('');
  const graph = `${chains.join(';')};${labels}concat=n=${o.inputs.length}:v=0:a=1[aout]`;
  return [
    ...FFMPEG_COMMON_ARGS,
    ...inputs,
    '-filter_complex',
    graph,
    '-map',
    '[aout]',
    '-c:a',
    'aac',
    '-aac_coder',
    'fast',
    '-b:a',
    o.bitrate ?? '64k',
    '-ar',
    String(rate),
    '-ac',
    '1',
    '-f',
    'mp4',
    o.outPath,
  ];
}

/** Frame times for one slide: evenly spaced, never more than maxGap apart. */
export function repeatCount(durationSeconds: number, maxGap = MAX_FRAME_GAP_SECONDS): number {
  return Math.max(1, Math.ceil(durationSeconds / maxGap - 1e-9));
}

/** Level by frame size: x264 infers it from the 90 kHz timebase otherwise and writes 6.1. */
export function h264LevelFor(width: number, height: number): string {
  const macroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  if (macroblocks <= 8192) return '4.1';
  if (macroblocks <= 36864) return '5.1';
  return '6.1';
}

export interface VideoArgs {
  slides: { imagePath: string; startSeconds: number; durationSeconds: number }[];
  width: number;
  height: number;
  outPath: string;
  preset?: 'ultrafast' | 'superfast' | 'veryfast';
  /** Constant quantiser: repeats of a still frame cost ~11 bytes; CRF keeps re-spending bits on them. */
  qp?: number;
  maxFrameGapSeconds?: number;
}

/**
 * Each slide image is decoded and converted once, then repeated (loop filter: references,
 * not copies) so no frame lasts longer than maxFrameGap; timestamps are set absolutely on
 * a 90 kHz grid after the concat, so slide starts land exactly on the audio boundaries.
 */
export function buildVideoArgs(o: VideoArgs): string[] {
  const maxGap = o.maxFrameGapSeconds ?? MAX_FRAME_GAP_SECONDS;
  const { width: w, height: h } = o;
  // -framerate pins the duration ffmpeg gives the very last frame (1/IMAGE_FRAMERATE).
  const inputs = o.slides.flatMap((s) => ['-framerate', String(IMAGE_FRAMERATE), '-i', s.imagePath]);
  const frames = videoFramePlan(o.slides, maxGap);
  const counts = frames.map((f) => f.count);
  const chains = o.slides.map(
    (_, n) =>
      `[${n}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease:out_color_matrix=bt709:out_range=tv,` +
      `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,format=yuv420p,setsar=1,loop=loop=${counts[n] - 1}:size=1:start=0[v${n}]`,
  );
  const labels = o.slides.map((_, n) => `[v${n}]`).join('');
  const graph = `${chains.join(';')};${labels}concat=n=${o.slides.length}:v=1:a=0,` + `settb=1/${VIDEO_TIMESCALE},setpts='${ptsExpression(frames)}'[vout]`;
  // A keyframe at each slide start, so seeking lands on the right picture. The times are
  // nudged 1 ms early so that rounding to the 90 kHz grid never moves the key to the next frame.
  const keyTimes = o.slides.map((s) => Math.max(0, s.startSeconds - 0.001).toFixed(6)).join(',');
  return [
    ...FFMPEG_COMMON_ARGS,
    ...inputs,
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
  ];
}

/** The last frame of the stream is shown for one image frame period; see videoFramePlan. */
export const IMAGE_FRAMERATE = 25;

export interface SlideFrames {
  startSeconds: number;
  count: number;
  stepSeconds: number;
}

/**
 * How many frames each slide gets and how far apart. The final slide gets one extra frame
 * 1/IMAGE_FRAMERATE before the end, so the video track ends exactly where the audio does.
 */
export function videoFramePlan(slides: { startSeconds: number; durationSeconds: number }[], maxGap = MAX_FRAME_GAP_SECONDS): SlideFrames[] {
  const tail = 1 / IMAGE_FRAMERATE;
  return slides.map((s, i) => {
    if (i === slides.length - 1 && s.durationSeconds > 2 * tail) {
      const span = s.durationSeconds - tail;
      const count = repeatCount(span, maxGap) + 1;
      return { startSeconds: s.startSeconds, count, stepSeconds: span / (count - 1) };
    }
    const count = repeatCount(s.durationSeconds, maxGap);
    return { startSeconds: s.startSeconds, count, stepSeconds: s.durationSeconds / count };
  });
}

/** Piecewise setpts for the concatenated stream: frame N of slide i at start_i + k * step_i. */
export function ptsExpression(frames: SlideFrames[]): string {
  let first = 0;
  const pieces = frames.map((f) => {
    const start = f.startSeconds * VIDEO_TIMESCALE;
    const step = f.stepSeconds * VIDEO_TIMESCALE;
    const expr = `round(${round6(start)}+(N-${first})*${round6(step)})`;
    first += f.count;
    return { expr, end: first };
  });
  let out = pieces[pieces.length - 1].expr;
  for (let i = pieces.length - 2; i >= 0; i--) out = `if(lt(N,${pieces[i].end}),${pieces[i].expr},${out})`;
  return out;
}

const round6 = (x: number) => Number(x.toFixed(6)).toString();

/**
 * ffmpeg 5.1 decodes the first frame of every input before it configures a filter graph,
 * so one pass holds every slide in memory (~11 MB per 1080p slide). Long decks are encoded
 * in passes of at most this many slides, joined by the concat demuxer without re-encoding.
 */
export const MAX_SLIDES_PER_VIDEO_PASS = 12;

/** Splits slide indexes into passes of at most `size`. */
export function chunkSlides<T>(items: T[], size = MAX_SLIDES_PER_VIDEO_PASS): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) chunks.push(items.slice(i, i + Math.max(1, size)));
  return chunks;
}

/**
 * An ffconcat script listing video segments. Each segment's exact duration is written out:
 * otherwise the demuxer takes the MP4 header's millisecond-rounded duration and every
 * join shifts the later slides by up to a millisecond.
 */
export function buildConcatList(segments: { path: string; durationSeconds: number }[]): string {
  const lines = segments.map((s) => `file '${s.path.replace(/'/g, "'\\''")}'\nduration ${s.durationSeconds.toFixed(6)}\n`);
  return `ffconcat version 1.0\n${lines.join('')}`;
}

export interface MuxArgs {
  /** A video file, or an ffconcat list of video segments when videoIsConcatList. */
  videoPath: string;
  videoIsConcatList?: boolean;
  audioPath: string;
  outPath: string;
}

/** Stream copy into the final file; +faststart puts moov first so browsers can start playing at once. */
export function buildMuxArgs(o: MuxArgs): string[] {
  return [
    ...FFMPEG_COMMON_ARGS,
    ...(o.videoIsConcatList ? ['-f', 'concat', '-safe', '0'] : []),
    '-i',
    o.videoPath,
    '-i',
    o.audioPath,
    '-map',
    '0:v:0',
    '-map',
    '1:a:0',
    '-c',
    'copy',
    '-video_track_timescale',
    String(VIDEO_TIMESCALE),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    o.outPath,
  ];
}

export function buildProbeArgs(path: string): string[] {
  return ['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams', path];
}
