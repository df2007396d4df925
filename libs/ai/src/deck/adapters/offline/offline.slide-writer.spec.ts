import type { Deck, DeckRequest } from '../../deck.types.js';
import { validateDeck } from '../../deck.validation.js';
import { OfflineSlideWriter } from './offline.slide-writer.js';
import { ProviderError } from '../../../errors/provider.error.js';

const writer = new OfflineSlideWriter();

const PARAGRAPH =
  'Photosynthesis is how green plants turn light into food. Chlorophyll in the leaves absorbs red and blue light, ' +
  'reflecting green. Water drawn up from the roots is split, releasing oxygen into the air. Carbon dioxide enters ' +
  'through tiny pores called stomata; enzymes fix it into sugar in the Calvin cycle. The sugar feeds the plant and, ' +
  'through food chains, almost every animal on Earth. ';
const LONG = PARAGRAPH.repeat(Math.ceil(4000 / PARAGRAPH.length)).slice(0, 4000);
const NO_PUNCTUATION =
  'the water cycle moves water between the oceans the air and the land through evaporation condensation ' +
  'precipitation and collection and it is powered by the heat of the sun and by gravity';
const JAPANESE = '光合作用は植物が光のエネルギーを使って二酸化炭素と水から糖を作る仕組みです。このとき酸素が放出されます。';
const ARABIC = 'التمثيل الضوئي هو العملية التي تحول بها النباتات ضوء الشمس إلى غذاء';

const PROMPTS: Array<[string, string, string]> = [
  ['one word', 'Photosynthesis', 'en-US'],
  ['4000 characters', LONG, 'en-US'],
  ['no punctuation', NO_PUNCTUATION, 'en-US'],
  ['Japanese', JAPANESE, 'ja-JP'],
  ['Arabic', ARABIC, 'ar'],
];

const write = async (request: Partial<DeckRequest> & { prompt: string }): Promise<Deck> =>
  (await writer.write({ slideCount: 5, language: 'en-US', ...request })).deck;

/** Word-like tokens, lower-cased, as Intl.Segmenter cuts them (works for scripts without spaces). */
function words(text: string, language: string): string[] {
  const segmenter = new Intl.Segmenter(language, { granularity: 'word' });
  return [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment.toLocaleLowerCase());
}

describe('OfflineSlideWriter', () => {
  it.each(PROMPTS)('makes exactly 3 and exactly 20 valid slides from a %s prompt', async (_name, prompt, language) => {
    for (const slideCount of [3, 20]) {
      const result = await writer.write({ prompt, slideCount, language });
      expect(result.deck.slides).toHaveLength(slideCount);
      expect(validateDeck(result.deck, { slideCount })).toEqual(result.deck);
      expect(result.inputTokens).toBe(0);
      expect(result.outputTokens).toBe(0);
    }
  });

  it.each(PROMPTS)('takes every slide from the %s prompt itself', async (_name, prompt, language) => {
    const promptWords = new Set(words(prompt, language));
    for (const slideCount of [3, 7, 20]) {
      const deck = await write({ prompt, slideCount, language });
      deck.slides.forEach((slide, i) => {
        const shown = words(`${slide.title} ${slide.bullets.join(' ')}`, language);
        // A content word: in Latin script four letters or more, so "the" or "and" do not count.
        const fromPrompt = shown.filter((w) => promptWords.has(w) && (!/^\p{Script=Latin}/u.test(w) || w.length >= 4));
        if (fromPrompt.length === 0) throw new Error(`slide ${i} of ${slideCount} has no word from the prompt: ${JSON.stringify(slide)}`);
        // Bullets are the prompt's own words, nothing invented.
        for (const bullet of slide.bullets) {
          const foreign = words(bullet, language).filter((w) => !promptWords.has(w));
          expect({ bullet, foreign }).toEqual({ bullet, foreign: [] });
          expect([...bullet].length).toBeLessThanOrEqual(80);
        }
        expect(slide.narration).toMatch(/[.!?。！？…]$/u);
      });
    }
  });

  it('keeps a long prompt within the narration limit', async () => {
    const deck = await write({ prompt: LONG, slideCount: 3 });
    expect(deck.slides[1]!.narration.length).toBeGreaterThan(1000);
    expect(deck.slides[1]!.narration.length).toBeLessThanOrEqual(1500);
  });

  it('reads whole sentences of the prompt as narration', async () => {
    const deck = await write({ prompt: PARAGRAPH, slideCount: 7 });
    const narration = deck.slides.map((s) => s.narration).join(' ');
    expect(narration).toContain('Water drawn up from the roots is split, releasing oxygen into the air.');
    expect(deck.slides[1]!.title).toBe('Photosynthesis is how green plants turn light');
  });

  it('cuts long bullets at a word boundary', async () => {
    const prompt = 'chlorophyll molecules absorb photons and pass their energy along a chain of proteins '.repeat(3).trim();
    const deck = await write({ prompt, slideCount: 3 });
    const cut = deck.slides.flatMap((s) => s.bullets).filter((b) => b.endsWith('…'));
    expect(cut.length).toBeGreaterThan(0);
    for (const bullet of cut) {
      expect([...bullet].length).toBeLessThanOrEqual(80);
      // What is kept is a run of the prompt that ends where a word ends.
      expect(`${prompt} `).toContain(`${bullet.slice(0, -1).toLowerCase()} `);
    }
  });

  it('is deterministic', async () => {
    for (const [, prompt, language] of PROMPTS) {
      expect(await write({ prompt, language, slideCount: 9 })).toEqual(await write({ prompt, language, slideCount: 9 }));
    }
  });

  it('uses the title the user chose, else one derived from the prompt', async () => {
    expect((await write({ prompt: PARAGRAPH, title: '  Plants   and light ' })).title).toBe('Plants and light');
    expect((await write({ prompt: 'Explain how a rainbow forms. Sunlight bends in raindrops.' })).title).toBe('How a rainbow forms');
    expect((await write({ prompt: JAPANESE, language: 'ja' })).title.length).toBeGreaterThan(0);
  });

  it('rejects an empty prompt and an impossible slide count as permanent', async () => {
    for (const request of [
      { prompt: ' \n\t ', slideCount: 5 },
      { prompt: 'Photosynthesis', slideCount: 2 },
      { prompt: 'Photosynthesis', slideCount: 21 },
      { prompt: 'Photosynthesis', slideCount: 4.5 },
    ]) {
      const error = await writer.write({ ...request, language: 'en' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('permanent');
    }
  });

  it('rejects an aborted request', async () => {
    const error = await writer.write({ prompt: PARAGRAPH, slideCount: 5, language: 'en', signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });
});
