/**
 * SSML for Google Text-to-Speech: escaping narration and splitting it into
 * requests that fit the API's input limit.
 */

/** Google's limit on `input.ssml` per SynthesizeSpeech request, in UTF-8 bytes. */
export const GOOGLE_TTS_MAX_INPUT_BYTES = 5000;

const SPEAK_OPEN = '<speak>';
const SPEAK_CLOSE = '</speak>';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes the five XML special characters so narration is read, not parsed. */
export function escapeSsml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Escapes plain text and wraps it in `<speak>`. */
export function toSsml(text: string): string {
  return `${SPEAK_OPEN}${escapeSsml(text)}${SPEAK_CLOSE}`;
}

/** What a piece of text costs once escaped and wrapped: what the API measures. */
export function ssmlByteLength(text: string): number {
  return Buffer.byteLength(toSsml(text), 'utf8');
}

type Granularity = 'sentence' | 'word' | 'grapheme';
const FINER: Record<Granularity, Granularity | undefined> = {
  sentence: 'word',
  word: 'grapheme',
  grapheme: undefined,
};

function segmenter(granularity: Granularity, locale?: string): Intl.Segmenter {
  try {
    return new Intl.Segmenter(locale, { granularity });
  } catch {
    return new Intl.Segmenter(undefined, { granularity }); // a malformed language tag
  }
}

function segments(text: string, granularity: Granularity, locale?: string): string[] {
  // Intl.Segmenter knows sentence ends beyond ". " (e.g. "。", "?!", quotes)
  // and never cuts inside a grapheme cluster, so emoji and combining marks survive.
  return Array.from(segmenter(granularity, locale).segment(text), (s) => s.segment);
}

/**
 * Splits plain narration into pieces whose `toSsml()` form is at most `maxBytes`
 * UTF-8 bytes each. Cuts fall between sentences; a sentence too long on its own
 * is cut between words, and a word too long on its own between characters.
 * The text is split before escaping, so an entity like `&amp;` is never cut,
 * while the measure is taken after escaping, so `&` counts as its 5 bytes.
 * Pieces are trimmed; blank pieces are dropped.
 */
export function splitForSsml(text: string, maxBytes: number = GOOGLE_TTS_MAX_INPUT_BYTES, locale?: string): string[] {
  const overhead = Buffer.byteLength(SPEAK_OPEN + SPEAK_CLOSE, 'utf8');
  // The longest escape is 6 bytes and the longest UTF-8 character 4, so below
  // this one grapheme could not fit and splitting could not make progress.
  if (maxBytes < overhead + 6) throw new RangeError(`maxBytes must be at least ${overhead + 6}`);
  const budget = maxBytes - overhead;
  const cost = (s: string) => Buffer.byteLength(escapeSsml(s), 'utf8');

  const pieces: string[] = [];
  let current = '';
  let currentCost = 0;
  const flush = () => {
    const t = current.trim();
    if (t) pieces.push(t);
    current = '';
    currentCost = 0;
  };
  const add = (segment: string, granularity: Granularity) => {
    const c = cost(segment);
    // Trailing whitespace is trimmed off a piece's end, so it only costs once more text follows.
    if (currentCost + cost(segment.trimEnd()) <= budget) {
      current += segment;
      currentCost += c;
      return;
    }
    // Whitespace at a cut is dropped by trim(); don't start a piece with it.
    if (!segment.trim()) {
      flush();
      return;
    }
    flush();
    if (cost(segment.trimEnd()) <= budget) {
      current = segment;
      currentCost = c;
      return;
    }
    const finer = FINER[granularity];
    if (!finer) {
      // A single grapheme cluster larger than the budget (pathological
      // combining-mark run): send it alone; the API will reject it as bad input.
      pieces.push(segment);
      return;
    }
    for (const s of segments(segment, finer, locale)) add(s, finer);
  };
  for (const s of segments(text, 'sentence', locale)) add(s, 'sentence');
  flush();
  return pieces;
}
