import { DECK_LIMITS } from './deck.types.js';
import { DeckValidationError, validateDeck } from './deck.validation.js';

const slide = (n: number) => ({
  title: `Slide ${n}`,
  bullets: [`Point ${n}`],
  narration: `This is slide ${n}.`,
  visual: { keywords: [`bee${n}`, 'flower'], prompt: `A bee on flower ${n}.` } as { keywords: unknown; prompt: unknown } | undefined,
});
const deck = (count: number) => ({ title: 'Photosynthesis', slides: Array.from({ length: count }, (_, i) => slide(i)) });

function problemsOf(input: unknown, slideCount = 3): string[] {
  try {
    validateDeck(input, { slideCount });
  } catch (error) {
    expect(error).toBeInstanceOf(DeckValidationError);
    return [...(error as DeckValidationError).problems];
  }
  throw new Error('validateDeck accepted an invalid deck');
}

describe('validateDeck', () => {
  it('accepts a good deck, collapsing whitespace and dropping unknown keys and empty bullets', () => {
    const input = {
      title: '  Photo\tsynthesis \n basics ',
      extra: 'ignored',
      slides: [
        {
          title: ' Light\n\nreactions ',
          bullets: ['- Chlorophyll  absorbs light', '   ', 'Water\u200b splits'],
          narration: ' Light  hits the leaf. ',
          visual: { keywords: [' Leaf ', 'sun', 'leaf', 'SUN'], prompt: ' A  green leaf\n in the sun. ', style: 'x' },
          note: 'x',
        },
        slide(1),
        slide(2),
      ],
    };
    const result = validateDeck(input, { slideCount: 3 });
    expect(result).toEqual({
      title: 'Photo synthesis basics',
      slides: [
        {
          title: 'Light reactions',
          bullets: ['Chlorophyll absorbs light', 'Water splits'],
          narration: 'Light hits the leaf.',
          visual: { keywords: ['Leaf', 'sun'], prompt: 'A green leaf in the sun.' },
        },
        slide(1),
        slide(2),
      ],
    });
    expect(Object.keys(result.slides[0]!)).toEqual(['title', 'bullets', 'narration', 'visual']);
    expect(Object.keys(result.slides[0]!.visual)).toEqual(['keywords', 'prompt']);
  });

  it('names the expected and actual slide count', () => {
    expect(problemsOf(deck(4), 5)).toEqual(['slides: expected exactly 5 slides, got 4']);
  });

  it('points at an empty narration by its path', () => {
    const input = deck(3);
    input.slides[2]!.narration = ' \n ';
    expect(problemsOf(input)).toEqual(['slides[2].narration: is empty']);
    expect(() => validateDeck(input, { slideCount: 3 })).toThrow('Deck is invalid: slides[2].narration: is empty');
  });

  it('reports a too-long bullet with its length and the limit', () => {
    const input = deck(3);
    input.slides[1]!.bullets = ['ok', 'x'.repeat(DECK_LIMITS.bulletMaxChars + 5)];
    expect(problemsOf(input)).toEqual([
      `slides[1].bullets[1]: is ${DECK_LIMITS.bulletMaxChars + 5} characters, the limit is ${DECK_LIMITS.bulletMaxChars}`,
    ]);
  });

  it('counts characters, not UTF-16 units, against the limits', () => {
    const input = deck(3);
    input.slides[0]!.bullets = ['😀'.repeat(DECK_LIMITS.bulletMaxChars)];
    expect(validateDeck(input, { slideCount: 3 }).slides[0]!.bullets[0]).toHaveLength(DECK_LIMITS.bulletMaxChars * 2);
  });

  it('rejects what is not an object', () => {
    for (const input of [null, 'a deck', [], 42]) {
      const problems = problemsOf(input);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^deck: expected a JSON object with "title" and "slides", got /);
    }
    expect(problemsOf('x')[0]).toContain('got a string');
    expect(problemsOf([])[0]).toContain('got an array');
  });

  it('names each missing or mistyped field', () => {
    const input = {
      slides: [
        { title: 'One', narration: 'Said.', visual: slide(0).visual },
        { title: 7, bullets: 'not a list', narration: 'Said.', visual: slide(1).visual },
        'slide',
      ],
    };
    expect(problemsOf(input)).toEqual([
      'title: is missing',
      'slides[0].bullets: is missing (use [] for a slide without bullets)',
      'slides[1].title: expected a string, got a number',
      'slides[1].bullets: expected an array of strings, got a string',
      'slides[2]: expected an object with "title", "bullets", "narration" and "visual", got a string',
    ]);
    expect(problemsOf({ title: 'T' })).toEqual(['slides: is missing']);
    expect(problemsOf({ title: 'T', slides: {} })).toEqual(['slides: expected an array, got an object']);
  });

  it('enforces the bullet count and title length limits', () => {
    const input = deck(3);
    input.title = 't'.repeat(DECK_LIMITS.titleMaxChars + 1);
    input.slides[0]!.bullets = Array.from({ length: DECK_LIMITS.maxBullets + 1 }, (_, i) => `b${i}`);
    expect(problemsOf(input)).toEqual([
      `title: is ${DECK_LIMITS.titleMaxChars + 1} characters, the limit is ${DECK_LIMITS.titleMaxChars}`,
      `slides[0].bullets: has ${DECK_LIMITS.maxBullets + 1} bullets, the limit is ${DECK_LIMITS.maxBullets}`,
    ]);
  });

  it('lists at most five problems in the message and counts the rest', () => {
    const input = { title: '', slides: Array.from({ length: 3 }, (_, i) => ({ title: '', bullets: [], narration: '', visual: slide(i).visual })) };
    const problems = problemsOf(input);
    expect(problems).toHaveLength(7);
    const message = (() => {
      try {
        validateDeck(input, { slideCount: 3 });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toBe(
      'Deck is invalid: title: is empty; slides[0].title: is empty; slides[0].narration: is empty; ' +
        'slides[1].title: is empty; slides[1].narration: is empty; and 2 more problems',
    );
  });

  it('names each problem of a visual by its path', () => {
    const input = deck(3);
    input.slides[0]!.visual = undefined;
    input.slides[1]!.visual = { keywords: [], prompt: 'p'.repeat(DECK_LIMITS.visualPromptMaxChars + 1) };
    input.slides[2]!.visual = { keywords: ['ok', '  ', 3, 'k'.repeat(DECK_LIMITS.visualKeywordMaxChars + 2)], prompt: 'Fine.' };
    expect(problemsOf(input)).toEqual([
      'slides[0].visual: is missing (an object with "keywords" and "prompt")',
      'slides[1].visual.keywords: has no keywords, at least 1 is required',
      `slides[1].visual.prompt: is ${DECK_LIMITS.visualPromptMaxChars + 1} characters, the limit is ${DECK_LIMITS.visualPromptMaxChars}`,
      'slides[2].visual.keywords[1]: is empty',
      'slides[2].visual.keywords[2]: expected a string, got a number',
      // The rest are counted in the message but all kept on `problems`.
      `slides[2].visual.keywords[3]: is ${DECK_LIMITS.visualKeywordMaxChars + 2} characters, the limit is ${DECK_LIMITS.visualKeywordMaxChars}`,
    ]);
  });

  it('rejects a visual that is not an object, keywords that are not a list, and more than five keywords', () => {
    const input = deck(3);
    input.slides[0]!.visual = 'a bee' as never;
    input.slides[1]!.visual = { keywords: 'bee, flower', prompt: '' };
    input.slides[2]!.visual = { keywords: ['a', 'b', 'c', 'd', 'e', 'f', 'A'], prompt: 'Letters.' };
    expect(problemsOf(input)).toEqual([
      'slides[0].visual: expected an object with "keywords" and "prompt", got a string',
      'slides[1].visual.keywords: expected an array of strings, got a string',
      'slides[1].visual.prompt: is empty',
      'slides[2].visual.keywords: has 6 keywords, the limit is 5',
    ]);
  });

  it('treats a slide count outside the limits as a caller bug, not a model error', () => {
    expect(() => validateDeck(deck(2), { slideCount: 2 })).toThrow(RangeError);
  });
});
