// The timing plan of a stitched video, as pure functions: where each slide starts on the
// audio sample grid, how many frames it gets and at which presentation times, and how a
// long deck is split into encoding passes. ffmpeg-args.ts turns the plan into arguments.

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
 * One slide's window (narration plus pause) in whole milliseconds, from that slide alone:
 * a voice job can plan, caption and encode its slide's video segment before the others are
 * voiced, and the joined video is exactly the sum of the segments. A millisecond is a whole
 * number of audio samples (24 at 24 kHz) and of 90 kHz ticks (90), so every grid agrees.
 * Rounding each slide moves it by at most 0.5 ms against its raw length; the audio is padded
 * or trimmed to the window, so sound and picture never drift apart.
 */
export function slideWindowMs(audioSeconds: number, pauseSeconds: number): number {
  return Math.max(1, Math.round((Math.max(0, audioSeconds) + Math.max(0, pauseSeconds)) * 1000));
}

/** Slide windows back to back: each slide's length from slideWindowMs, starts summed in whole ms. */
export function planTimeline(audioSeconds: number[], pauseSeconds: number, sampleRate = AUDIO_SAMPLE_RATE): Timeline {
  const slides: TimelineSlide[] = [];
  let startMs = 0;
  let startSample = 0;
  for (const a of audioSeconds) {
    const endMs = startMs + slideWindowMs(a, pauseSeconds);
    const endSample = Math.round((endMs * sampleRate) / 1000);
    slides.push({ startSeconds: startMs / 1000, endSeconds: endMs / 1000, startSample, samples: endSample - startSample });
    startMs = endMs;
    startSample = endSample;
  }
  return { slides, totalSamples: startSample, durationSeconds: startMs / 1000 };
}

/** Frame times for one slide: evenly spaced, never more than maxGap apart. */
export function repeatCount(durationSeconds: number, maxGap = MAX_FRAME_GAP_SECONDS): number {
  return Math.max(1, Math.ceil(durationSeconds / maxGap - 1e-9));
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
