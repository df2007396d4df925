import { type ImageRequest, PexelsImageSource } from '@app/ai';
import { type FakePexels, startFakePexels } from '../../fakes/fake-pexels.server.js';
import { SlideRenderer, type RenderSlideInput } from '@app/media';
import { MediumContext } from '../medium.factory.js';

/** Records what the deck stage asked the real renderer to draw. */
class RecordingRenderer extends SlideRenderer {
  readonly inputs: RenderSlideInput[] = [];
  override render(input: RenderSlideInput): Promise<Buffer> {
    this.inputs.push(input);
    return super.render(input);
  }
}

const PEXELS_KEY = 'px-medium-3f9c1d7a5b2e';

/** The real Pexels adapter against the fake Pexels server (each search takes the fake's next scripted step). */
function pexels(fake: FakePexels): PexelsImageSource {
  return new PexelsImageSource({ apiKey: PEXELS_KEY, baseUrl: fake.baseUrl, timeoutMs: 5000, retries: { backoffMs: 1 } });
}

const slidesOf = (ctx: MediumContext, videoId: string) =>
  ctx.infra.db.query<{
    visual: { keywords: string[]; prompt: string } | null;
    picture: { kind: string; source: string; attribution: string | null } | null;
  }>(`SELECT s.visual, s.picture FROM slides s JOIN videos v ON v.prompt_id = s.prompt_id WHERE v.id = $1 ORDER BY s.slide_number`, [videoId]);
const imageRows = async (ctx: MediumContext) =>
  (await ctx.infra.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM generation_cache WHERE kind = 'image'`))[0]!.n;

describe('slide pictures (IMAGE_PROVIDER default: icons)', () => {
  let ctx: MediumContext;
  let fake: FakePexels;

  beforeAll(async () => {
    ctx = await MediumContext.create();
    fake = await startFakePexels({ apiKey: PEXELS_KEY });
  });

  beforeEach(() => fake.reset());

  afterAll(async () => {
    await ctx?.close();
    await fake?.close();
  });

  it('gives an offline 3-slide video an icon on every slide, records it, and draws it', async () => {
    const { video } = await ctx.newVideo({ slideCount: 3, prompt: 'Volcanoes erupt when magma rises. Lava cools into rock. Ash travels far.' });
    await ctx.infra.db.query(`UPDATE videos SET captions = 'burned' WHERE id = $1`, [video.id]);
    const renderer = new RecordingRenderer();
    await ctx.build({ renderer }).deckStage.run(video.id);

    const rows = await slidesOf(ctx, video.id);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.visual!.keywords.length).toBeGreaterThanOrEqual(1);
      expect(row.visual!.prompt).toMatch(/^A simple, clear picture of /);
      expect(row.picture).toEqual({ kind: 'icon', source: expect.stringMatching(/^(tabler|lucide):[a-z0-9-]+$/), attribution: null });
    }
    expect(rows.map((r) => r.picture!.source)).toContain('tabler:volcano');
    expect(renderer.inputs.map((i) => [i.picture?.kind, i.captionBand])).toEqual([
      ['icon', true],
      ['icon', true],
      ['icon', true],
    ]);
    expect(renderer.inputs[0]!.picture!.data.toString('utf8')).toContain('currentColor');
    const after = (await ctx.video(video.id))!;
    // Icons are not fetched from anyone: not counted, not cached.
    expect([after.imageProvider, after.usage.images ?? 0]).toEqual(['icons', 0]);
    expect(await imageRows(ctx)).toBe(0);

    // A retry finds image and picture stored and draws nothing again.
    await ctx.build({ renderer }).deckStage.run(video.id);
    expect(renderer.inputs).toHaveLength(3);
  });

  it('caches a remote picture: the second identical video pays for none', async () => {
    const source = pexels(fake);
    const prompt = 'Bees pollinate flowers. Honey comes from nectar. Hives hold many bees.';
    const first = (await ctx.newVideo({ slideCount: 3, prompt })).video;
    await ctx.build({ imageSource: source }).deckStage.run(first.id);
    expect([fake.calls, fake.downloads.length]).toEqual([3, 3]);
    expect((await slidesOf(ctx, first.id)).map((r) => r.picture)).toEqual(
      Array.from({ length: 3 }, () => ({ kind: 'image', source: expect.stringMatching(/^pexels:\d+$/), attribution: 'Photo by Jane Doe on Pexels' })),
    );
    expect((await ctx.video(first.id))!).toMatchObject({ imageProvider: 'pexels', usage: { images: 3 } });
    const rows = await imageRows(ctx);
    expect(rows).toBeGreaterThanOrEqual(1);

    const second = (await ctx.newVideo({ slideCount: 3, prompt })).video;
    await ctx.build({ imageSource: source }).deckStage.run(second.id);
    expect([fake.calls, fake.downloads.length]).toEqual([3, 3]);
    expect((await ctx.video(second.id))!.usage.images ?? 0).toBe(0);
    expect(await slidesOf(ctx, second.id)).toEqual(await slidesOf(ctx, first.id));
    expect(await imageRows(ctx)).toBe(rows);
  });

  it.each([
    // A refused key fails at once; no results is asked again with the first keyword alone.
    ['a refused key', 'unauthorized', 3],
    ['no photo', 'no_results', 6],
  ] as const)('falls back to an icon when the source answers %s, and the video carries on', async (_, step, searches) => {
    fake.script(...Array.from({ length: searches }, () => step));
    const cachedBefore = await imageRows(ctx);
    const { video } = await ctx.newVideo({ slideCount: 3 });
    await expect(ctx.build({ imageSource: pexels(fake) }).deckStage.run(video.id)).resolves.toEqual({ slides: 3 });
    expect(fake.calls).toBe(searches);
    for (const row of await slidesOf(ctx, video.id)) expect(row.picture!.kind).toBe('icon');
    expect((await ctx.video(video.id))!.usage.images ?? 0).toBe(0);
    // Nothing found, nothing stored: the next video asks the source again.
    expect(await imageRows(ctx)).toBe(cachedBefore);
  });

  it('lets anything that is not a provider failure (a bug, a cancellation) propagate', async () => {
    // A bug in an adapter is not a provider's answer: it must surface, not hide behind an icon.
    const buggy = new (class extends PexelsImageSource {
      override find(): never {
        throw new TypeError('cannot read properties of undefined');
      }
    })({ apiKey: PEXELS_KEY, baseUrl: fake.baseUrl, timeoutMs: 5000 });
    const { video } = await ctx.newVideo({ slideCount: 3 });
    await expect(ctx.build({ imageSource: buggy }).deckStage.run(video.id)).rejects.toThrow(TypeError);
    expect((await slidesOf(ctx, video.id)).every((r) => r.picture === null)).toBe(true);

    const cancelled = (await ctx.newVideo({ slideCount: 3 })).video;
    const controller = new AbortController();
    // Cancelled while the search is refused: the cancellation wins, the video does not carry on with icons.
    fake.script('unauthorized', 'unauthorized', 'unauthorized');
    const aborting = new (class extends PexelsImageSource {
      override find(request: ImageRequest) {
        controller.abort();
        return super.find(request);
      }
    })({ apiKey: PEXELS_KEY, baseUrl: fake.baseUrl, timeoutMs: 5000 });
    await expect(ctx.build({ imageSource: aborting }).deckStage.run(cancelled.id, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('slide pictures with IMAGE_PROVIDER=none', () => {
  let ctx: MediumContext;

  beforeAll(async () => {
    ctx = await MediumContext.create({ IMAGE_PROVIDER: 'none' });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it("renders text-only slides and records picture kind 'none'", async () => {
    const { video } = await ctx.newVideo({ slideCount: 3 });
    const renderer = new RecordingRenderer();
    await ctx.build({ renderer }).deckStage.run(video.id);
    expect(renderer.inputs.map((i) => i.picture)).toEqual([undefined, undefined, undefined]);
    expect((await slidesOf(ctx, video.id)).map((r) => r.picture)).toEqual(
      Array.from({ length: 3 }, () => ({ kind: 'none', source: '', attribution: null })),
    );
    expect((await ctx.video(video.id))!.imageProvider).toBe('none');
  });
});
