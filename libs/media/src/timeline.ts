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

/**
 * AAC frames are 1024 samples: 42.667 ms, exactly 3840 ticks of the 90 kHz video grid. Every
 * slide window is a whole number of them, so each slide's audio is encoded to AAC on its own
 * (audio-chunk.ts) and the chunks are joined by bytes with no drift.
 */
export const AAC_FRAME_SAMPLES = 1024;
/**
 * Each window starts with one lead frame: the AAC encoder's priming frame, which decodes to
 * near silence. The slide's narration starts this long after its window does.
 */
export const AUDIO_LEAD_FRAMES = 1;
export const AUDIO_LEAD_SECONDS = (AUDIO_LEAD_FRAMES * AAC_FRAME_SAMPLES) / AUDIO_SAMPLE_RATE;

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
 * One slide's window in AAC frames, from that slide alone: the lead frame, then narration plus
 * pause rounded up to whole frames. A voice job can plan, caption and encode its slide's video
 * segment and audio chunk before the others are voiced, and the joined video is exactly the sum.
 * A frame is a whole number of samples and of 90 kHz ticks, so every grid agrees.
 */
export function slideWindowFrames(audioSeconds: number, pauseSeconds: number): number {
  const body = ((Math.max(0, audioSeconds) + Math.max(0, pauseSeconds)) * AUDIO_SAMPLE_RATE) / AAC_FRAME_SAMPLES;
  return AUDIO_LEAD_FRAMES + Math.max(1, Math.ceil(body - 1e-9));
}

/** A window of `frames` AAC frames in seconds. */
export function framesToSeconds(frames: number): number {
  return (frames * AAC_FRAME_SAMPLES) / AUDIO_SAMPLE_RATE;
}

/** Slide windows back to back: each slide's length from slideWindowFrames, starts summed in frames. */
export function planTimeline(audioSeconds: number[], pauseSeconds: number): Timeline {
  const slides: TimelineSlide[] = [];
  let startFrame = 0;
  for (const a of audioSeconds) {
    const frames = slideWindowFrames(a, pauseSeconds);
    slides.push({
      startSeconds: framesToSeconds(startFrame),
      endSeconds: framesToSeconds(startFrame + frames),
      startSample: startFrame * AAC_FRAME_SAMPLES,
      samples: frames * AAC_FRAME_SAMPLES,
    });
    startFrame += frames;
  }
  return { slides, totalSamples: startFrame * AAC_FRAME_SAMPLES, durationSeconds: framesToSeconds(startFrame) };
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
