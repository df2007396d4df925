import type { SlideVisual } from '@app/common';
import { DECK_LIMITS, type Deck, type SlideContent, slideCountProblem } from './deck.types.js';

/** How many problems the message lists; the rest are counted (the full list is on `problems`). */
const MAX_LISTED = 5;

/**
 * A deck that does not meet the contract. The message is fed back to the model in a
 * repair attempt, so each problem names its exact path (`slides[2].narration: is empty`).
 */
export class DeckValidationError extends Error {
  override readonly name = 'DeckValidationError';

  constructor(readonly problems: readonly string[]) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length - MAX_LISTED;
    super(`Deck is invalid: ${listed}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}`);
  }
}

/**
 * Checks untrusted writer output (an LLM reply, parsed from JSON) and returns a clean
 * Deck: whitespace collapsed, unknown keys dropped, every DECK_LIMITS bound met and
 * exactly `expected.slideCount` slides. Throws DeckValidationError listing every problem.
 */
export function validateDeck(input: unknown, expected: { slideCount: number }): Deck {
  const { slideCount } = expected;
  const badCount = slideCountProblem(slideCount);
  // A caller bug, not something a model can repair: keep it out of DeckValidationError.
  if (badCount) throw new RangeError(`expected: ${badCount}`);

  const problems: string[] = [];
  if (!isRecord(input)) {
    throw new DeckValidationError([`deck: expected a JSON object with "title" and "slides", got ${describe(input)}`]);
  }

  const title = text(input, 'title', 'title', DECK_LIMITS.titleMaxChars, problems);

  const slides: SlideContent[] = [];
  if (!('slides' in input) || input.slides === undefined) {
    problems.push('slides: is missing');
  } else if (!Array.isArray(input.slides)) {
    problems.push(`slides: expected an array, got ${describe(input.slides)}`);
  } else {
    if (input.slides.length !== slideCount) {
      problems.push(`slides: expected exactly ${slideCount} slides, got ${input.slides.length}`);
    }
    input.slides.forEach((raw, i) => {
      const slide = validateSlide(raw, `slides[${i}]`, problems);
      if (slide) slides.push(slide);
    });
  }

  if (problems.length > 0) throw new DeckValidationError(problems);
  return { title: title!, slides };
}

function validateSlide(raw: unknown, path: string, problems: string[]): SlideContent | undefined {
  if (!isRecord(raw)) {
    problems.push(`${path}: expected an object with "title", "bullets", "narration" and "visual", got ${describe(raw)}`);
    return undefined;
  }
  const before = problems.length;
  const title = text(raw, 'title', `${path}.title`, DECK_LIMITS.titleMaxChars, problems);
  const bullets = validateBullets(raw, `${path}.bullets`, problems);
  const narration = text(raw, 'narration', `${path}.narration`, DECK_LIMITS.narrationMaxChars, problems);
  const visual = validateVisual(raw.visual, `${path}.visual`, problems);
  if (problems.length > before) return undefined;
  return { title: title!, bullets: bullets!, narration: narration!, visual: visual! };
}

/** `{keywords: string[1..5], prompt}`: search words (trimmed, deduplicated ignoring case) and one describing sentence. */
function validateVisual(value: unknown, path: string, problems: string[]): SlideVisual | undefined {
  if (value === undefined) {
    problems.push(`${path}: is missing (an object with "keywords" and "prompt")`);
    return undefined;
  }
  if (!isRecord(value)) {
    problems.push(`${path}: expected an object with "keywords" and "prompt", got ${describe(value)}`);
    return undefined;
  }
  const before = problems.length;
  const keywords = validateKeywords(value.keywords, `${path}.keywords`, problems);
  const prompt = text(value, 'prompt', `${path}.prompt`, DECK_LIMITS.visualPromptMaxChars, problems);
  return problems.length > before ? undefined : { keywords: keywords!, prompt: prompt! };
}

function validateKeywords(value: unknown, path: string, problems: string[]): string[] | undefined {
  const { minVisualKeywords: min, maxVisualKeywords: max, visualKeywordMaxChars: maxChars } = DECK_LIMITS;
  if (value === undefined) {
    problems.push(`${path}: is missing (${min} to ${max} search words)`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(`${path}: expected an array of strings, got ${describe(value)}`);
    return undefined;
  }
  const before = problems.length;
  const keywords: string[] = [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    if (typeof item !== 'string') {
      problems.push(`${path}[${i}]: expected a string, got ${describe(item)}`);
      return;
    }
    const keyword = normaliseDeckText(item);
    if (keyword === '') {
      problems.push(`${path}[${i}]: is empty`);
      return;
    }
    const length = charCount(keyword);
    if (length > maxChars) {
      problems.push(`${path}[${i}]: is ${length} characters, the limit is ${maxChars}`);
      return;
    }
    // "Bee" and "bee" find the same pictures; a repeat only wastes one of the five places.
    const folded = keyword.toLocaleLowerCase();
    if (!seen.has(folded)) keywords.push(keyword);
    seen.add(folded);
  });
  if (problems.length > before) return undefined;
  if (keywords.length < min) problems.push(`${path}: has no keywords, at least ${min} is required`);
  else if (keywords.length > max) problems.push(`${path}: has ${keywords.length} keywords, the limit is ${max}`);
  return problems.length > before ? undefined : keywords;
}

function validateBullets(raw: Record<string, unknown>, path: string, problems: string[]): string[] | undefined {
  const value = raw.bullets;
  if (value === undefined) {
    problems.push(`${path}: is missing (use [] for a slide without bullets)`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(`${path}: expected an array of strings, got ${describe(value)}`);
    return undefined;
  }
  const before = problems.length;
  const bullets: string[] = [];
  value.forEach((item, i) => {
    if (typeof item !== 'string') {
      problems.push(`${path}[${i}]: expected a string, got ${describe(item)}`);
      return;
    }
    // Markdown list markers are formatting the model was not asked for; empty bullets are noise.
    const bullet = normaliseDeckText(item).replace(/^[-*•▪◦‣]\s+/u, '');
    if (bullet === '') return;
    const length = charCount(bullet);
    if (length > DECK_LIMITS.bulletMaxChars) {
      problems.push(`${path}[${i}]: is ${length} characters, the limit is ${DECK_LIMITS.bulletMaxChars}`);
      return;
    }
    bullets.push(bullet);
  });
  if (bullets.length > DECK_LIMITS.maxBullets) {
    problems.push(`${path}: has ${bullets.length} bullets, the limit is ${DECK_LIMITS.maxBullets}`);
  } else if (bullets.length < DECK_LIMITS.minBullets) {
    problems.push(`${path}: has ${bullets.length} bullets, at least ${DECK_LIMITS.minBullets} are required`);
  }
  return problems.length > before ? undefined : bullets;
}

/** A required, non-empty string field, normalised and bounded. */
function text(raw: Record<string, unknown>, key: string, path: string, maxChars: number, problems: string[]): string | undefined {
  const value = raw[key];
  if (value === undefined) {
    problems.push(`${path}: is missing`);
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push(`${path}: expected a string, got ${describe(value)}`);
    return undefined;
  }
  const clean = normaliseDeckText(value);
  if (clean === '') {
    problems.push(`${path}: is empty`);
    return undefined;
  }
  const length = charCount(clean);
  if (length > maxChars) {
    problems.push(`${path}: is ${length} characters, the limit is ${maxChars}`);
    return undefined;
  }
  return clean;
}

/**
 * Any run of whitespace becomes one space; control characters (other than whitespace) and
 * invisible zero-width spaces, which a renderer or TTS would choke on or silently keep, go.
 * ZWJ/ZWNJ stay: emoji sequences and several scripts need them.
 */
export function normaliseDeckText(value: string): string {
  return (
    value
      .normalize('NFC')
      // Control characters are exactly what this strips, so the rule against them in a regex does not apply.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b\ufeff]/gu, '')
      .replace(/\s+/gu, ' ')
      .trim()
  );
}

/** Limits count characters as people (and Postgres varchar) do: code points, not UTF-16 units. */
export function charCount(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  return `a ${typeof value}`;
}
