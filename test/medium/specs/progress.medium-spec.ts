import { VideoRepository, VideoStatus } from '@app/db';
import { SpawnMediaRunner, type StitchInput, VideoStitcher } from '@app/media';
import { MediumContext } from '../medium.factory.js';
import { gate } from '../medium.doubles.js';

const FORWARD = [VideoStatus.Queued, VideoStatus.GeneratingSlides, VideoStatus.GeneratingVoice, VideoStatus.Rendering, VideoStatus.Completed];

/**
 * Progress only goes up, whatever order the stages' writes land in. The database itself
 * records every change to a video (a trigger, in this spec's own database), so the
 * history is in the order the rows changed, not the order this process saw answers.
 */
describe('progress', () => {
  let ctx: MediumContext;

  beforeAll(async () => {
    ctx = await MediumContext.create();
    await ctx.infra.db.query(`CREATE TABLE progress_log (seq bigserial PRIMARY KEY, video_id uuid NOT NULL, status text NOT NULL, progress int NOT NULL)`);
    await ctx.infra.db.query(`CREATE FUNCTION log_progress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO progress_log (video_id, status, progress) VALUES (NEW.id, NEW.status, NEW.progress); RETURN NEW; END $$`);
    await ctx.infra.db.query(`CREATE TRIGGER videos_progress_log AFTER UPDATE ON videos FOR EACH ROW EXECUTE FUNCTION log_progress()`);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  async function history(videoId: string) {
    return ctx.infra.db.query<{ status: VideoStatus; progress: number }>('SELECT status, progress FROM progress_log WHERE video_id = $1 ORDER BY seq', [
      videoId,
    ]);
  }

  function expectOnlyForward(steps: { status: VideoStatus; progress: number }[]) {
    for (const [i, step] of steps.entries()) {
      if (i === 0) continue;
      expect({ at: i, progress: step.progress }).toEqual({ at: i, progress: Math.max(step.progress, steps[i - 1]!.progress) });
      expect(FORWARD.indexOf(step.status)).toBeGreaterThanOrEqual(FORWARD.indexOf(steps[i - 1]!.status));
    }
  }

  /** Keeps every progress write a stage fires and forgets, so a spec can wait for the late ones. */
  class TrackedVideos extends VideoRepository {
    readonly writes: Promise<void>[] = [];
    override reportProgress(...args: Parameters<VideoRepository['reportProgress']>): Promise<void> {
      const write = super.reportProgress(...args);
      this.writes.push(write);
      return write;
    }
  }

  it('rises through a whole run (three voice jobs at once) to 100, and a late encoding report does not lower it', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3 });
    const videos = new TrackedVideos(ctx.infra.dataSource.manager);
    let reportEncoding: StitchInput['onProgress'];
    const real = new VideoStitcher(new SpawnMediaRunner());
    const stitcher = Object.create(real) as VideoStitcher;
    // ffmpeg's progress is held back until the video is completed: then it lands late.
    stitcher.stitch = (input) => {
      reportEncoding = input.onProgress;
      return real.stitch({ ...input, onProgress: undefined });
    };
    const { deckStage, voiceStage, stitchStage } = ctx.build({ videos, stitcher });

    await deckStage.run(video.id);
    await Promise.all([1, 2, 3].map((n) => voiceStage.run(video.id, n)));
    await stitchStage.run(video.id);
    const writesBefore = videos.writes.length;
    reportEncoding!(0.5);
    expect(videos.writes).toHaveLength(writesBefore + 1);
    await Promise.all(videos.writes);

    const steps = await history(video.id);
    expectOnlyForward(steps);
    expect(steps.map((s) => s.status)).toEqual(expect.arrayContaining([VideoStatus.GeneratingSlides, VideoStatus.GeneratingVoice, VideoStatus.Rendering]));
    expect(steps.at(-1)).toEqual({ status: VideoStatus.Completed, progress: 100 });
    expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.Completed, progress: 100 });
  });

  it('is not pulled back by a slides job retried after voicing began', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3 });
    const { deckStage, voiceStage } = ctx.build();
    await deckStage.run(video.id);
    await voiceStage.run(video.id, 1);
    await voiceStage.run(video.id, 2);
    const before = (await ctx.video(video.id))!;
    expect(before).toMatchObject({ status: VideoStatus.GeneratingVoice, progress: 58 });

    await deckStage.run(video.id);

    expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.GeneratingVoice, progress: 58 });
    expectOnlyForward(await history(video.id));
  });

  it('keeps the higher value when a voice job reports "1 of 3" after another reported "2 of 3"', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3 });
    await ctx.build().deckStage.run(video.id);

    // The first voice job counts one voiced slide, then stalls just before it reports.
    const release = gate();
    const reached = gate();
    class StalledReport extends VideoRepository {
      override async reportProgress(...args: Parameters<VideoRepository['reportProgress']>): Promise<void> {
        reached.open();
        await release.opened;
        return super.reportProgress(...args);
      }
    }
    const late = ctx.build({ videos: new StalledReport(ctx.infra.dataSource.manager) });
    const prompt = ctx.build();

    const lateJob = late.voiceStage.run(video.id, 1);
    await reached.opened;
    await prompt.voiceStage.run(video.id, 2);
    expect((await ctx.video(video.id))!.progress).toBe(58);
    release.open();
    await lateJob;

    expect((await ctx.video(video.id))!.progress).toBe(58);
    const steps = await history(video.id);
    expectOnlyForward(steps);
    expect(steps.map((s) => s.progress)).not.toContain(42);
  });
});
