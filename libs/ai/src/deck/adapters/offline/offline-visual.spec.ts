import { DECK_LIMITS } from '../../deck.types.js';
import { OfflineSlideWriter } from './offline.slide-writer.js';
import { VisualWriter } from './offline-visual.js';

describe('VisualWriter (the offline visual)', () => {
  const en = new VisualWriter('en-US');

  it('takes the most salient words of the slide, title first, without stop words', () => {
    const visual = en.visual(
      {
        title: 'How volcanoes erupt',
        bullets: ['Magma rises through the crust', 'Pressure builds until it escapes'],
        narration: 'When pressure builds, magma and gas force their way to the surface of the volcano.',
      },
      'Volcanoes',
    );
    expect(visual.keywords[0]).toBe('volcanoes');
    expect(visual.keywords).toEqual(expect.arrayContaining(['magma', 'pressure']));
    expect(visual.keywords.length).toBeLessThanOrEqual(DECK_LIMITS.maxVisualKeywords);
    for (const stop of ['how', 'the', 'through', 'until', 'it']) expect(visual.keywords).not.toContain(stop);
    // Words said twice (title and narration, bullets and narration) outrank words said once.
    expect(visual.keywords.slice(0, 2)).toEqual(['volcanoes', 'pressure']);
    expect(visual.prompt).toMatch(
      /^A simple, clear picture of volcanoes, pressure, \p{L}+, for a slide titled "How volcanoes erupt"\. No text or lettering\.$/u,
    );
  });

  it("ignores the offline writer's own framing on the title and summary slides", () => {
    const visual = en.visual({ title: 'Bees', bullets: [], narration: "Welcome. Today's topic is: Bees. We will go through it in 3 parts." }, 'Bees');
    expect(visual.keywords).toEqual(['bees']);
  });

  it('keeps words in the deck language, drops that language’s stop words, and cuts CJK text at words', () => {
    const de = new VisualWriter('de-DE').visual(
      { title: 'Die Photosynthese', bullets: ['Licht und Wasser'], narration: 'Die Pflanze macht Zucker.' },
      'x',
    );
    expect(de.keywords[0]).toBe('photosynthese');
    expect(de.keywords).not.toContain('die');
    expect(de.keywords).not.toContain('und');
    const ja = new VisualWriter('ja-JP').visual({ title: '光合作用の仕組み', bullets: [], narration: '植物は光で糖を作ります。' }, 'x');
    expect(ja.keywords.length).toBeGreaterThan(0);
    expect(ja.keywords.join('')).not.toBe('光合作用の仕組み');
  });

  it('always gives at least one keyword within the limits, even from a slide of stop words or symbols', () => {
    expect(en.visual({ title: 'What is it?', bullets: [], narration: 'It is what it is.' }, 'Topic').keywords).toEqual(['what']);
    expect(en.visual({ title: '???', bullets: [], narration: '!!!' }, '***').keywords).toEqual(['???']);
    const long = 'x'.repeat(60);
    const visual = en.visual({ title: long, bullets: [], narration: `${long}.` }, long);
    expect(visual.keywords).toHaveLength(1);
    expect(visual.keywords[0]!.length).toBeLessThanOrEqual(DECK_LIMITS.visualKeywordMaxChars);
    expect(visual.prompt.length).toBeLessThanOrEqual(DECK_LIMITS.visualPromptMaxChars);
  });

  it('gives every slide of an offline deck a valid visual drawn from that slide', async () => {
    const { deck } = await new OfflineSlideWriter().write({
      prompt: 'Bees pollinate flowers. Honey is made from nectar. Hives hold thousands of workers.',
      slideCount: 5,
      language: 'en-US',
    });
    for (const slide of deck.slides) {
      const words = `${slide.title} ${slide.bullets.join(' ')} ${slide.narration}`.toLowerCase();
      for (const k of slide.visual.keywords) expect([k, words.includes(k)]).toEqual([k, true]);
    }
    expect(deck.slides[1]!.visual.keywords).toEqual(expect.arrayContaining(['bees', 'flowers']));
  });
});
