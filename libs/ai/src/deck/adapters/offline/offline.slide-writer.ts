import { DECK_LIMITS, type Deck, type DeckRequest, type SlideContent, slideCountProblem } from '../../deck.types.js';
import { charCount, normaliseDeckText, validateDeck } from '../../deck.validation.js';
import { TextTools, type Unit } from './offline-text.js';
import { VisualWriter } from './offline-visual.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { SlideWriter, type SlideWriterResult } from '../../slide-writer.port.js';

const BULLET_MAX = 80;
const SLIDE_TITLE_MAX = 60;
const SLIDE_TITLE_WORDS = 7;
const BULLETS_PER_SLIDE = 4;
/** A unit this short is a slide's worth already; splitting it further makes one-word slides. */
const MIN_WORDS_TO_SPLIT = 6;

/** Connecting words a title should neither start nor end on (English only: other languages keep all). */
const LEADING_FILLER = new Set(['and', 'or', 'but', 'so', 'also', 'then']);
const TRAILING_FILLER = new Set([
  ...LEADING_FILLER,
  ...['a', 'an', 'the', 'of', 'to', 'in', 'on', 'for', 'with', 'at', 'by', 'from', 'as', 'into', 'about', 'is', 'are', 'was', 'were'],
  ...['be', 'that', 'which', 'who', 'its', 'their', 'this', 'than', 'how', 'what', 'why', 'when', 'where'],
]);
/** "Make a short video about X" is a request, not content: the title is X. */
const INSTRUCTION =
  /^(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:explain|describe|teach(?:\s+me)?|tell\s+me|show\s+me|create|make|generate|produce|write|give\s+me|summari[sz]e)\b(?:\s+(?:a|an|the|me|us))?(?:\s+(?:short|brief|quick|simple|narrated|\d+[- ]slides?))*(?:\s+(?:video|presentation|deck|lesson|overview|introduction|explainer|explanation|summary|talk|slideshow))?(?:\s+(?:about|on|of|explaining|covering|to\s+me|for\s+me))?\s+/i;

const FRAGMENT_LEADS = ['Here is a key point: ', 'Consider this: ', 'Keep this in mind: ', 'Another part of the topic: '];
const REVISIT_LEADS = [
  '',
  "Let's take a closer look. ",
  'Here is why this matters. ',
  'Think of an example of it. ',
  "Let's put it into practice. ",
  'Ask yourself what it means. ',
];
const REVISIT_TITLES = ['', ': a closer look', ': why it matters', ': examples', ': in practice', ': questions'];
const SUMMARY_TITLE: Readonly<Record<string, string>> = {
  en: 'Summary',
  fr: 'Résumé',
  de: 'Zusammenfassung',
  es: 'Resumen',
  pt: 'Resumo',
  it: 'Riepilogo',
  nl: 'Samenvatting',
  pl: 'Podsumowanie',
  ru: 'Итоги',
  ja: 'まとめ',
  zh: '总结',
  ko: '요약',
};

/**
 * A SlideWriter with no model behind it: the deck is cut from the prompt's own sentences,
 * so development, tests and an outage of the paid providers still produce a real video.
 * Deterministic: the same request always gives the same deck (and the same cache key).
 */
export class OfflineSlideWriter extends SlideWriter {
  readonly provider = 'offline';
  readonly model = 'offline-v1';
  readonly templateVersion = '2';

  async write(request: DeckRequest): Promise<SlideWriterResult> {
    request.signal?.throwIfAborted();
    const { slideCount } = request;
    const badCount = slideCountProblem(slideCount);
    if (badCount) throw new ProviderError('offline', 'permanent', badCount);
    const prompt = normaliseDeckText(request.prompt);
    if (prompt === '') throw new ProviderError('offline', 'permanent', 'the prompt is empty');

    const deck = new DeckBuilder(prompt, request.language, slideCount).build(request.title);
    try {
      return { deck: validateDeck(deck, { slideCount }), inputTokens: 0, outputTokens: 0 };
    } catch (error) {
      // Only a bug here can produce an invalid deck; retrying would produce the same one.
      throw new ProviderError('offline', 'permanent', `built an invalid deck: ${(error as Error).message}`, undefined, {
        cause: error,
      });
    }
  }
}

/** A slide's words; its visual is derived from them once the deck is cut. */
type Text = Omit<SlideContent, 'visual'>;

class DeckBuilder {
  private readonly text: TextTools;
  private readonly visuals: VisualWriter;
  private readonly english: boolean;
  private readonly base: string;

  constructor(
    private readonly prompt: string,
    language: string,
    private readonly slideCount: number,
  ) {
    this.text = new TextTools(language);
    this.visuals = new VisualWriter(language);
    this.base = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
    this.english = this.base === 'en';
  }

  build(userTitle: string | undefined): Deck {
    const { topic, units } = this.units();
    const contentCount = this.slideCount - 2;
    const content = this.groups(units, contentCount).map((group, i) => this.contentSlide(group, i, units.length));
    const chosen = normaliseDeckText(userTitle ?? '');
    const title = chosen !== '' ? this.text.cut(chosen, DECK_LIMITS.titleMaxChars) : this.headline(topic);
    const slides = [this.titleSlide(title, contentCount), ...content, this.summarySlide(title, content)];
    return { title, slides: slides.map((s) => ({ ...s, visual: this.visuals.visual(s, title) })) };
  }

  /**
   * The prompt's sentences, split further (longest first) until there is one per content
   * slide, and the topic the deck title is made from. An opening request ("Explain how X
   * works.") names the topic but is no content when other sentences follow.
   */
  private units(): { topic: string; units: Unit[] } {
    let units = this.text.sentenceUnits(this.prompt);
    let topic = units[0]!.text;
    const request = this.english ? topic.match(INSTRUCTION) : null;
    const rest = request ? topic.slice(request[0].length).trim() : '';
    if (rest !== '') {
      topic = rest;
      units = units.length > 1 ? units.slice(1) : [{ text: rest, full: false }];
    }
    const wanted = this.slideCount - 2;
    while (units.length < wanted) {
      let longest = -1;
      units.forEach((u, i) => {
        if (this.text.wordCount(u.text) >= MIN_WORDS_TO_SPLIT && (longest < 0 || u.text.length > units[longest]!.text.length)) {
          longest = i;
        }
      });
      const halves = longest < 0 ? undefined : this.text.halve(units[longest]!);
      if (!halves) break;
      units = [...units.slice(0, longest), ...halves, ...units.slice(longest + 1)];
    }
    return { topic, units };
  }

  /** `count` runs of consecutive units; with too few units, units are revisited in order. */
  private groups(units: Unit[], count: number): Unit[][] {
    if (units.length < count) return Array.from({ length: count }, (_, i) => [units[i % units.length]!]);
    return Array.from({ length: count }, (_, i) => units.slice(Math.floor((i * units.length) / count), Math.floor(((i + 1) * units.length) / count)));
  }

  private titleSlide(title: string, parts: number): Text {
    const narration = this.english
      ? `Welcome. Today's topic is: ${this.text.sentence(title)} We will go through it in ${parts} part${parts === 1 ? '' : 's'}.`
      : this.text.sentence(title);
    return { title, bullets: [], narration };
  }

  private contentSlide(group: Unit[], index: number, unitCount: number): Text {
    const revisit = unitCount < this.slideCount - 2 ? Math.floor(index / unitCount) : 0;
    const headline = this.headline(group[0]!.text);
    const suffix = revisit === 0 ? '' : this.english ? REVISIT_TITLES[revisit % REVISIT_TITLES.length]! : ` (${revisit + 1})`;
    const title = this.text.cut(headline + suffix, DECK_LIMITS.titleMaxChars);

    const bullets: string[] = [];
    const seen = new Set([key(title)]);
    for (const clause of group.flatMap((u) => this.text.clauses(u.text))) {
      const bullet = capitalise(this.text.cut(clause, BULLET_MAX));
      if (bullets.length < BULLETS_PER_SLIDE && !seen.has(key(bullet))) bullets.push(bullet);
      seen.add(key(bullet));
    }

    const spoken = group.map((u, i) => this.spoken(u, index + i));
    const lead = this.english && revisit > 0 ? REVISIT_LEADS[revisit % REVISIT_LEADS.length]! : '';
    return { title, bullets, narration: this.fit(lead, spoken) };
  }

  private summarySlide(deckTitle: string, content: Text[]): Text {
    const points = [...new Set(content.map((s) => this.headlineOf(s.title)))].slice(0, 5).map((p) => this.text.cut(p, BULLET_MAX));
    const title = SUMMARY_TITLE[this.base] ?? this.text.cut(deckTitle, DECK_LIMITS.titleMaxChars);
    const spoken = points.map((p) => this.text.sentence(p));
    const narration = this.english ? this.fit("Let's recap the main points. ", [...spoken, 'Thanks for watching.']) : this.fit('', spoken);
    return { title, bullets: points, narration };
  }

  /** A sentence is read as written; a fragment gets a short lead so it is heard as a sentence. */
  private spoken(unit: Unit, index: number): string {
    if (unit.full) return unit.text;
    if (!this.english) return this.text.sentence(unit.text);
    return `${FRAGMENT_LEADS[index % FRAGMENT_LEADS.length]}${this.text.sentence(unit.text)}`;
  }

  /** Whole sentences up to the narration limit; a first sentence that alone is too long is cut. */
  private fit(lead: string, sentences: string[]): string {
    const max = DECK_LIMITS.narrationMaxChars;
    let out = lead.trim();
    for (const s of sentences) {
      const next = out === '' ? s : `${out}${/[。！？]$/u.test(out) ? '' : ' '}${s}`;
      if (charCount(next) > max) {
        if (out === '' || out === lead.trim()) out = this.text.sentence(this.text.cut(next, max - 1).replace(/…$/, ''));
        break;
      }
      out = next;
    }
    return out;
  }

  /** A slide title from the start of a passage: its first clause, a few words, no filler at the edges. */
  private headline(text: string): string {
    const clause = this.text.clauses(text)[0] ?? text;
    let words = this.text.firstWords(clause, SLIDE_TITLE_WORDS, SLIDE_TITLE_MAX).split(' ');
    if (this.english) {
      while (words.length > 1 && LEADING_FILLER.has(words[0]!.toLowerCase())) words = words.slice(1);
      while (words.length > 1 && TRAILING_FILLER.has(words.at(-1)!.toLowerCase())) words = words.slice(0, -1);
    }
    return capitalise(words.join(' '));
  }

  private headlineOf(slideTitle: string): string {
    const suffix = REVISIT_TITLES.find((s) => s !== '' && slideTitle.endsWith(s));
    return (suffix ? slideTitle.slice(0, -suffix.length) : slideTitle).replace(/ \(\d+\)$/, '');
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** Two texts that differ only in case or final punctuation say the same thing on a slide. */
function key(text: string): string {
  return text.toLocaleLowerCase().replace(/[\s\p{P}]+$/u, '');
}
