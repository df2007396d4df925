import { type Connected, useRepositories, seedVideo } from '@test/support/repositories.js';

describe('SlideRepository and VoiceoverRepository', () => {
  const connected = useRepositories();
  let c: Connected;

  beforeAll(() => {
    c = connected();
  });
  const deck = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({
      title: `${tag} ${i + 1}`,
      bullets: [`b${i}`],
      text: `say ${tag} ${i + 1}`,
      visual: { keywords: [`${tag}${i + 1}`, 'leaf'], prompt: `A picture of ${tag} ${i + 1}.` },
    }));

  it("replaces a prompt's deck, numbering from 1, and records whether it came from the cache", async () => {
    const { prompt } = await seedVideo(c.repos);
    await c.repos.slides.replaceDeck(prompt.id, deck(2, 'old'), false);
    await c.repos.slides.replaceDeck(prompt.id, deck(3, 'new'), true);
    const slides = await c.repos.slides.listForPrompt(prompt.id);
    expect(slides.map((s) => [s.slideNumber, s.title, s.text])).toEqual([
      [1, 'new 1', 'say new 1'],
      [2, 'new 2', 'say new 2'],
      [3, 'new 3', 'say new 3'],
    ]);
    expect((await c.repos.prompts.findById(prompt.id))!.isCached).toBe(true);
    expect((await c.repos.slides.findByNumber(prompt.id, 2))!.bullets).toEqual(['b1']);
    expect((await c.repos.slides.findByNumber(prompt.id, 3))!.visual).toEqual({ keywords: ['new3', 'leaf'], prompt: 'A picture of new 3.' });
    expect(await c.repos.slides.findByNumber(prompt.id, 4)).toBeNull();
  });

  it('keeps one voiceover per slide, counts the voiced ones and joins them for the stitch', async () => {
    const { prompt } = await seedVideo(c.repos);
    await c.repos.slides.replaceDeck(prompt.id, deck(3, 's'), false);
    const [one, two] = await c.repos.slides.listForPrompt(prompt.id);
    await c.repos.slides.setImage(one!.id, 'img-1.png', { kind: 'icon', source: 'tabler:leaf', attribution: null });
    expect((await c.repos.slides.findByNumber(prompt.id, 1))!.picture).toEqual({ kind: 'icon', source: 'tabler:leaf', attribution: null });
    expect((await c.repos.slides.findByNumber(prompt.id, 2))!.picture).toBeNull();
    await c.repos.voiceovers.upsertForSlide({ slideId: one!.id, audioUrl: 'a1.wav', duration: 1.5, text: 'first', voice: 'v'.repeat(150) });
    await c.repos.voiceovers.upsertForSlide({ slideId: one!.id, audioUrl: 'a1b.wav', duration: 2.5, text: 'again', voice: 'en-US-x' });
    await c.repos.voiceovers.upsertForSlide({ slideId: two!.id, audioUrl: 'a2.wav', duration: 3, text: 'second', voice: 'v'.repeat(150) });

    expect(await c.repos.voiceovers.findForSlide(one!.id)).toMatchObject({ audioUrl: 'a1b.wav', duration: 2.5, text: 'again', voice: 'en-US-x' });
    expect((await c.repos.voiceovers.findForSlide(two!.id))!.voice).toHaveLength(100);
    expect(await c.repos.voiceovers.countVoicedForPrompt(prompt.id)).toBe(2);
    // The narrator stores the timing; a row voiced before timings has none.
    const timing = { granularity: 'word', marks: [{ text: 'again', startSeconds: 0.1, endSeconds: 0.6 }] };
    await c.sql('UPDATE voiceovers SET timing = $2 WHERE slide_id = $1', [one!.id, JSON.stringify(timing)]);
    expect(await c.repos.slides.findForStitch(prompt.id)).toEqual([
      { slideNumber: 1, title: 's 1', text: 'say s 1', imageUrl: 'img-1.png', audioUrl: 'a1b.wav', duration: 2.5, timing },
      { slideNumber: 2, title: 's 2', text: 'say s 2', imageUrl: null, audioUrl: 'a2.wav', duration: 3, timing: null },
      { slideNumber: 3, title: 's 3', text: 'say s 3', imageUrl: null, audioUrl: null, duration: null, timing: null },
    ]);

    // The stitched windows land on the slides by number, in order.
    await c.repos.slides.setTimes(prompt.id, [
      { startSeconds: 0, endSeconds: 3.1 },
      { startSeconds: 3.1, endSeconds: 6.6 },
      { startSeconds: 6.6, endSeconds: 9 },
    ]);
    expect((await c.repos.slides.listForPrompt(prompt.id)).map((s) => [s.slideNumber, s.startSeconds, s.endSeconds])).toEqual([
      [1, 0, 3.1],
      [2, 3.1, 6.6],
      [3, 6.6, 9],
    ]);
  });
});
