// A slide may show several images one after another (burned captions: the slide alone in
// the gaps, then one image per caption state). Each image over its interval is a "shot";
// the variable-frame-rate stream is planned over shots exactly as it was over slides.
import { IMAGE_FRAMERATE, VIDEO_TIMESCALE } from './timeline.js';

/** From offsetSeconds (relative to the slide's start) on, the slide shows imagePath. */
export interface ImageChange {
  imagePath: string;
  offsetSeconds: number;
}
export interface SlideImages {
  /** Shown from the slide's start until the first change. */
  imagePath: string;
  startSeconds: number;
  durationSeconds: number;
  changes?: ImageChange[];
}
export interface Shot {
  imagePath: string;
  startSeconds: number;
  durationSeconds: number;
}

/**
 * Shorter shots are folded into the next one: a caption state under one image frame period
 * is not readable, and two frames must never share a 90 kHz tick.
 */
export const MIN_SHOT_SECONDS = 1 / IMAGE_FRAMERATE;

const tick = (s: number) => Math.round(s * VIDEO_TIMESCALE);

/** One slide's shots, on the 90 kHz grid, covering exactly [start, start + duration). */
export function slideShots(slide: SlideImages): Shot[] {
  const start = tick(slide.startSeconds);
  const end = start + tick(slide.durationSeconds);
  const minTicks = tick(MIN_SHOT_SECONDS);
  const shots: { imagePath: string; from: number }[] = [{ imagePath: slide.imagePath, from: start }];
  const changes = [...(slide.changes ?? [])].sort((a, b) => a.offsetSeconds - b.offsetSeconds);
  for (const c of changes) {
    const from = Math.max(start, start + tick(c.offsetSeconds));
    if (from >= end) break;
    const last = shots[shots.length - 1]!;
    // Too soon after the previous change: the newer image takes that shot's place.
    if (from - last.from < minTicks) last.imagePath = c.imagePath;
    else shots.push({ imagePath: c.imagePath, from });
  }
  // The final shot too must last at least the minimum: it keeps its image and starts earlier.
  while (shots.length > 1 && end - shots[shots.length - 1]!.from < minTicks) {
    const last = shots.pop()!;
    shots[shots.length - 1]!.imagePath = last.imagePath;
  }
  return shots.map((s, i) => ({
    imagePath: s.imagePath,
    startSeconds: s.from / VIDEO_TIMESCALE,
    durationSeconds: ((shots[i + 1]?.from ?? end) - s.from) / VIDEO_TIMESCALE,
  }));
}

/**
 * Every slide's shots; the video's last shot lasts at least three image frame periods, so
 * the plan's end frame (videoFramePlan) lands exactly on the audio's end.
 */
export function planShots(slides: SlideImages[]): Shot[] {
  const shots = slides.flatMap(slideShots);
  const tail = 3 / IMAGE_FRAMERATE;
  while (shots.length > 1) {
    const last = shots[shots.length - 1]!;
    const prev = shots[shots.length - 2]!;
    // Only time inside the last slide is moved; a one-shot last slide is left as it was.
    if (last.durationSeconds >= tail || tick(last.startSeconds) <= tick(slides[slides.length - 1]!.startSeconds)) break;
    const move = Math.min(tail - last.durationSeconds, prev.durationSeconds - MIN_SHOT_SECONDS);
    if (move <= 0) {
      // The previous shot is too short to give time: the last image replaces it.
      shots.pop();
      prev.imagePath = last.imagePath;
      prev.durationSeconds += last.durationSeconds;
      continue;
    }
    const moved = tick(move) / VIDEO_TIMESCALE;
    prev.durationSeconds -= moved;
    last.startSeconds -= moved;
    last.durationSeconds += moved;
    break;
  }
  return shots;
}

/** How many images (decoded inputs) a slide costs an encoding pass. */
export const imageCount = (s: SlideImages) => 1 + (s.changes?.length ?? 0);

/**
 * Splits slides into encoding passes holding at most `maxImages` images each (every input's
 * first frame is decoded up front). A slide with more images than that is cut into parts,
 * each a slide of its own to the encoder that starts on the image shown at that moment.
 */
export function chunkByImages(slides: SlideImages[], maxImages: number): SlideImages[][] {
  const max = Math.max(1, maxImages);
  const parts = slides.flatMap((s) => splitSlide(s, max));
  const passes: SlideImages[][] = [];
  let count = 0;
  for (const p of parts) {
    const n = imageCount(p);
    if (passes.length === 0 || count + n > max) {
      passes.push([]);
      count = 0;
    }
    passes[passes.length - 1]!.push(p);
    count += n;
  }
  return passes;
}

function splitSlide(slide: SlideImages, max: number): SlideImages[] {
  if (imageCount(slide) <= max) return [slide];
  const shots = slideShots(slide);
  const parts: SlideImages[] = [];
  for (let i = 0; i < shots.length; i += max) {
    const group = shots.slice(i, i + max);
    const first = group[0]!;
    const last = group[group.length - 1]!;
    parts.push({
      imagePath: first.imagePath,
      startSeconds: first.startSeconds,
      durationSeconds: (tick(last.startSeconds + last.durationSeconds) - tick(first.startSeconds)) / VIDEO_TIMESCALE,
      changes: group.slice(1).map((s) => ({ imagePath: s.imagePath, offsetSeconds: (tick(s.startSeconds) - tick(first.startSeconds)) / VIDEO_TIMESCALE })),
    });
  }
  return parts;
}
