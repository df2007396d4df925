// Caption cues from measured speech marks, following common subtitle practice: at most
// MAX_LINE_CHARS a line and MAX_LINES lines, about MIN_CUE_SECONDS to MAX_CUE_SECONDS on
// screen, broken where the sentence breaks, never crossing a slide boundary.
import type { SpeechTiming } from '@app/common';
import { proportionalTiming } from './captions.js';
import { AUDIO_LEAD_SECONDS } from './timeline.js';

export const MAX_LINE_CHARS = 42;
export const MAX_LINES = 2;
export const MIN_CUE_SECONDS = 1;
export const MAX_CUE_SECONDS = 7;

export interface CueWord {
  text: string;
  startSeconds: number;
  endSeconds: number;
  /** Which of the cue's lines the word is on (0 or 1). */
  line: number;
  /** Written right after the previous word, without a space (CJK, pieces of a long word). */
  glued: boolean;
}
export interface CaptionCue {
  /** 0-based slide the cue belongs to. */
  slideIndex: number;
  /** One or two lines, each at most MAX_LINE_CHARS (CJK characters count double). */
  lines: string[];
  startSeconds: number;
  endSeconds: number;
  /** The words in order with their own times (absolute), for the word-highlight style. */
  words: CueWord[];
}
export interface CaptionSlide {
  narration: string;
  /** Null for slides voiced before timings were recorded. */
  timing: SpeechTiming | null;
  startSeconds: number;
  endSeconds: number;
}

/** Where a token may end a cue, best first: 0 sentence, 1 clause, 2 before a conjunction, 3 anywhere. */
type Break = 0 | 1 | 2 | 3;
interface Token {
  text: string;
  /** Joined to the previous token without a space (CJK characters, pieces of a long word). */
  glued: boolean;
  startMs: number;
  endMs: number;
  breakAfter: Break;
}

const SENTENCE_END = /[.!?。！？…]["'”’»)\]]*$/u;
const CLAUSE_END = /[,;:，；：、—–]["'”’»)\]]*$/u;
const CONJUNCTION = /^(and|but|or|so|because|which|that|while|when|although|though|if|then|yet|et|mais|ou|donc|und|aber|oder|y|pero|o)$/iu;
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const PUNCT = /^[\p{P}\p{S}]$/u;
const BREAK_COST = [0, 1.5, 2.5, 4];

/** Display width: CJK characters take two columns, so 42 stays readable in every script. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

/** The cues of every slide, in order, each inside its slide's [start, end). */
export function buildCaptionCues(slides: CaptionSlide[]): CaptionCue[] {
  return slides.flatMap((slide, i) => slideCaptionCues(slide, i));
}

/**
 * One slide's cues, from that slide alone: on a window starting at 0 they are the slide's
 * cues in the whole video shifted back by its start, so a voice job can burn them into the
 * slide's segment on its own. The narration starts AUDIO_LEAD_SECONDS into the window (the
 * AAC lead frame, timeline.ts); cue times are whole ms from there, offset by that start.
 */
export function slideCaptionCues(slide: CaptionSlide, slideIndex: number): CaptionCue[] {
  const from = slide.startSeconds + AUDIO_LEAD_SECONDS;
  // The epsilon absorbs float noise: the span must be the same whatever the window's start.
  const toMs = Math.floor((slide.endSeconds - from) * 1000 + 1e-6);
  if (toMs <= 0) return [];
  // A cue or word running to the end of the window ends exactly there, not up to 1 ms before.
  const at = (ms: number) => (ms >= toMs ? slide.endSeconds : from + ms / 1000);
  // Fallback for slides voiced before timings were recorded (voiceovers.timing is null):
  // the old proportional split of the window by sentence length, as phrase marks.
  const timing = slide.timing ?? proportionalTiming(slide.narration, toMs / 1000);
  const tokens = tokenize(timing, toMs);
  if (tokens.length === 0) return [];
  const groups = segment(tokens);
  const cues = groups.map((g) => ({ tokens: g, startMs: g[0]!.startMs, endMs: g[g.length - 1]!.endMs }));
  // Monotonic and non-overlapping, then stretched toward the minimum where there is room.
  for (let k = 0; k < cues.length; k++) {
    const c = cues[k]!;
    const prevEnd = k > 0 ? cues[k - 1]!.endMs : 0;
    c.startMs = Math.min(Math.max(c.startMs, prevEnd), toMs);
    c.endMs = Math.max(c.endMs, c.startMs);
  }
  const minMs = MIN_CUE_SECONDS * 1000;
  for (let k = 0; k < cues.length; k++) {
    const c = cues[k]!;
    const limit = k + 1 < cues.length ? cues[k + 1]!.startMs : toMs;
    if (c.endMs - c.startMs < minMs) c.endMs = Math.min(c.startMs + minMs, Math.max(c.endMs, limit));
    if (c.endMs - c.startMs < minMs) {
      const prevEnd = k > 0 ? cues[k - 1]!.endMs : 0;
      c.startMs = Math.max(prevEnd, c.endMs - minMs);
    }
  }
  return cues
    .filter((c) => c.endMs > c.startMs)
    .map((c) => {
      const { lines, split } = wrapLines(c.tokens)!;
      return {
        slideIndex,
        lines,
        startSeconds: at(c.startMs),
        endSeconds: at(c.endMs),
        words: c.tokens.map((t, k) => ({
          text: t.text,
          line: k < split ? 0 : 1,
          glued: t.glued && k !== split,
          // Clamped to the cue, so the highlighted word is always one of the cue's.
          startSeconds: at(Math.min(Math.max(t.startMs, c.startMs), c.endMs)),
          endSeconds: at(Math.min(Math.max(t.endMs, c.startMs), c.endMs)),
        })),
      };
    });
}

/** Marks → words on the ms grid, clamped to the window; a phrase mark's words share its time by length. */
function tokenize(timing: SpeechTiming, windowMs: number): Token[] {
  const out: Token[] = [];
  const clamp = (ms: number) => Math.min(Math.max(0, Math.round(ms)), windowMs);
  for (const mark of timing.marks) {
    if (!Number.isFinite(mark.startSeconds) || !Number.isFinite(mark.endSeconds)) continue;
    const start = clamp(mark.startSeconds * 1000);
    const end = Math.max(start, clamp(mark.endSeconds * 1000));
    const pieces = splitWords(mark.text);
    if (pieces.length === 0) continue;
    // Inside one measured mark the split is by length: the engine gave no finer time.
    const total = pieces.reduce((a, p) => a + Math.max(1, textWidth(p.text)), 0);
    let acc = 0;
    for (const p of pieces) {
      const s = start + Math.round(((end - start) * acc) / total);
      acc += Math.max(1, textWidth(p.text));
      const e = start + Math.round(((end - start) * acc) / total);
      out.push({ text: p.text, glued: p.glued && out.length > 0, startMs: s, endMs: e, breakAfter: 3 });
    }
  }
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    const next = out[i + 1];
    if (SENTENCE_END.test(t.text)) t.breakAfter = 0;
    else if (CLAUSE_END.test(t.text)) t.breakAfter = 1;
    else if (next && !next.glued && CONJUNCTION.test(next.text)) t.breakAfter = 2;
    // Never split a word in the middle unless it is too long for a line.
    if (next?.glued && !NO_SPACE_SCRIPT.test(t.text) && !NO_SPACE_SCRIPT.test(next.text)) t.breakAfter = 3;
  }
  return out;
}

/** Words of a text: spaces separate; CJK and Thai runs break per character; overlong words in line-sized pieces. */
function splitWords(text: string): { text: string; glued: boolean }[] {
  const out: { text: string; glued: boolean }[] = [];
  for (const word of text.split(/\s+/u).filter(Boolean)) {
    const chars = Array.from(word);
    let piece = '';
    let glued = false;
    const flush = () => {
      if (piece) out.push({ text: piece, glued });
      piece = '';
      glued = true;
    };
    for (const ch of chars) {
      const wide = NO_SPACE_SCRIPT.test(ch);
      // Punctuation stays with the character before it (no line may start with "。").
      if (PUNCT.test(ch) && piece) piece += ch;
      else if (wide) {
        flush();
        piece = ch;
      } else {
        if (piece && NO_SPACE_SCRIPT.test(piece)) flush();
        if (textWidth(piece + ch) > MAX_LINE_CHARS) flush();
        piece += ch;
      }
    }
    flush();
  }
  return out;
}

function joinTokens(tokens: Token[]): string {
  return tokens.map((t, i) => (i > 0 && !t.glued ? ' ' : '') + t.text).join('');
}

/** One line, or two balanced ones at the best break (split: first token of line 2); null when the tokens do not fit. */
function wrapLines(tokens: Token[]): { lines: string[]; split: number } | null {
  const whole = joinTokens(tokens);
  if (textWidth(whole) <= MAX_LINE_CHARS) return { lines: [whole], split: tokens.length };
  let best: { cost: number; lines: string[]; split: number } | null = null;
  for (let k = 1; k < tokens.length; k++) {
    const a = joinTokens(tokens.slice(0, k));
    const b = joinTokens(tokens.slice(k));
    const wa = textWidth(a);
    const wb = textWidth(b);
    if (wa > MAX_LINE_CHARS || wb > MAX_LINE_CHARS) continue;
    const cost = Math.abs(wa - wb) / MAX_LINE_CHARS + BREAK_COST[tokens[k - 1]!.breakAfter]! / 4;
    if (!best || cost < best.cost) best = { cost, lines: [a, b], split: k };
  }
  return best ? { lines: best.lines, split: best.split } : null;
}

/**
 * Cue boundaries by dynamic programming: every cue fits two lines and lasts at most
 * MAX_CUE_SECONDS (unless it is one word); the cost prefers good breaks, fewer cues and
 * cues of at least MIN_CUE_SECONDS that hold one sentence (short ones may share).
 */
function segment(tokens: Token[]): Token[][] {
  const n = tokens.length;
  const cost = new Array<number>(n + 1).fill(Infinity);
  const from = new Array<number>(n + 1).fill(-1);
  cost[0] = 0;
  for (let j = 1; j <= n; j++) {
    let width = 0;
    let inner = 0; // sentence ends inside the cue: a new sentence should start a new cue
    for (let i = j - 1; i >= 0; i--) {
      width += textWidth(tokens[i]!.text) + 1;
      if (i < j - 1 && tokens[i]!.breakAfter === 0) inner++;
      if (width > MAX_LINES * (MAX_LINE_CHARS + 1)) break;
      const single = i === j - 1;
      const ms = tokens[j - 1]!.endMs - tokens[i]!.startMs;
      if (!single && ms > MAX_CUE_SECONDS * 1000) break;
      if (!(cost[i]! < Infinity)) continue;
      if (!single && !wrapLines(tokens.slice(i, j))) continue;
      const brk = j === n ? 0 : BREAK_COST[tokens[j - 1]!.breakAfter]!;
      const short = Math.max(0, MIN_CUE_SECONDS * 1000 - ms) / 1000;
      const c = cost[i]! + 1 + brk + 3 * short + 1.5 * inner;
      if (c < cost[j]!) {
        cost[j] = c;
        from[j] = i;
      }
    }
  }
  const groups: Token[][] = [];
  for (let j = n; j > 0; j = from[j]!) groups.unshift(tokens.slice(from[j]!, j));
  return groups;
}
