import { VideoStatus } from '../entities/video.entity.js';
import { type Connected, useRepositories, seedVideo } from '@test/support/repositories.js';

describe('VideoRepository', () => {
  const connected = useRepositories();
  let c: Connected;

  beforeAll(() => {
    c = connected();
  });
  const row = async (id: string) => (await c.repos.videos.findById(id))!;

  it('moves the status only forward and progress only up', async () => {
    const { video } = await seedVideo(c.repos);
    await c.repos.videos.advanceStatus(video.id, VideoStatus.GeneratingVoice, 'Voicing 3 slides', 25);
    // A late slides job must not pull the video back.
    await c.repos.videos.advanceStatus(video.id, VideoStatus.GeneratingSlides, 'Writing the slides', 2);
    expect(await row(video.id)).toMatchObject({ status: VideoStatus.GeneratingVoice, stage: 'Voicing 3 slides', progress: 25 });

    await c.repos.videos.advanceStatus(video.id, VideoStatus.GeneratingVoice, 'Again', 10);
    expect(await row(video.id)).toMatchObject({ status: VideoStatus.GeneratingVoice, stage: 'Again', progress: 25 });

    await c.repos.videos.advanceStatus(video.id, VideoStatus.Rendering, 'x'.repeat(300), 76.4);
    const v = await row(video.id);
    expect(v).toMatchObject({ status: VideoStatus.Rendering, progress: 76 });
    expect(v.stage).toHaveLength(200);
  });

  it('reports progress within the current status only, never down and never to 100', async () => {
    const { video } = await seedVideo(c.repos);
    await c.repos.videos.advanceStatus(video.id, VideoStatus.GeneratingVoice, 'Voicing', 25);
    await c.repos.videos.reportProgress(video.id, VideoStatus.GeneratingVoice, 'Voiced 2 of 3 slides', 58.3);
    expect(await row(video.id)).toMatchObject({ stage: 'Voiced 2 of 3 slides', progress: 58 });

    await c.repos.videos.reportProgress(video.id, VideoStatus.GeneratingVoice, 'Voiced 1 of 3 slides', 41);
    expect(await row(video.id)).toMatchObject({ stage: 'Voiced 1 of 3 slides', progress: 58 });

    await c.repos.videos.reportProgress(video.id, VideoStatus.GeneratingSlides, 'Rendered slide 3 of 3', 25);
    expect(await row(video.id)).toMatchObject({ stage: 'Voiced 1 of 3 slides', progress: 58 });

    await c.repos.videos.reportProgress(video.id, VideoStatus.GeneratingVoice, 'Almost', 100);
    expect((await row(video.id)).progress).toBe(99);
  });

  it('fails a working video once, keeping a finished one as it is', async () => {
    const { video } = await seedVideo(c.repos);
    expect(await c.repos.videos.fail(video.id, `Voicing slide 2 failed: ${'e'.repeat(3000)}`)).toBe(true);
    const failed = await row(video.id);
    expect(failed).toMatchObject({ status: VideoStatus.Failed, stage: 'Failed' });
    expect(failed.error).toHaveLength(2000);

    expect(await c.repos.videos.fail(video.id, 'a second failure')).toBe(false);
    expect((await row(video.id)).error).toBe(failed.error);

    // A failed video is not completed by a stitch that finishes late.
    expect(await c.repos.videos.complete(video.id, { duration: 9, videoUrl: 'v', thumbnailUrl: 't', captionsUrl: 'c' })).toBe(false);
    expect(await row(video.id)).toMatchObject({ status: VideoStatus.Failed, videoUrl: null });
  });

  it('completes a working video, after which it cannot fail', async () => {
    const { video } = await seedVideo(c.repos);
    await c.repos.videos.advanceStatus(video.id, VideoStatus.Rendering, 'Encoding the video', 76);
    expect(await c.repos.videos.complete(video.id, { duration: 12.5, videoUrl: 'v.mp4', thumbnailUrl: 't.jpg', captionsUrl: 'c.vtt' })).toBe(true);
    // A stitch retried after it completed writes the same again, but did not complete it (metrics count it once).
    expect(await c.repos.videos.complete(video.id, { duration: 12.5, videoUrl: 'v.mp4', thumbnailUrl: 't.jpg', captionsUrl: 'c.vtt' })).toBe(false);
    expect(await c.repos.videos.fail(video.id, 'too late')).toBe(false);
    const v = await row(video.id);
    expect(v).toMatchObject({ status: VideoStatus.Completed, stage: 'Done', progress: 100, error: null, duration: 12.5, videoUrl: 'v.mp4' });
    expect(v.completedAt).toBeInstanceOf(Date);
  });

  it('lands every one of many concurrent usage deltas', async () => {
    const { video } = await seedVideo(c.repos);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => c.repos.videos.addUsage(video.id, { ttsCharacters: 10, ...(i % 2 ? { cacheHits: 1 } : { cacheMisses: 1 }) })),
    );
    await c.repos.videos.addUsage(video.id, { llmInputTokens: 0, ['bogus' as 'cacheHits']: 5 }); // zeros and unknown keys are ignored
    expect((await row(video.id)).usage).toEqual({ ttsCharacters: 200, cacheHits: 10, cacheMisses: 10 });
  });

  it("takes the deck's title only while the video still has the derived one", async () => {
    const { video } = await seedVideo(c.repos, 'Derived');
    await c.repos.videos.retitle(video.id, 'Derived', 'The Deck');
    expect((await row(video.id)).title).toBe('The Deck');
    await c.repos.videos.updateOwned(video.userId, video.id, { title: 'Mine' });
    await c.repos.videos.retitle(video.id, 'Derived', 'Another Deck');
    expect((await row(video.id)).title).toBe('Mine');
  });

  it("answers for the owner only, and lists the owner's videos newest first with their prompts", async () => {
    const { user, video } = await seedVideo(c.repos);
    const other = await seedVideo(c.repos);
    const second = await c.repos.videos.createWithPrompt(
      user.id,
      { title: 'Chosen', content: 'Second prompt' },
      { title: 'Chosen', slideCount: 4, aspectRatio: '1:1', language: 'de-DE', voice: null, theme: 'dark' },
    );
    expect(await c.repos.videos.findOwned(other.user.id, video.id)).toBeNull();
    await c.repos.videos.updateOwned(other.user.id, video.id, { title: 'Hijacked' });
    expect((await row(video.id)).title).toBe('Derived title');

    const page = await c.repos.videos.listForUser(user.id, { page: 1, limit: 10 });
    expect(page).toMatchObject({ total: 2, next: null });
    expect(page.items.map((i) => [i.video.id, i.prompt.content])).toEqual([
      [second.video.id, 'Second prompt'],
      [video.id, 'Why is the sky blue?'],
    ]);
    const failedOnly = await c.repos.videos.listForUser(user.id, { page: 1, limit: 10, status: VideoStatus.Failed });
    expect(failedOnly).toEqual({ items: [], total: 0, next: null });
    // One more than the limit tells a next page exists; its key is the last listed video's.
    const firstOnly = await c.repos.videos.listForUser(user.id, { page: 1, limit: 1 });
    expect(firstOnly.next).toEqual({ createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), id: second.video.id });
    const rest = await c.repos.videos.listForUser(user.id, { limit: 1, after: firstOnly.next! });
    expect(rest).toMatchObject({ total: 2, next: null });
    expect(rest.items.map((i) => i.video.id)).toEqual([video.id]);
  });

  it('deletes the video with its prompt', async () => {
    const { video, prompt } = await seedVideo(c.repos);
    expect(await c.repos.videos.findStatus(video.id)).toBe(VideoStatus.Queued);
    await c.repos.prompts.deleteWithVideo(prompt.id);
    expect(await c.repos.videos.findStatus(video.id)).toBeUndefined();
    expect(await c.repos.videos.findById(video.id)).toBeNull();
  });

  describe('for the reconciler', () => {
    // 0 s: anything written before this statement counts as unchanged; an hour: nothing does.
    const NOW = 0;
    const HOUR = 3600;

    it('finds working videos unchanged for a while, never finished ones', async () => {
      const working = await seedVideo(c.repos);
      await c.repos.videos.advanceStatus(working.video.id, VideoStatus.GeneratingVoice, 'Voicing', 25);
      const done = await seedVideo(c.repos);
      await c.repos.videos.fail(done.video.id, 'broken');

      const stale = await c.repos.videos.findStale(NOW, 1000);
      expect(stale.find((v) => v.id === working.video.id)).toEqual({
        id: working.video.id,
        promptId: working.prompt.id,
        status: VideoStatus.GeneratingVoice,
        slideCount: 3,
        restarts: 0,
      });
      expect(stale.map((v) => v.id)).not.toContain(done.video.id);
      expect((await c.repos.videos.findStale(HOUR, 1000)).map((v) => v.id)).not.toContain(working.video.id);
    });

    it('counts restarts up to the limit, only while the video is as it was seen', async () => {
      const { video } = await seedVideo(c.repos);
      expect(await c.repos.videos.claimRestart(video.id, VideoStatus.Queued, NOW, 2)).toBe(1);
      // The claim touched updated_at: the video is no longer unchanged for an hour.
      expect(await c.repos.videos.claimRestart(video.id, VideoStatus.Queued, HOUR, 2)).toBeUndefined();
      // It moved on meanwhile: not claimed.
      expect(await c.repos.videos.claimRestart(video.id, VideoStatus.GeneratingSlides, NOW, 2)).toBeUndefined();
      expect(await c.repos.videos.claimRestart(video.id, VideoStatus.Queued, NOW, 2)).toBe(2);
      expect(await c.repos.videos.claimRestart(video.id, VideoStatus.Queued, NOW, 2)).toBeUndefined();
      expect((await row(video.id)).restarts).toBe(2);
    });

    it('fails a lost video only while it is as it was seen', async () => {
      const { video } = await seedVideo(c.repos);
      expect(await c.repos.videos.failStale(video.id, VideoStatus.Queued, HOUR, 'lost')).toBe(false);
      expect(await c.repos.videos.failStale(video.id, VideoStatus.Rendering, NOW, 'lost')).toBe(false);
      expect(await c.repos.videos.failStale(video.id, VideoStatus.Queued, NOW, 'lost')).toBe(true);
      expect(await row(video.id)).toMatchObject({ status: VideoStatus.Failed, stage: 'Failed', error: 'lost' });
    });
  });
});
