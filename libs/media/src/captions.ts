// Caption files (WebVTT, SubRip) from the cues of caption-cues.ts, and the fallback timing
// for slides voiced before speech marks were recorded.
import type { SpeechTiming } from '@app/common';

/** The part of a cue the files need; CaptionCue from caption-cues.ts has it. */
export interface CaptionFileCue {
  lines: string[];
  startSeconds: number;
  endSeconds: number;
}

/** Sentences of a narration; keeps the terminal punctuation. Handles CJK full stops too. */
export function splitSentences(text: string): string[] {
  const normalized = text.replace(/\s+/gu, ' ').trim();
  if (!normalized) return [];
  const parts = normalized.match(/[^.!?。！？…]+(?:[.!?。！？…]+["'”’»)\]]*|$)/gu) ?? [normalized];
  return parts.map((p) => p.trim()).filter((p) => /[\p{L}\p{N}]/u.test(p));
}

/**
 * FALLBACK ONLY, for slides whose voiceovers.timing is null (voiced before the narrators
 * measured their speech): the window is split among the sentences in proportion to their
 * length, one phrase mark each. Every slide voiced since has measured marks instead.
 */
export function proportionalTiming(narration: string, durationSeconds: number): SpeechTiming {
  const sentences = splitSentences(narration);
  const weights = sentences.map((s) => Math.max(1, Array.from(s).length));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const marks = sentences.map((text, i) => {
    const startSeconds = (durationSeconds * acc) / total;
    acc += weights[i]!;
    return { text, startSeconds, endSeconds: (durationSeconds * acc) / total };
  });
  return { granularity: 'phrase', marks };
}

function clock(seconds: number, fraction: '.' | ','): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${fraction}${pad(ms % 1000, 3)}`;
}
export const formatVttTime = (seconds: number) => clock(seconds, '.');
export const formatSrtTime = (seconds: number) => clock(seconds, ',');

export function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const playable = (c: CaptionFileCue) => c.endSeconds > c.startSeconds && c.lines.some((l) => l.trim());

export function buildWebVtt(cues: CaptionFileCue[]): string {
  const blocks = cues
    .filter(playable)
    .map((c) => `${formatVttTime(c.startSeconds)} --> ${formatVttTime(c.endSeconds)}\n${c.lines.map(escapeVtt).join('\n')}`);
  return `WEBVTT\n\n${blocks.join('\n\n')}${blocks.length ? '\n' : ''}`;
}

/** SubRip: numbered cues, comma before the milliseconds, plain text (no markup to escape). */
export function buildSubRip(cues: CaptionFileCue[]): string {
  const blocks = cues
    .filter(playable)
    .map((c, i) => `${i + 1}\n${formatSrtTime(c.startSeconds)} --> ${formatSrtTime(c.endSeconds)}\n${c.lines.join('\n')}`);
  return blocks.length ? `${blocks.join('\n\n')}\n` : '';
}

const VTT_TIME = /^(\d{2,}):(\d{2}):(\d{2})\.(\d{3})$/;
const parseVttTime = (t: string): number | null => {
  const m = VTT_TIME.exec(t.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000 : null;
};
const unescapeVtt = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The cues of a WebVTT file as we write it (videos stitched before SubRip was stored keep only that). */
export function parseWebVtt(vtt: string): CaptionFileCue[] {
  const cues: CaptionFileCue[] = [];
  for (const block of vtt.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l.length > 0);
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue;
    const [from, to] = lines[at]!.split('-->').map((s) => s.trim().split(/\s+/)[0]!);
    const startSeconds = parseVttTime(from!);
    const endSeconds = parseVttTime(to!);
    if (startSeconds === null || endSeconds === null) continue;
    cues.push({ startSeconds, endSeconds, lines: lines.slice(at + 1).map(unescapeVtt) });
  }
  return cues;
}

export const webVttToSubRip = (vtt: string) => buildSubRip(parseWebVtt(vtt));
