import type { SlideVisual } from '@app/common';
import { DECK_LIMITS } from '../../deck.types.js';
import { charCount } from '../../deck.validation.js';

/**
 * A slide's `visual` without a model: the slide's own most salient words, in the deck's
 * language, and a sentence naming them. Words in the title count most, then the bullets,
 * then the narration; a longer word is usually the more specific one ("chlorophyll" over
 * "leaf"), so length breaks ties. Stop words go, for the languages listed below; other
 * languages keep every word, which still gives words from the slide, just less well ranked.
 */

const STOP_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: [
    ...['a', 'an', 'the', 'and', 'or', 'but', 'so', 'if', 'then', 'than', 'that', 'this', 'these', 'those', 'there', 'here'],
    ...['of', 'to', 'in', 'on', 'for', 'with', 'at', 'by', 'from', 'as', 'into', 'about', 'over', 'under', 'between', 'through'],
    ...['is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'done', 'have', 'has', 'had', 'can', 'could'],
    ...['will', 'would', 'should', 'may', 'might', 'must', 'shall', 'not', 'no', 'yes', 'it', 'its', 'they', 'them', 'their'],
    ...['we', 'our', 'us', 'you', 'your', 'he', 'she', 'his', 'her', 'i', 'me', 'my', 'who', 'whom', 'which', 'what', 'when'],
    ...['where', 'why', 'how', 'all', 'any', 'each', 'every', 'some', 'many', 'much', 'more', 'most', 'other', 'such', 'only'],
    ...['also', 'just', 'very', 'really', 'even', 'still', 'both', 'either', 'while', 'because', 'after', 'before', 'during'],
    ...['up', 'down', 'out', 'off', 'again', 'once', 'one', 'two', 'three', 'first', 'second', 'last', 'next', 'new', 'way'],
    ...['make', 'makes', 'made', 'get', 'gets', 'use', 'uses', 'used', 'like', 'well', 'thing', 'things', 'lot', 'let', "let's"],
    ...['called', 'call', 'into', 'onto', 'per', 'via', 'almost', 'tiny', 'small', 'big', 'large', 'turn', 'turns', 'work', 'works'],
    // The offline writer's own framing: true of every deck, so it says nothing about this slide.
    ...['welcome', 'today', "today's", 'topic', 'part', 'parts', 'recap', 'main', 'points', 'point', 'thanks', 'watching', 'key'],
    ...['consider', 'keep', 'mind', 'another', 'closer', 'look', 'matters', 'example', 'examples', 'practice', 'questions'],
    ...['ask', 'yourself', 'means', 'think', 'summary', 'go', 'will', 'explain', 'video', 'short', 'brief', 'overview'],
  ],
  fr: [
    'le',
    'la',
    'les',
    'un',
    'une',
    'des',
    'du',
    'de',
    'et',
    'ou',
    'est',
    'sont',
    'en',
    'dans',
    'pour',
    'par',
    'sur',
    'avec',
    'qui',
    'que',
    'au',
    'aux',
    'ce',
    'cette',
    'il',
    'elle',
    'ils',
    'se',
    'son',
    'sa',
    'ses',
    'plus',
    'pas',
    'ne',
  ],
  de: [
    'der',
    'die',
    'das',
    'ein',
    'eine',
    'einen',
    'und',
    'oder',
    'ist',
    'sind',
    'in',
    'im',
    'mit',
    'für',
    'auf',
    'von',
    'zu',
    'den',
    'dem',
    'des',
    'es',
    'sie',
    'er',
    'wie',
    'was',
    'auch',
    'nicht',
    'sich',
    'aus',
    'bei',
  ],
  es: [
    'el',
    'la',
    'los',
    'las',
    'un',
    'una',
    'unos',
    'y',
    'o',
    'es',
    'son',
    'en',
    'de',
    'del',
    'para',
    'por',
    'con',
    'que',
    'se',
    'su',
    'sus',
    'al',
    'lo',
    'como',
    'más',
    'no',
  ],
  pt: [
    'o',
    'a',
    'os',
    'as',
    'um',
    'uma',
    'e',
    'ou',
    'é',
    'são',
    'em',
    'no',
    'na',
    'de',
    'do',
    'da',
    'dos',
    'das',
    'para',
    'por',
    'com',
    'que',
    'se',
    'seu',
    'sua',
    'como',
    'mais',
    'não',
  ],
  it: [
    'il',
    'lo',
    'la',
    'i',
    'gli',
    'le',
    'un',
    'una',
    'e',
    'o',
    'è',
    'sono',
    'in',
    'di',
    'del',
    'della',
    'per',
    'con',
    'che',
    'si',
    'suo',
    'sua',
    'come',
    'più',
    'non',
  ],
  nl: ['de', 'het', 'een', 'en', 'of', 'is', 'zijn', 'in', 'op', 'van', 'voor', 'met', 'die', 'dat', 'te', 'aan', 'er', 'ook', 'niet', 'als', 'hoe'],
};

const WEIGHT = { title: 3, bullets: 2, narration: 1 } as const;

export interface VisualSource {
  title: string;
  bullets: string[];
  narration: string;
}

export class VisualWriter {
  private readonly words: Intl.Segmenter;
  private readonly stop: ReadonlySet<string>;

  constructor(language: string) {
    let locale = 'und';
    try {
      locale = Intl.getCanonicalLocales(language)[0] ?? 'und';
    } catch {
      // Not a well-formed tag: word segmentation is nearly locale-free.
    }
    this.words = new Intl.Segmenter(locale, { granularity: 'word' });
    const base = locale.toLowerCase().split('-')[0] ?? '';
    // English stop words go in every language: decks in any language quote English terms.
    this.stop = new Set([...STOP_WORDS.en!, ...(STOP_WORDS[base] ?? [])]);
  }

  visual(slide: VisualSource, fallbackTitle: string): SlideVisual {
    const keywords = this.keywords(slide);
    if (keywords.length === 0) keywords.push(this.firstWord(slide.title) ?? this.firstWord(fallbackTitle) ?? clip(slide.title));
    const subject = keywords.slice(0, 3).join(', ');
    const prompt = clip(
      `A simple, clear picture of ${subject}, for a slide titled "${slide.title}". No text or lettering.`,
      DECK_LIMITS.visualPromptMaxChars,
    );
    return { keywords, prompt };
  }

  /** Up to five content words, highest score first; ties keep the order the slide says them in. */
  private keywords(slide: VisualSource): string[] {
    const scores = new Map<string, { word: string; score: number; order: number }>();
    const add = (text: string, weight: number) => {
      for (const word of this.contentWords(text)) {
        const key = word.toLocaleLowerCase();
        const entry = scores.get(key) ?? { word: key, score: 0, order: scores.size };
        entry.score += weight;
        scores.set(key, entry);
      }
    };
    add(slide.title, WEIGHT.title);
    for (const b of slide.bullets) add(b, WEIGHT.bullets);
    add(slide.narration, WEIGHT.narration);
    return [...scores.values()]
      .sort((a, b) => b.score + specificity(b.word) - (a.score + specificity(a.word)) || a.order - b.order)
      .slice(0, DECK_LIMITS.maxVisualKeywords)
      .map((e) => e.word);
  }

  private *contentWords(text: string): Generator<string> {
    for (const s of this.words.segment(text)) {
      if (!s.isWordLike) continue;
      const word = s.segment.replace(/^['’]+|['’]+$/gu, '');
      const lower = word.toLocaleLowerCase();
      if (this.stop.has(lower) || /^\p{N}+$/u.test(word)) continue;
      // Latin, Cyrillic and Greek words of one or two letters are particles; a single Han character is a word.
      if (/^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]+$/u.test(word) && charCount(word) < 3) continue;
      if (charCount(word) > DECK_LIMITS.visualKeywordMaxChars) continue;
      yield word;
    }
  }

  private firstWord(text: string): string | undefined {
    for (const s of this.words.segment(text)) {
      if (s.isWordLike && charCount(s.segment) <= DECK_LIMITS.visualKeywordMaxChars) return s.segment.toLocaleLowerCase();
    }
    return undefined;
  }
}

/** Up to one point for length: "photosynthesis" outranks "plant" when both appear equally often. */
function specificity(word: string): number {
  return Math.min(charCount(word), 12) / 12;
}

function clip(text: string, max: number = DECK_LIMITS.visualKeywordMaxChars): string {
  return [...text].slice(0, max).join('').trim();
}
