import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { VideoStatus } from '@app/db';
import { probeMedia, SpawnMediaRunner } from '@app/media';
import { videoKeys } from '@app/storage';
import { MediumContext } from '../medium.factory.js';
import { CountingMediaRunner } from '../medium.doubles.js';
import { videoPacketLines } from '../../support/video-packets.js';

/** Each voice job encodes its slide's segment; the stitch only joins, and makes any segment it does not find. */
describe('slide segments', () => {
  let ctx: MediumContext;

  beforeAll(async () => {
    ctx = await MediumContext.create();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const storageDir = () => ctx.infra.config.getOrThrow<{ dir: string }>('storage').dir;
  /** The stored segment keys of a video, sorted. */
  async function segments(videoId: string): Promise<string[]> {
    const dir = join(storageDir(), videoKeys.prefix(videoId), 'segments');
    const names = await readdir(dir).catch(() => [] as string[]);
    return names.map((n) => `${videoKeys.prefix(videoId)}/segments/${n}`).sort();
  }
  /** The stored audio chunk keys of a video, sorted. */
  async function audioChunks(videoId: string): Promise<string[]> {
    const dir = join(storageDir(), videoKeys.prefix(videoId), 'audio-chunks');
    const names = await readdir(dir).catch(() => [] as string[]);
    return names.map((n) => `${videoKeys.prefix(videoId)}/audio-chunks/${n}`).sort();
  }
  const counting = () => {
    const media = new CountingMediaRunner(new SpawnMediaRunner());
    return { media, ...ctx.build({ mediaRunner: media }) };
  };

  it('encodes a slide segment in its voice job once, and again only when the narration changes', async () => {
    const { video, prompt } = await ctx.newVideo({ slideCount: 3 });
    await ctx.build().deckStage.run(video.id);
    const { voiceStage, media } = counting();

    await voiceStage.run(video.id, 2);
    const first = await segments(video.id);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(new RegExp(`/segments/002-[0-9a-f]{24}\\.mp4$`));
    const firstAudio = await audioChunks(video.id);
    expect(firstAudio).toEqual([expect.stringMatching(new RegExp(`/audio-chunks/002-[0-9a-f]{24}\\.aac$`))]);
    const spawned = media.commands.length;
    // The segment and the audio chunk come out of one ffmpeg run.
    expect(media.commands.filter((c) => c === 'ffmpeg')).toEqual(['ffmpeg']);

    // A retried job (or a second delivery) finds the audio and the segment: no ffmpeg at all.
    await voiceStage.run(video.id, 2);
    expect(media.commands).toHaveLength(spawned);
    expect(await segments(video.id)).toEqual(first);
    expect(await audioChunks(video.id)).toEqual(firstAudio);

    // New narration: new audio, a different window, so a new segment under a new key.
    await ctx.infra.db.query('UPDATE slides SET text = $3 WHERE prompt_id = $1 AND slide_number = $2', [
      prompt.id,
      2,
      'A much longer narration now, so the slide lasts longer than it did, and its segment must follow it.',
    ]);
    await voiceStage.run(video.id, 2);
    const second = await segments(video.id);
    expect(second).toHaveLength(2);
    expect(await audioChunks(video.id)).toHaveLength(2);
    expect(media.commands.filter((c) => c === 'ffmpeg').length).toBeGreaterThan(spawned);
  });

  it('stitches from the stored segments with one ffmpeg, and encodes a missing one itself, in sync', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3, prompt: 'Tides rise. The moon pulls the sea. Tides fall.' });
    const base = ctx.build();
    await base.deckStage.run(video.id);
    for (const n of [1, 2, 3]) await base.voiceStage.run(video.id, n);
    const stored = await segments(video.id);
    expect(stored).toHaveLength(3);
    const storedAudio = await audioChunks(video.id);
    expect(storedAudio).toHaveLength(3);
    // Lost from storage (or never made: a video voiced before segments existed).
    await ctx.infra.storage.delete(stored[1]!);
    await ctx.infra.storage.delete(storedAudio[2]!);
    const { stitchStage, media } = counting();

    const result = await stitchStage.run(video.id);
    // One pass for the missing segment, one encode of the missing audio chunk, one join: nothing else
    // (the length is read from the joined MP4's header, not by ffprobe).
    expect(media.commands).toEqual(['ffmpeg', 'ffmpeg', 'ffmpeg']);
    expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.Completed, progress: 100 });
    const slides = await ctx.infra.db.query<{ start_seconds: number; end_seconds: number }>(
      'SELECT s.start_seconds, s.end_seconds FROM slides s JOIN videos v ON v.prompt_id = s.prompt_id WHERE v.id = $1 ORDER BY s.slide_number',
      [video.id],
    );
    const out = join(storageDir(), videoKeys.video(video.id)); // the local-disk store's own file
    const probe = await probeMedia(new SpawnMediaRunner(), out);
    expect(probe.durationSeconds).toBeCloseTo(slides[2]!.end_seconds, 2);
    expect(result.durationSeconds).toBeCloseTo(slides[2]!.end_seconds, 2);
    // A keyframe at each slide's start: the segments sit exactly on the planned windows.
    const stdout = await videoPacketLines(new SpawnMediaRunner(), out);
    const keys = stdout
      .trim()
      .split('\n')
      .filter((l) => l.split(',')[1]?.startsWith('K'))
      .map((l) => Number(l.split(',')[0]));
    expect(keys).toEqual(slides.map((s) => expect.closeTo(s.start_seconds, 3)));
  });

  it('burns captions into each segment, and a stitch with every segment stored runs one ffmpeg', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3, prompt: 'Rain falls. Rivers carry it to the sea. Clouds form again.' });
    await ctx.infra.db.query(`UPDATE videos SET captions = 'burned' WHERE id = $1`, [video.id]);
    const base = ctx.build();
    await base.deckStage.run(video.id);
    for (const n of [1, 2, 3]) await base.voiceStage.run(video.id, n);
    expect(await segments(video.id)).toHaveLength(3);
    const { stitchStage, media } = counting();

    await stitchStage.run(video.id);
    expect(media.commands).toEqual(['ffmpeg']);
    expect(await ctx.video(video.id)).toMatchObject({ status: VideoStatus.Completed });
  });
});
