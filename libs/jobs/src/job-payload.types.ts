import type { JobName, QueueName } from './queue-name.enum.js';

/** Every job carries only ids: the database is the source of truth, so a retried job sees current state. */
export interface WriteDeckJob {
  queue: QueueName.Slides;
  name: JobName.WriteDeck;
  data: { videoId: string };
}

export interface VoiceSlideJob {
  queue: QueueName.Voice;
  name: JobName.VoiceSlide;
  data: { videoId: string; slideNumber: number };
}

export interface StitchVideoJob {
  queue: QueueName.Stitch;
  name: JobName.StitchVideo;
  data: { videoId: string };
}

export type PipelineJob = WriteDeckJob | VoiceSlideJob | StitchVideoJob;

/** A job that found its video gone (deleted mid-way) returns this and does nothing else. */
export interface SkippedResult {
  skipped: true;
  reason: string;
}
