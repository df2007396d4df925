import { RateLimitError, UnrecoverableError } from 'bullmq';
import { DeckValidationError, ProviderError } from '@app/ai';
import { VideoStatus } from '@app/db';
import { pipelineJobs, QueueName } from '@app/jobs';
import { blobKey, videoKeys } from '@app/storage';
import { MediumContext } from '../medium.factory.js';

/** What a stage's failure becomes for BullMQ, and for the video row, with real Redis and PostgreSQL. */
describe('StageRunner', () => {
  let ctx: MediumContext;

  beforeAll(async () => {
    ctx = await MediumContext.create();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  beforeEach(async () => {
    for (const q of Object.values(ctx.infra.queues)) await q.removeRateLimitKey();
  });

  const LABEL = 'Writing the slides';
  const failWith = (error: unknown) => () => Promise.reject(error);

  async function slidesJob(attemptsMade = 0) {
    const { video, prompt } = await ctx.newVideo({ status: VideoStatus.GeneratingSlides, progress: 8 });
    const job = await ctx.addJob(pipelineJobs.writeDeck(video.id), attemptsMade);
    return { video, prompt, job, queue: ctx.queue(QueueName.Slides) };
  }

  /** Files a stage may have written for the video, and a shared blob that is not the video's. */
  async function storeFiles(videoId: string) {
    const { storage } = ctx.infra;
    const own = [videoKeys.slideImage(videoId, 1), videoKeys.slideAudio(videoId, 1, 'wav'), videoKeys.video(videoId)];
    for (const key of own) await storage.put(key, Buffer.from(key));
    const shared = blobKey('audio', 'ab'.repeat(32), 'wav');
    await storage.put(shared, Buffer.from('shared'));
    return { own, shared };
  }

  async function expectRemoved(files: { own: string[]; shared: string }) {
    for (const key of files.own) expect(await ctx.infra.storage.stat(key)).toBeUndefined();
    expect(await ctx.infra.storage.stat(files.shared)).toBeDefined();
  }

  it('returns what the stage returned while the video lives', async () => {
    const { video, job, queue } = await slidesJob();
    const { stageRunner } = ctx.build();
    await expect(stageRunner.run(job, queue, LABEL, video.id, async () => ({ slides: 3 }))).resolves.toEqual({ slides: 3 });
  });

  describe('a provider 429', () => {
    it('rate-limits the queue for the time the provider asked and does not fail the video', async () => {
      const { video, job, queue } = await slidesJob();
      const { stageRunner } = ctx.build();
      const error = new ProviderError('Gemini', 'rate_limited', 'quota exceeded', 12_000);

      await expect(stageRunner.run(job, queue, LABEL, video.id, failWith(error))).rejects.toBeInstanceOf(RateLimitError);

      const ttl = await queue.getRateLimitTtl();
      expect(ttl).toBeGreaterThan(10_000);
      expect(ttl).toBeLessThanOrEqual(12_000);
      expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.GeneratingSlides, error: null, progress: 8 });
    });

    it('waits 30 s when the provider did not say how long, even on the last attempt', async () => {
      const { video, job, queue } = await slidesJob(3); // slides jobs have 4 attempts
      const { stageRunner } = ctx.build();
      const error = new ProviderError('Gemini', 'rate_limited', 'slow down');

      await expect(stageRunner.run(job, queue, LABEL, video.id, failWith(error))).rejects.toBeInstanceOf(RateLimitError);

      const ttl = await queue.getRateLimitTtl();
      expect(ttl).toBeGreaterThan(25_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
      expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.GeneratingSlides, error: null });
    });

    it('leaves the other queues alone', async () => {
      const { video, job, queue } = await slidesJob();
      const { stageRunner } = ctx.build();
      await expect(stageRunner.run(job, queue, LABEL, video.id, failWith(new ProviderError('Gemini', 'rate_limited', 'x', 5000)))).rejects.toBeInstanceOf(
        RateLimitError,
      );
      expect(await ctx.queue(QueueName.Voice).getRateLimitTtl()).toBe(-2);
      expect(await ctx.queue(QueueName.Stitch).getRateLimitTtl()).toBe(-2);
    });
  });

  describe('a permanent failure', () => {
    it.each([
      ['a permanent provider error', new ProviderError('Gemini', 'permanent', 'the prompt was blocked'), 'Gemini: the prompt was blocked'],
      ['an invalid deck', new DeckValidationError(['slide 2 has no narration']), 'Deck is invalid: slide 2 has no narration'],
      ['an UnrecoverableError', new UnrecoverableError('the font is missing'), 'the font is missing'],
    ])('fails the video on the first attempt for %s', async (_name, error, cause) => {
      const { video, job, queue } = await slidesJob(0);
      const { stageRunner } = ctx.build();

      const thrown = await stageRunner.run(job, queue, LABEL, video.id, failWith(error)).catch((e: unknown) => e);

      expect(thrown).toBeInstanceOf(UnrecoverableError);
      expect((thrown as Error).message).toBe(`${LABEL} failed: ${cause}`);
      expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.Failed, stage: 'Failed', error: `${LABEL} failed: ${cause}` });
      expect(await queue.getRateLimitTtl()).toBe(-2);
    });
  });

  describe('a transient failure', () => {
    it('is thrown plain for a retry before the last attempt, leaving the video working', async () => {
      const { video, job, queue } = await slidesJob(1);
      const { stageRunner } = ctx.build();
      const error = new ProviderError('Gemini', 'transient', 'HTTP 503');

      const thrown = await stageRunner.run(job, queue, LABEL, video.id, failWith(error)).catch((e: unknown) => e);

      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).not.toBeInstanceOf(UnrecoverableError);
      expect(thrown).not.toBeInstanceOf(RateLimitError);
      expect((thrown as Error).message).toBe(`${LABEL} failed: Gemini: HTTP 503`);
      expect((thrown as Error).cause).toBe(error);
      expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.GeneratingSlides, error: null, progress: 8 });
    });

    it('fails the video "after N attempts" on the last attempt', async () => {
      const { video, job, queue } = await slidesJob(3);
      const { stageRunner } = ctx.build();

      const thrown = await stageRunner.run(job, queue, LABEL, video.id, failWith(new Error('connection reset'))).catch((e: unknown) => e);

      expect(thrown).not.toBeInstanceOf(UnrecoverableError);
      expect((thrown as Error).message).toBe(`${LABEL} failed after 4 attempts: connection reset`);
      expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.Failed, error: `${LABEL} failed after 4 attempts: connection reset` });
    });

    it("counts the attempts of the job's own queue (voice jobs have 5)", async () => {
      const { video } = await ctx.newVideo({ status: VideoStatus.GeneratingVoice, progress: 30 });
      const queue = ctx.queue(QueueName.Voice);
      const { stageRunner } = ctx.build();
      const label = 'Voicing slide 2';

      const early = await ctx.addJob(pipelineJobs.voiceSlide(video.id, 2), 3);
      await expect(stageRunner.run(early, queue, label, video.id, failWith(new Error('espeak-ng timed out')))).rejects.toThrow(
        `${label} failed: espeak-ng timed out`,
      );
      expect((await ctx.video(video.id))!.status).toBe(VideoStatus.GeneratingVoice);

      early.attemptsMade = 4;
      await expect(stageRunner.run(early, queue, label, video.id, failWith(new Error('espeak-ng timed out')))).rejects.toThrow(
        `${label} failed after 5 attempts: espeak-ng timed out`,
      );
      expect((await ctx.video(video.id))!.status).toBe(VideoStatus.Failed);
    });
  });

  describe('a video that is gone', () => {
    it('skips the stage and removes the files of a video deleted before it ran', async () => {
      const { video, job, queue } = await slidesJob();
      const files = await storeFiles(video.id);
      await ctx.deleteVideo(video);
      const { stageRunner, deckStage } = ctx.build();

      await expect(stageRunner.run(job, queue, LABEL, video.id, () => deckStage.run(video.id))).resolves.toEqual({
        skipped: true,
        reason: 'video deleted',
      });
      await expectRemoved(files);
    });

    it('skips the stage of a cancelled video and removes its files', async () => {
      const { video, job, queue } = await slidesJob();
      const files = await storeFiles(video.id);
      await ctx.cancelVideo(video.id);
      const { stageRunner, deckStage } = ctx.build();

      await expect(stageRunner.run(job, queue, LABEL, video.id, () => deckStage.run(video.id))).resolves.toMatchObject({ skipped: true });
      await expectRemoved(files);
      expect((await ctx.video(video.id))!.status).toBe(VideoStatus.Cancelled);
    });

    it('takes a failure after a delete mid-stage for the delete, not a failure', async () => {
      const { video, job, queue } = await slidesJob(3); // even on the last attempt
      const files = await storeFiles(video.id);
      const { stageRunner } = ctx.build();

      const result = await stageRunner.run(job, queue, LABEL, video.id, async () => {
        await ctx.deleteVideo(video);
        throw new ProviderError('Gemini', 'permanent', 'request aborted');
      });

      expect(result).toMatchObject({ skipped: true });
      await expectRemoved(files);
    });

    it('stops a real voice stage whose video is cancelled while it narrates, writing no voiceover', async () => {
      const { video, prompt } = await ctx.newVideo({ slideCount: 3 });
      const real = ctx.build();
      await real.deckStage.run(video.id);
      const job = await ctx.addJob(pipelineJobs.voiceSlide(video.id, 1));
      const narrator = Object.create(real.narrator) as typeof real.narrator;
      narrator.narrate = async (request) => {
        const audio = await real.narrator.narrate(request);
        await ctx.cancelVideo(video.id);
        return audio;
      };
      const { stageRunner, voiceStage } = ctx.build({ narrator });

      const result = await stageRunner.run(job, ctx.queue(QueueName.Voice), 'Voicing slide 1', video.id, () => voiceStage.run(video.id, 1));

      expect(result).toEqual({ skipped: true, reason: 'video deleted' });
      const [voiced] = await ctx.infra.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM voiceovers v JOIN slides s ON s.id = v.slide_id WHERE s.prompt_id = $1',
        [prompt.id],
      );
      expect(voiced!.n).toBe(0);
      for (const n of [1, 2, 3]) expect(await ctx.infra.storage.stat(videoKeys.slideImage(video.id, n))).toBeUndefined();
      expect((await ctx.video(video.id))!.status).toBe(VideoStatus.Cancelled);
    });

    it("removes the files when the delete lands after the stage's last write", async () => {
      const { video, job, queue } = await slidesJob();
      const files = await storeFiles(video.id);
      const { stageRunner } = ctx.build();

      const result = await stageRunner.run(job, queue, LABEL, video.id, async () => {
        await ctx.infra.storage.put(videoKeys.thumbnail(video.id), Buffer.from('jpeg'));
        await ctx.deleteVideo(video);
        return { durationSeconds: 12 };
      });

      expect(result).toEqual({ skipped: true, reason: 'video deleted' });
      await expectRemoved({ ...files, own: [...files.own, videoKeys.thumbnail(video.id)] });
    });

    it('removes the slide images of a real deck stage whose video was deleted as it queued the voice jobs', async () => {
      const { video, job, queue } = await slidesJob();
      const real = ctx.build();
      // The delete lands after the deck stage's last checkpoint: its PNGs are already stored.
      let storedBeforeDelete = 0;
      const pipeline = Object.create(real.pipeline) as typeof real.pipeline;
      pipeline.voiceThenStitch = async (videoId, slideNumbers) => {
        await real.pipeline.voiceThenStitch(videoId, slideNumbers);
        for (const n of slideNumbers) if (await ctx.infra.storage.stat(videoKeys.slideImage(videoId, n))) storedBeforeDelete++;
        await ctx.deleteVideo(video);
      };
      const { stageRunner, deckStage } = ctx.build({ pipeline });

      const result = await stageRunner.run(job, queue, LABEL, video.id, () => deckStage.run(video.id));

      expect(result).toEqual({ skipped: true, reason: 'video deleted' });
      expect(storedBeforeDelete).toBe(3);
      for (const n of [1, 2, 3]) expect(await ctx.infra.storage.stat(videoKeys.slideImage(video.id, n))).toBeUndefined();
    });
  });
});
