import { ConfigService } from '@nestjs/config';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { RedisConfig, WorkerConfig } from '@app/config';
import { VideoStatus } from '@app/db';
import { jobIds, QueueName, redisOptions } from '@app/jobs';
import { gaveUpMessage, Reconciler } from '../../../apps/worker/src/lifecycle/reconciler.service.js';
import { VideoFailures } from '../../../apps/worker/src/lifecycle/video-failures.service.js';
import { MediumContext } from '../medium.factory.js';
import { gate } from '../medium.doubles.js';
import { waitFor } from '../../support/wait.js';

const MAX_RESTARTS = 2;
const STALE_SECONDS = 60;

/**
 * The reconciler over real PostgreSQL and Redis queues: which videos count as lost,
 * what it re-enqueues, when it gives up, and that it leaves live work alone.
 */
describe('the reconciler', () => {
  let ctx: MediumContext;
  let redis: Redis;
  const reconcilers: Reconciler[] = [];

  beforeAll(async () => {
    ctx = await MediumContext.create();
    redis = new Redis(redisOptions(ctx.infra.config.getOrThrow<RedisConfig>('redis'), 'worker'));
  });

  afterAll(async () => {
    await Promise.all(reconcilers.map((r) => r.stop()));
    redis?.disconnect();
    await ctx?.close();
  });

  function reconciler(): Reconciler {
    const base = ctx.infra.config;
    const worker = base.getOrThrow<WorkerConfig>('worker');
    const config = new ConfigService({
      redis: base.getOrThrow<RedisConfig>('redis'),
      worker: { ...worker, reconcile: { intervalSeconds: 1, staleSeconds: STALE_SECONDS, maxRestarts: MAX_RESTARTS } },
    });
    const { videos, slides, pipeline, metrics } = ctx.build();
    const r = new Reconciler(videos, slides, pipeline, new VideoFailures(videos, metrics), metrics, config);
    reconcilers.push(r);
    return r;
  }

  /** A pass now: the lock a previous pass kept until its next interval is dropped first. */
  async function passNow(r: Reconciler) {
    await redis.del(`${ctx.infra.prefix}:reconciler:lock`);
    const report = await r.pass();
    expect(report.ran).toBe(true);
    return report;
  }

  /** A video that has not changed for an hour, as one whose jobs vanished an hour ago. */
  async function staleVideo(status: VideoStatus, restarts = 0) {
    const { video, prompt } = await ctx.newVideo({ status });
    await ctx.infra.db.query(`UPDATE videos SET updated_at = now() - interval '1 hour', restarts = $2 WHERE id = $1`, [video.id, restarts]);
    return { video, prompt };
  }

  const state = (queue: QueueName, id: string) => ctx.queue(queue).getJobState(id);

  /** Another process's BullMQ worker on this test's slides queue (a real one, on real Redis). */
  function otherWorker(handle: (job: Job<{ videoId: string }>) => unknown): Worker {
    return new Worker(
      QueueName.Slides,
      async (job: Job<{ videoId: string }>) => {
        await handle(job);
        return 'done';
      },
      { connection: redisOptions(ctx.infra.config.getOrThrow<RedisConfig>('redis'), 'worker'), prefix: ctx.infra.prefix },
    );
  }
  it('re-enqueues a queued video with no job from its first stage, and counts the restart', async () => {
    const r = reconciler();
    const { video } = await staleVideo(VideoStatus.Queued);

    const report = await passNow(r);

    expect(report.restarted).toContain(video.id);
    expect(await state(QueueName.Slides, jobIds.slides(video.id))).toBe('waiting');
    expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.Queued, restarts: 1 });
    // Its job is live now: the next pass leaves it alone even once it is stale again.
    await ctx.infra.db.query(`UPDATE videos SET updated_at = now() - interval '1 hour' WHERE id = $1`, [video.id]);
    const again = await passNow(r);
    expect(again.live).toContain(video.id);
    expect((await ctx.video(video.id))!.restarts).toBe(1);
  });

  it('re-enqueues a voicing video as its voice/stitch flow for the slides that exist', async () => {
    const r = reconciler();
    const { video } = await ctx.newVideo({ slideCount: 3 });
    await ctx.build().deckStage.run(video.id);
    // Redis lost the flow: its jobs are gone (removed as a delete would).
    const { pipeline } = ctx.build();
    await pipeline.cancel(video.id, 3);
    expect(await pipeline.liveJobs(video.id, 3)).toEqual([]);
    await ctx.infra.db.query(`UPDATE videos SET updated_at = now() - interval '1 hour' WHERE id = $1`, [video.id]);

    expect((await passNow(r)).restarted).toContain(video.id);

    expect(await state(QueueName.Stitch, jobIds.stitch(video.id))).toBe('waiting-children');
    for (const n of [1, 2, 3]) expect(await state(QueueName.Voice, jobIds.voice(video.id, n))).toBe('waiting');
    expect(await state(QueueName.Slides, jobIds.slides(video.id))).toBe('unknown');
    expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.GeneratingVoice, restarts: 1 });
  });

  it('leaves alone a video that changed recently, and one whose job is waiting', async () => {
    const r = reconciler();
    const { video: fresh } = await ctx.newVideo({ status: VideoStatus.Queued });
    const { video: waiting } = await staleVideo(VideoStatus.Queued);
    await ctx.build().pipeline.start(waiting.id);

    const report = await passNow(r);

    expect(report.restarted).not.toContain(fresh.id);
    expect(report.restarted).not.toContain(waiting.id);
    expect(report.live).toContain(waiting.id);
    expect((await ctx.video(fresh.id))!.restarts).toBe(0);
    expect((await ctx.video(waiting.id))!.restarts).toBe(0);
  });

  it('never re-enqueues a video whose job runs in another worker; once that job is finished and kept, it re-adds past it', async () => {
    const r = reconciler();
    const { video } = await staleVideo(VideoStatus.GeneratingSlides);
    const release = gate();
    // Another worker: holds this video's slides job, finishes any other at once.
    const other = otherWorker(async (job) => {
      if (job.data.videoId === video.id) await release.opened;
    });
    try {
      await ctx.build().pipeline.start(video.id);
      await waitFor(
        () => state(QueueName.Slides, jobIds.slides(video.id)),
        (s) => s === 'active',
        10_000,
        'the other worker to take the job',
      );

      const report = await passNow(r);
      expect(report.live).toContain(video.id);
      expect((await ctx.video(video.id))!.restarts).toBe(0);

      release.open();
      await waitFor(
        () => state(QueueName.Slides, jobIds.slides(video.id)),
        (s) => s === 'completed',
        10_000,
        'the job to complete',
      );
    } finally {
      await other.close();
    }
    // The job completed (kept under its id) but the video never moved: lost work, and
    // the kept job would make BullMQ ignore a plain add of the same id.
    const slidesJob = await ctx.queue(QueueName.Slides).getJob(jobIds.slides(video.id));
    expect(await passNow(r)).toMatchObject({ restarted: expect.arrayContaining([video.id]) as unknown });
    const readded = await ctx.queue(QueueName.Slides).getJob(jobIds.slides(video.id));
    expect(await readded!.getState()).toBe('waiting');
    expect(readded!.timestamp).toBeGreaterThan(slidesJob!.timestamp);
    expect((await ctx.video(video.id))!.restarts).toBe(1);
  });

  it(`fails a video whose jobs were lost once more after ${MAX_RESTARTS} restarts, saying why`, async () => {
    const r = reconciler();
    const { video } = await staleVideo(VideoStatus.Rendering, MAX_RESTARTS);

    const report = await passNow(r);

    expect(report.failed).toContain(video.id);
    expect(await ctx.video(video.id)).toMatchObject({
      status: VideoStatus.Failed,
      stage: 'Failed',
      restarts: MAX_RESTARTS,
      error: `the job queue lost this video's jobs ${MAX_RESTARTS + 1} times; giving up`,
    });
    expect(await ctx.build().pipeline.liveJobs(video.id, 3)).toEqual([]);
    expect(gaveUpMessage(1)).toBe("the job queue lost this video's jobs once; giving up");
  });

  it('fails, never re-enqueues, a working video whose job BullMQ failed for good, even one that changed recently', async () => {
    const r = reconciler();
    const { video } = await ctx.newVideo({ status: VideoStatus.GeneratingSlides });
    // The worker that failed the job could not write the video's failure (database down, then it died).
    const other = otherWorker((job) => {
      if (job.data.videoId === video.id) throw new UnrecoverableError('job stalled more than allowable limit');
    });
    try {
      await ctx.build().pipeline.start(video.id);
      await waitFor(
        () => state(QueueName.Slides, jobIds.slides(video.id)),
        (s) => s === 'failed',
        10_000,
        'the job to fail',
      );
    } finally {
      await other.close();
    }

    const report = await passNow(r);

    expect(report.failedJobs).toContain(video.id);
    expect(report.restarted).not.toContain(video.id);
    expect(await ctx.video(video.id)).toMatchObject({
      status: VideoStatus.Failed,
      restarts: 0,
      error: expect.stringMatching(/^Writing the slides failed: the worker running it stopped .* \(job stalled more than allowable limit\)$/) as unknown,
    });
    expect(await state(QueueName.Slides, jobIds.slides(video.id))).toBe('failed');
  });

  it('runs in one worker at a time: of two passes at once, one runs and the video is restarted once', async () => {
    const [a, b] = [reconciler(), reconciler()];
    const { video } = await staleVideo(VideoStatus.Queued);
    await redis.del(`${ctx.infra.prefix}:reconciler:lock`);

    const reports = await Promise.all([a.pass(), b.pass()]);

    expect(reports.map((x) => x.ran).sort()).toEqual([false, true]);
    expect(reports.flatMap((x) => x.restarted).filter((id) => id === video.id)).toHaveLength(1);
    expect((await ctx.video(video.id))!.restarts).toBe(1);
    // The lock outlives the pass until the next interval: a third pass right now does nothing.
    expect((await b.pass()).ran).toBe(false);
  });
});
