import type { SpeechMark, SpeechTiming } from '@app/common';
import type { WrittenWords } from '../../written-words.js';

/** When each chunk of one utterance is spoken, in seconds from the start of its WAV. */
export interface UtteranceTimes {
  /** Top-level tokens Festival made of the utterance (must equal the chunks sent). */
  tokens: number;
  /** Per token index: [start, end] of its spoken words; absent when nothing was spoken. */
  spans: Map<number, [number, number]>;
}

/** Reads the `W g token start end` / `E g tokens` lines festival-script.ts prints. */
export function parseFestivalTimes(stdout: string, utterances: number): UtteranceTimes[] {
  const times: (UtteranceTimes | undefined)[] = Array.from({ length: utterances }, () => undefined);
  const spans = Array.from({ length: utterances }, () => new Map<number, [number, number]>());
  for (const line of stdout.split('\n')) {
    const parts = line.trim().split(' ');
    if (parts[0] === 'W' && parts.length === 5) {
      const [g, token, start, end] = parts.slice(1).map(Number) as [number, number, number, number];
      // A word with no syllables ("'s" folded into "Smith's") reports 0 for both.
      if (!spans[g] || !(end > 0) || !(start >= 0)) continue;
      const span = spans[g].get(token);
      spans[g].set(token, span ? [Math.min(span[0], start), Math.max(span[1], end)] : [start, end]);
    } else if (parts[0] === 'E' && parts.length === 3) {
      const g = Number(parts[1]);
      if (g >= 0 && g < utterances) times[g] = { tokens: Number(parts[2]), spans: spans[g]! };
    }
  }
  const missing = times.findIndex((t) => t === undefined);
  if (missing >= 0) throw new Error(`Festival reported no timings for utterance ${missing + 1} of ${utterances}`);
  return times as UtteranceTimes[];
}

/**
 * One mark per written word, from the utterances' token spans placed at each utterance's
 * offset in the joined audio. Chunks map to tokens one to one (festivalChunk keeps every chunk
 * a single token); a word Festival expanded ("1999" → three words) is its tokens' whole span.
 * Should Festival ever tokenise an utterance differently, that utterance is timed as one
 * phrase rather than guessed at, and the whole timing says 'phrase'.
 */
export function festivalTiming(
  text: WrittenWords,
  groups: readonly number[][],
  times: readonly UtteranceTimes[],
  offsets: readonly number[],
  durations: readonly number[],
): SpeechTiming {
  const wordSpans = new Map<number, [number, number]>();
  const phrases: SpeechMark[] = [];
  let aligned = true;
  groups.forEach((chunks, g) => {
    const t = times[g]!;
    const offset = offsets[g]!;
    const spoken = [...t.spans.values()];
    phrases.push({
      text: chunks.map((c) => text.chunks[c]).join(' '),
      startSeconds: offset + Math.min(...spoken.map((s) => s[0]), 0 + durations[g]!),
      endSeconds: offset + Math.max(...spoken.map((s) => s[1]), 0),
    });
    if (t.tokens !== chunks.length) aligned = false;
    chunks.forEach((chunk, token) => {
      const span = t.spans.get(token);
      if (!span) return;
      const word = text.wordOfChunk[chunk]!;
      const known = wordSpans.get(word);
      const placed: [number, number] = [offset + span[0], offset + span[1]];
      wordSpans.set(word, known ? [Math.min(known[0], placed[0]), Math.max(known[1], placed[1])] : placed);
    });
  });
  if (!aligned) return { granularity: 'phrase', marks: monotonic(phrases) };

  let previousEnd = 0;
  const marks = text.words.map((word, i) => {
    // A word with nothing to say (a symbol Festival cannot read) sits at the previous word's end.
    const [start, end] = wordSpans.get(i) ?? [previousEnd, previousEnd];
    previousEnd = end;
    return { text: word, startSeconds: start, endSeconds: end };
  });
  return { granularity: 'word', marks: monotonic(marks) };
}

/** Marks never go back in time and never end before they start (rounded to the millisecond). */
function monotonic(marks: SpeechMark[]): SpeechMark[] {
  let floor = 0;
  return marks.map((m) => {
    const startSeconds = round(Math.max(floor, m.startSeconds));
    const endSeconds = round(Math.max(startSeconds, m.endSeconds));
    floor = endSeconds;
    return { text: m.text, startSeconds, endSeconds };
  });
}

const round = (s: number): number => Math.round(s * 1000) / 1000;
