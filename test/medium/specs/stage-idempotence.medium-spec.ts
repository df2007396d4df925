import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GenerationCache } from '@app/ai';
import { VideoStatus } from '@app/db';
import { jobIds, QueueName } from '@app/jobs';
import { SpawnMediaRunner } from '@app/media';
import { videoKeys } from '@app/storage';
import { MediumContext } from '../medium.factory.js';
import { CountingMediaRunner, CountingNarrator, CountingSlideRenderer, CountingSlideWriter } from '../medium.doubles.js';

/** A stage run again (a retried or duplicated job) finds its output stored and does no second work. */
describe('stages run twice', () => {
  let ctx: MediumContext;

  beforeAll(async () => {
    ctx = await MediumContext.create();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const mtimeOf = async (key: string) => (await stat(join(ctx.infra.config.getOrThrow<{ dir: string }>('storage').dir, key))).mtimeMs;

  /** A deck stage with counting writer and renderer around the real ones. */
  function countingDeckStage() {
    const writer = new CountingSlideWriter(ctx.build().writer);
    const renderer = new CountingSlideRenderer();
    return { ...ctx.build({ writer, renderer }), writer, renderer };
  }

  it('writes and renders the deck once, and adds its voice/stitch flow once', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3 });
    const { deckStage, writer, renderer } = countingDeckStage();

    await expect(deckStage.run(video.id)).resolves.toEqual({ slides: 3 });
    expect(writer.calls).toBe(1);
    expect(renderer.calls).toBe(3);
    const images = [1, 2, 3].map((n) => videoKeys.slideImage(video.id, n));
    const mtimes = await Promise.all(images.map(mtimeOf));

    await expect(deckStage.run(video.id)).resolves.toEqual({ slides: 3 });
    expect(writer.calls).toBe(1);
    expect(renderer.calls).toBe(3);
    expect(await Promise.all(images.map(mtimeOf))).toEqual(mtimes);

    const voice = ctx.queue(QueueName.Voice);
    const voiceJobs = (await voice.getJobs()).filter((j) => j.data.videoId === video.id);
    expect(voiceJobs.map((j) => j.id).sort()).toEqual([1, 2, 3].map((n) => jobIds.voice(video.id, n)));
    expect(await ctx.queue(QueueName.Stitch).getJob(jobIds.stitch(video.id))).toBeDefined();
    expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.GeneratingVoice, usage: { cacheMisses: 1 } });
  });

  it('renders only the slide whose image is missing when a retry finds the others stored', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3 });
    const { deckStage, writer, renderer } = countingDeckStage();
    await deckStage.run(video.id);
    await ctx.infra.storage.delete(videoKeys.slideImage(video.id, 2));

    await deckStage.run(video.id);

    expect(writer.calls).toBe(1);
    expect(renderer.calls).toBe(4);
    expect(await ctx.infra.storage.stat(videoKeys.slideImage(video.id, 2))).toBeDefined();
  });

  it('narrates a slide once, and the second run does not even ask the cache', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3 });
    await ctx.build().deckStage.run(video.id);
    const real = ctx.build();
    const narrator = new CountingNarrator(real.narrator);
    let cacheCalls = 0;
    const cache = Object.create(real.cache) as GenerationCache;
    cache.audio = (...args) => {
      cacheCalls++;
      return real.cache.audio(...args);
    };
    const { voiceStage } = ctx.build({ narrator, cache });
    const missesBefore = (await ctx.video(video.id))!.usage.cacheMisses ?? 0;

    const first = await voiceStage.run(video.id, 2);
    expect(narrator.calls).toBe(1);
    expect(cacheCalls).toBe(1);
    expect(first.durationSeconds).toBeGreaterThan(0);

    await expect(voiceStage.run(video.id, 2)).resolves.toEqual(first);
    expect(narrator.calls).toBe(1);
    expect(cacheCalls).toBe(1);
    expect((await ctx.video(video.id))!.usage.cacheMisses).toBe(missesBefore + 1);
  });

  it('stitches once: a second stitch of the completed video returns at once without ffmpeg', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3, prompt: 'Tides rise. The moon pulls the sea. Tides fall.' });
    const base = ctx.build();
    await base.deckStage.run(video.id);
    for (const n of [1, 2, 3]) await base.voiceStage.run(video.id, n);
    const media = new CountingMediaRunner(new SpawnMediaRunner());
    const { stitchStage } = ctx.build({ mediaRunner: media });

    const first = await stitchStage.run(video.id);
    expect(media.commands).toContain('ffmpeg');
    const completed = await ctx.video(video.id);
    expect(completed).toMatchObject({ status: VideoStatus.Completed, progress: 100, duration: first.durationSeconds });
    const spawned = media.commands.length;
    const mtime = await mtimeOf(videoKeys.video(video.id));

    await expect(stitchStage.run(video.id)).resolves.toEqual({ durationSeconds: completed!.duration });
    expect(media.commands).toHaveLength(spawned);
    expect(await mtimeOf(videoKeys.video(video.id))).toBe(mtime);
  });
});
