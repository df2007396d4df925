import { VideoStatus } from '../entities/video.entity.js';
import { type Connected, useRepositories, seedVideo } from '@test/support/repositories.js';

describe('VideoRepository: cancel, retry, idempotent create', () => {
  const connected = useRepositories();
  let c: Connected;

  beforeAll(() => {
    c = connected();
  });
  const row = async (id: string) => (await c.repos.videos.findById(id))!;

  it('cancels only a video in progress, and a cancelled one cannot be moved forward or completed', async () => {
    const { video } = await seedVideo(c.repos);
    await c.repos.videos.advanceStatus(video.id, VideoStatus.GeneratingVoice, 'Voicing', 40);
    expect(await c.repos.videos.cancel(video.id)).toBe(true);
    expect(await c.repos.videos.cancel(video.id)).toBe(false);
    await c.repos.videos.advanceStatus(video.id, VideoStatus.Rendering, 'Encoding', 80);
    await c.repos.videos.complete(video.id, { duration: 3, videoUrl: 'v', thumbnailUrl: 't', captionsUrl: 'c' });
    expect(await row(video.id)).toMatchObject({ status: VideoStatus.Cancelled, stage: 'Cancelled', progress: 40, videoUrl: null });
  });

  it('reopens only a failed or cancelled video, once, keeping its progress and clearing the error', async () => {
    const { video } = await seedVideo(c.repos);
    expect(await c.repos.videos.reopenForRetry(video.id, VideoStatus.Queued, 'Waiting')).toBe(false); // queued: nothing to retry
    await c.repos.videos.advanceStatus(video.id, VideoStatus.GeneratingVoice, 'Voicing', 60);
    await c.repos.videos.fail(video.id, 'Voicing slide 2 failed: no');
    expect(await c.repos.videos.reopenForRetry(video.id, VideoStatus.GeneratingVoice, 'Voicing 3 slides')).toBe(true);
    expect(await c.repos.videos.reopenForRetry(video.id, VideoStatus.GeneratingVoice, 'Voicing 3 slides')).toBe(false);
    expect(await row(video.id)).toMatchObject({ status: VideoStatus.GeneratingVoice, stage: 'Voicing 3 slides', progress: 60, error: null, restarts: 0 });
    await c.repos.videos.reportProgress(video.id, VideoStatus.GeneratingVoice, 'Voiced 1', 30);
    expect((await row(video.id)).progress).toBe(60);
  });

  it('creates once per (user, key): a repeat gets the first video and the hash of its body', async () => {
    const ROOMY = { concurrent: 100, daily: 100 };
    const { user } = await seedVideo(c.repos);
    const prompt = { title: '', content: 'Idempotent' };
    const video = { title: 'Idempotent', slideCount: 3, aspectRatio: '16:9', language: 'en-US', voice: null, theme: 'light' };
    const first = await c.repos.videoQuotas.createWithinQuota(user.id, prompt, video, ROOMY, { key: 'k', requestHash: 'a'.repeat(64) });
    if (!('created' in first)) throw new Error('expected a new video');
    const again = await c.repos.videoQuotas.createWithinQuota(user.id, prompt, video, ROOMY, { key: 'k', requestHash: 'b'.repeat(64) });
    expect(again).toEqual({ existing: { videoId: first.created.video.id, requestHash: 'a'.repeat(64) } });
    // Deleting the video frees its key.
    await c.repos.prompts.deleteWithVideo(first.created.prompt.id);
    expect(await c.repos.videoQuotas.createWithinQuota(user.id, prompt, video, ROOMY, { key: 'k', requestHash: 'b'.repeat(64) })).toHaveProperty(
      'created',
    );
  });
});
