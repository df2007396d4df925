// The fallback timing for slides voiced before speech marks were recorded. The caption
// files themselves are written by @app/common caption-files.ts.
import type { SpeechTiming } from '@app/common';

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
