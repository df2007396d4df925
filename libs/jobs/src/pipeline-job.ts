import type { JobsOptions } from 'bullmq';
import { jobIds, jobOptions } from './job-options.js';
import type { DeliverWebhookJob, PipelineJob, StitchVideoJob, VideoJob, VoiceSlideJob, WriteDeckJob } from './job-payload.types.js';
import { JobName, QueueName } from './queue-name.enum.js';

/** Every kind of job, as typed values: each payload belongs to exactly one queue and name. */
export const pipelineJobs = {
  writeDeck: (videoId: string): WriteDeckJob => ({ queue: QueueName.Slides, name: JobName.WriteDeck, data: { videoId } }),
  voiceSlide: (videoId: string, slideNumber: number): VoiceSlideJob => ({
    queue: QueueName.Voice,
    name: JobName.VoiceSlide,
    data: { videoId, slideNumber },
  }),
  stitchVideo: (videoId: string): StitchVideoJob => ({ queue: QueueName.Stitch, name: JobName.StitchVideo, data: { videoId } }),
  deliverWebhook: (deliveryId: string): DeliverWebhookJob => ({ queue: QueueName.Webhooks, name: JobName.DeliverWebhook, data: { deliveryId } }),
};

/** Every job a video of `slideCount` slides can have, parents before children (the order removals need). */
export function jobsOfVideo(videoId: string, slideCount: number): VideoJob[] {
  return [
    pipelineJobs.writeDeck(videoId),
    pipelineJobs.stitchVideo(videoId),
    ...Array.from({ length: slideCount }, (_, i) => pipelineJobs.voiceSlide(videoId, i + 1)),
  ];
}

/** The job's id, derived from what it works on, so enqueuing the same work twice adds one job. */
export function jobIdOf(job: PipelineJob): string {
  switch (job.queue) {
    case QueueName.Slides:
      return jobIds.slides(job.data.videoId);
    case QueueName.Voice:
      return jobIds.voice(job.data.videoId, job.data.slideNumber);
    case QueueName.Stitch:
      return jobIds.stitch(job.data.videoId);
    case QueueName.Webhooks:
      return jobIds.webhook(job.data.deliveryId);
  }
}

/** What BullMQ's queue.add and flow.add take, for one pipeline job: the only way producers build a job. */
export interface BullJob<J extends PipelineJob = PipelineJob> {
  queueName: J['queue'];
  name: J['name'];
  data: J['data'];
  opts: JobsOptions;
}

export function toBullJob<J extends PipelineJob>(job: J, backoffMs?: number): BullJob<J> {
  return { queueName: job.queue, name: job.name, data: job.data, opts: jobOptions(job.queue, jobIdOf(job), backoffMs) };
}
