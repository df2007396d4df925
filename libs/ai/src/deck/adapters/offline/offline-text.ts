import { charCount } from '../../deck.validation.js';

/**
 * Language-neutral text cutting for the offline writer, on Intl.Segmenter so that Chinese,
 * Japanese and Thai (no spaces between words) are cut at words, not mid-word.
 */

/** A piece of the prompt; `full` when it is a whole sentence that can be read out as is. */
export interface Unit {
  text: string;
  full: boolean;
}

const TERMINAL = /[.!?。！？…؟।]["'”’»)\]]*$/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CLAUSE_BREAK = /(?<=[,;:，；：、])\s*|\s+[-–—]\s+/u;

export class TextTools {
  private readonly sentences: Intl.Segmenter;
  private readonly words: Intl.Segmenter;

  constructor(language: string) {
    let locale = 'und';
    try {
      locale = Intl.getCanonicalLocales(language)[0] ?? 'und';
    } catch {
      // Not a well-formed tag: segmentation rules are nearly locale-free, so carry on.
    }
    this.sentences = new Intl.Segmenter(locale, { granularity: 'sentence' });
    this.words = new Intl.Segmenter(locale, { granularity: 'word' });
  }

  sentenceUnits(text: string): Unit[] {
    return [...this.sentences.segment(text)]
      .map((s) => s.segment.trim())
      .filter((s) => s !== '')
      .map((s) => ({ text: s, full: TERMINAL.test(s) && this.wordCount(s) >= 3 }));
  }

  /** Clauses of a sentence; clauses of one or two words join the next so none is a stub. */
  clauses(text: string): string[] {
    const parts = text.split(CLAUSE_BREAK).map((p) => stripEdgePunctuation(p ?? ''));
    const out: string[] = [];
    let pending = '';
    for (const part of parts) {
      if (part === '') continue;
      pending = pending === '' ? part : `${pending}, ${part}`;
      if (this.wordCount(pending) >= 3) {
        out.push(pending);
        pending = '';
      }
    }
    if (pending !== '') {
      if (out.length > 0) out[out.length - 1] = `${out[out.length - 1]}, ${pending}`;
      else out.push(pending);
    }
    return out;
  }

  wordCount(text: string): number {
    let n = 0;
    for (const s of this.words.segment(text)) if (s.isWordLike) n++;
    return n;
  }

  /** The first `max` words, at most `maxChars` characters. */
  firstWords(text: string, max: number, maxChars: number): string {
    let out = '';
    let n = 0;
    for (const s of this.words.segment(text)) {
      if (s.isWordLike && ++n > max) break;
      if (charCount(out + s.segment) > maxChars) break;
      out += s.segment;
    }
    return stripEdgePunctuation(out) || hardCut(text, maxChars);
  }

  /** `text` if it fits, else cut at the last word boundary that leaves room for "…". */
  cut(text: string, maxChars: number): string {
    if (charCount(text) <= maxChars) return text;
    let out = '';
    for (const s of this.words.segment(text)) {
      if (charCount(out + s.segment) > maxChars - 1) break;
      out += s.segment;
    }
    const kept = stripEdgePunctuation(out) || hardCut(text, maxChars - 1);
    return `${kept}…`;
  }

  /**
   * Splits a unit in two: between clauses when it has several (nearest the middle), else
   * at the word boundary nearest its middle, preferring a space.
   */
  halve(unit: Unit): [Unit, Unit] | undefined {
    const clauses = this.clauses(unit.text);
    if (clauses.length > 1) {
      const total = clauses.reduce((n, c) => n + c.length, 0);
      let at = 1;
      let before = clauses[0]!.length;
      for (let i = 1, acc = before; i < clauses.length; acc += clauses[i]!.length, i++) {
        if (Math.abs(acc - total / 2) < Math.abs(before - total / 2)) [at, before] = [i, acc];
      }
      return [
        { text: clauses.slice(0, at).join(', '), full: false },
        { text: clauses.slice(at).join(', '), full: false },
      ];
    }
    const segments = [...this.words.segment(unit.text)];
    const middle = unit.text.length / 2;
    let best: number | undefined;
    let bestIsSpace = false;
    for (const s of segments) {
      if (s.index === 0) continue;
      const isSpace = /^\s+$/u.test(s.segment);
      const closer = best === undefined || Math.abs(s.index - middle) < Math.abs(best - middle);
      if ((isSpace && (!bestIsSpace || closer)) || (!isSpace && !bestIsSpace && closer)) {
        best = s.index;
        bestIsSpace = isSpace;
      }
    }
    if (best === undefined) return undefined;
    const first = unit.text.slice(0, best).trim();
    const second = unit.text.slice(best).trim();
    if (first === '' || second === '') return undefined;
    return [
      { text: first, full: false },
      { text: second, full: false },
    ];
  }

  /** Makes a spoken sentence of a fragment: capitalised, ending with the script's full stop. */
  sentence(text: string): string {
    const t = text.trim();
    const capital = t.charAt(0).toLocaleUpperCase() + t.slice(1);
    if (TERMINAL.test(capital)) return capital;
    const body = stripEdgePunctuation(capital);
    return body === '' ? '' : `${body}${fullStop(body)}`;
  }
}

export function fullStop(text: string): string {
  return CJK.test(text.slice(-1)) ? '。' : '.';
}

/** Drops list markers and separators at the start, clause punctuation at the end. */
export function stripEdgePunctuation(text: string): string {
  return text
    .replace(/^[\s\-–—•*·,;:.、，；：]+/u, '')
    .replace(/[\s\-–—,;:.!?、，；：。！？…]+$/u, '')
    .trim();
}

function hardCut(text: string, maxChars: number): string {
  return [...text].slice(0, maxChars).join('').trim();
}
