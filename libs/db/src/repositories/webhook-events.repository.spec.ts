import { VideoStatus } from '../entities/video.entity.js';
import { DEFAULT_EVENTS, WebhookEventType } from '../entities/webhook-event-type.js';
import { type Connected, seedEndpoint, seedVideo, useRepositories } from '@test/support/repositories.js';

const ALL = [...DEFAULT_EVENTS, WebhookEventType.VideoProgress];

describe('webhook events: written with the status change that is the event', () => {
  const connected = useRepositories();
  let c: Connected;
  beforeAll(() => {
    c = connected();
  });

  const eventsOf = (videoId: string) =>
    c.sql<{ type: string; endpoint_id: string; status: string }>(
      `SELECT e.type, d.endpoint_id, d.status FROM webhook_events e JOIN webhook_deliveries d ON d.event_id = e.id
        WHERE e.video_id = $1 ORDER BY e.created_at, e.type`,
      [videoId],
    );

  it('records each stage change once, for the endpoints subscribed to its type', async () => {
    const { user, video } = await seedVideo(c.repos);
    const ends = await seedEndpoint(c.repos, user.id);
    const everything = await seedEndpoint(c.repos, user.id, ALL);
    const v = c.repos.videos;
    await v.advanceStatus(video.id, VideoStatus.GeneratingSlides, 'Writing the slides', 2);
    // A retried stage moves to the status it is already in: no second event.
    await v.advanceStatus(video.id, VideoStatus.GeneratingSlides, 'Writing the slides', 2);
    await v.reportProgress(video.id, VideoStatus.GeneratingSlides, 'Rendered slide 1 of 3', 10);
    await v.advanceStatus(video.id, VideoStatus.GeneratingVoice, 'Voicing 3 slides', 25);
    await v.advanceStatus(video.id, VideoStatus.GeneratingSlides, 'late', 2); // backwards: refused, nothing recorded
    await v.advanceStatus(video.id, VideoStatus.Rendering, 'Encoding the video', 76);
    await v.complete(video.id, { duration: 9, videoUrl: 'v', thumbnailUrl: 't', captionsUrl: 'c' });
    await v.complete(video.id, { duration: 9, videoUrl: 'v', thumbnailUrl: 't', captionsUrl: 'c' }); // a retried stitch
    await v.fail(video.id, 'too late'); // completed stays completed

    const events = await eventsOf(video.id);
    expect(events.filter((e) => e.endpoint_id === everything.id).map((e) => e.type)).toEqual([
      'video.progress',
      'video.progress',
      'video.progress',
      'video.completed',
    ]);
    expect(events.filter((e) => e.endpoint_id === ends.id).map((e) => e.type)).toEqual(['video.completed']);
    expect(events.every((e) => e.status === 'pending')).toBe(true);
  });

  it('keeps a snapshot of the video and its prompt as they were at the change', async () => {
    const { user, video } = await seedVideo(c.repos, 'Snapshot');
    await seedEndpoint(c.repos, user.id);
    await c.repos.videos.fail(video.id, 'Voicing slide 2 failed: no');
    await c.repos.videos.updateOwned(user.id, video.id, { title: 'Renamed later' });
    const [id] = await c.sql<{ id: string }>('SELECT d.id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE e.video_id = $1', [
      video.id,
    ]);
    const work = (await c.repos.webhookDeliveries.findWork(id!.id))!;
    expect(work.event.type).toBe(WebhookEventType.VideoFailed);
    expect(work.event.subject.kind).toBe('video');
    if (work.event.subject.kind !== 'video') return;
    expect(work.event.subject.video).toMatchObject({
      id: video.id,
      title: 'Snapshot',
      status: VideoStatus.Failed,
      error: 'Voicing slide 2 failed: no',
      metadata: {},
    });
    expect(work.event.subject.video.updatedAt).toBeInstanceOf(Date);
    expect(work.event.subject.video.completedAt).toBeNull();
    expect(work.event.subject.prompt).toEqual({ content: 'Why is the sky blue?' });
    expect(work.endpoint).toMatchObject({ userId: user.id, url: 'https://hooks.example.com/blinked', secretSealed: 'v1.iv.sealed', disabled: false });
  });

  it('reports cancel, and retry as progress; nothing for users without endpoints or for disabled ones', async () => {
    const { user, video } = await seedVideo(c.repos);
    const endpoint = await seedEndpoint(c.repos, user.id, ALL);
    expect(await c.repos.videos.cancel(video.id)).toBe(true);
    expect(await c.repos.videos.cancel(video.id)).toBe(false);
    expect(await c.repos.videos.reopenForRetry(video.id, VideoStatus.Queued, 'Waiting')).toBe(true);
    expect((await eventsOf(video.id)).map((e) => e.type)).toEqual(['video.cancelled', 'video.progress']);

    await c.sql('UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1', [endpoint.id]);
    await c.repos.videos.fail(video.id, 'x');
    expect(await eventsOf(video.id)).toHaveLength(2);

    const other = await seedVideo(c.repos);
    await c.repos.videos.fail(other.video.id, 'x');
    expect(await eventsOf(other.video.id)).toEqual([]);
  });

  it('sends a test event to the owner’s endpoint only, enabled or not', async () => {
    const { user } = await seedVideo(c.repos);
    const endpoint = await seedEndpoint(c.repos, user.id);
    const stranger = await seedVideo(c.repos);
    expect(await c.repos.webhookDeliveries.createTest(stranger.user.id, endpoint.id, { hello: 'x' })).toBeNull();
    await c.sql('UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1', [endpoint.id]);
    const id = (await c.repos.webhookDeliveries.createTest(user.id, endpoint.id, { hello: 'x' }))!;
    expect(await c.repos.webhookDeliveries.findView(id)).toMatchObject({ type: 'webhook.test', videoId: null, status: 'pending', attempts: [] });
    expect((await c.repos.webhookDeliveries.findWork(id))!.event.subject).toEqual({ kind: 'data', data: { hello: 'x' } });
  });
});
