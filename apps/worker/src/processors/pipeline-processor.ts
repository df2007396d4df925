import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { PipelineJob } from '@app/jobs';
import { withLogFields } from '@app/observability';

/**
 * A processor of one queue. It remembers which of its jobs are running for which
 * video, so a deleted video's jobs are aborted by asking the worker that runs them
 * rather than guessing job ids; and every line logged while a job runs, anywhere below
 * it, names the queue, the job, its attempt and its video. A job of no video (a webhook
 * delivery) is not tracked: deleting or cancelling a video must not stop the delivery
 * that reports it.
 */
export abstract class PipelineProcessor<J extends PipelineJob = PipelineJob> extends WorkerHost {
  private readonly running = new Map<string, Set<string>>();

  async process(job: Job<J['data']>, token?: string, signal?: AbortSignal): Promise<unknown> {
    const data: PipelineJob['data'] = job.data;
    // The attempt as StageRunner counts it: attemptsMade counts the failed ones before this.
    const fields = { queue: job.queueName, jobId: job.id, attempt: job.attemptsMade + 1 };
    if (!('videoId' in data)) return withLogFields(fields, () => this.handle(job, token, signal));
    const { videoId } = data;
    const ids = this.running.get(videoId) ?? new Set<string>();
    this.running.set(videoId, ids.add(job.id!));
    try {
      return await withLogFields({ ...fields, videoId }, () => this.handle(job, token, signal));
    } finally {
      ids.delete(job.id!);
      if (!ids.size) this.running.delete(videoId);
    }
  }

  /** One call into the stage, through StageRunner. */
  protected abstract handle(job: Job<J['data']>, token: string | undefined, signal?: AbortSignal): Promise<unknown>;

  /** Aborts this worker's running jobs of the video (their AbortSignal fires); returns how many. */
  cancelVideo(videoId: string, reason: string): number {
    return [...(this.running.get(videoId) ?? [])].filter((id) => this.worker.cancelJob(id, reason)).length;
  }
}
