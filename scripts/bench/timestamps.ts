// The server-side figures, from the timestamps the api and the worker write (PostgreSQL's clock,
// one clock for every process): videos.created_at (the api's insert), videos.completed_at (the
// stitch stage's completion), voiceovers.created_at (one row per slide, when its voice job ends).

export interface VideoTimes {
  createdAt: Date;
  completedAt: Date | null;
}

/** Seconds from the api accepting the video to the worker completing it. */
export function serverSeconds(v: VideoTimes): number {
  if (!v.completedAt) throw new Error('the video has no completed_at');
  return (v.completedAt.getTime() - v.createdAt.getTime()) / 1000;
}

/**
 * Seconds from the last slide voiced to the video completed: the stitch and everything after
 * the voice jobs (queueing, upload, the completion write). Needs one voiceover per slide.
 */
export function finishSeconds(completedAt: Date, voicedAt: Date[], slideCount: number): number {
  if (voicedAt.length !== slideCount) throw new Error(`${voicedAt.length} voiceovers for ${slideCount} slides`);
  const last = Math.max(...voicedAt.map((d) => d.getTime()));
  if (last > completedAt.getTime()) throw new Error('a voiceover is newer than the completion');
  return (completedAt.getTime() - last) / 1000;
}

/** Videos completed per minute in a window of `seconds`. */
export function perMinute(completions: number, seconds: number): number {
  if (seconds <= 0) throw new Error('the window must last');
  return (completions * 60) / seconds;
}

/** Where a video's time went, in seconds: deck written, slides voiced, and the rest (stitch and completion). */
export interface Phases {
  deck: number;
  voice: number;
  finish: number;
}

export function phases(createdAt: Date, slidesAt: Date[], voicedAt: Date[], completedAt: Date): Phases {
  const deckAt = Math.max(...slidesAt.map((d) => d.getTime()));
  const lastVoiced = Math.max(...voicedAt.map((d) => d.getTime()));
  return { deck: (deckAt - createdAt.getTime()) / 1000, voice: (lastVoiced - deckAt) / 1000, finish: (completedAt.getTime() - lastVoiced) / 1000 };
}
