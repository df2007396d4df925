import type { SpeechMark } from '@app/common';
import { escapeSsml, GOOGLE_TTS_MAX_INPUT_BYTES, splitForSsml } from './ssml.js';
import { writtenWords } from './written-words.js';

/** The mark after a piece's last word: its timepoint is where that word ends. */
export const END_MARK = 'end';

/** One request's worth of narration, with a `<mark>` before each written word. */
export interface MarkedPiece {
  ssml: string;
  /** The written words, in mark order: word i follows `<mark name="w{i}"/>`. */
  words: string[];
}

/** `<speak>` SSML with `<mark name="w{i}"/>` before word i and `<mark name="end"/>` after the last. */
export function toMarkedSsml(text: string): MarkedPiece {
  const { words } = writtenWords(text);
  const body = words.map((w, i) => `<mark name="w${i}"/>${escapeSsml(w)}`).join(' ');
  return { ssml: `<speak>${body}<mark name="${END_MARK}"/></speak>`, words };
}

/**
 * Narration cut into marked pieces that each fit Google's input limit. Marks cost bytes the
 * plain split does not count, so a piece that outgrows the limit is split again, finer.
 */
export function markedPieces(text: string, maxBytes = GOOGLE_TTS_MAX_INPUT_BYTES, budget = maxBytes, locale?: string): MarkedPiece[] {
  const out: MarkedPiece[] = [];
  for (const piece of splitForSsml(text, budget, locale)) {
    const marked = toMarkedSsml(piece);
    if (Buffer.byteLength(marked.ssml, 'utf8') <= maxBytes || budget <= 64) out.push(marked);
    else out.push(...markedPieces(piece, maxBytes, Math.floor(budget / 2), locale));
  }
  return out;
}

export interface Timepoint {
  markName?: string | null;
  timeSeconds?: number | null;
}

/**
 * Word marks from one piece's timepoints: word i runs from its mark to the next word's mark
 * (the end mark for the last), shifted by where the piece starts in the joined audio.
 * A mark Google did not report (it drops marks in text it does not speak) takes the
 * previous time, so marks stay in order.
 */
export function marksFromTimepoints(piece: MarkedPiece, timepoints: readonly Timepoint[], offsetSeconds: number, pieceSeconds: number): SpeechMark[] {
  const at = new Map<string, number>();
  for (const t of timepoints) if (t.markName && typeof t.timeSeconds === 'number') at.set(t.markName, t.timeSeconds);
  const clamp = (s: number): number => Math.min(pieceSeconds, Math.max(0, s));
  let previous = 0;
  const starts = piece.words.map((_, i) => (previous = clamp(Math.max(previous, at.get(`w${i}`) ?? previous))));
  const end = clamp(Math.max(previous, at.get(END_MARK) ?? pieceSeconds));
  const round = (s: number): number => Math.round((offsetSeconds + s) * 1000) / 1000;
  return piece.words.map((text, i) => ({ text, startSeconds: round(starts[i]!), endSeconds: round(starts[i + 1] ?? end) }));
}
