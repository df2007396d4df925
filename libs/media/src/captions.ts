export interface CaptionCue {
  narration: string;
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

export function formatVttTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

export function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * WebVTT with one cue per narration sentence. Each slide's window is split among its
 * sentences in proportion to their length (speech time follows text length closely
 * enough for captions), so every cue stays inside its slide's [start, end).
 */
export function buildWebVtt(cues: CaptionCue[]): string {
  const blocks: string[] = [];
  for (const cue of cues) {
    const sentences = splitSentences(cue.narration);
    const span = cue.endSeconds - cue.startSeconds;
    if (sentences.length === 0 || !(span > 0)) continue;
    const weights = sentences.map((s) => Math.max(1, Array.from(s).length));
    const total = weights.reduce((a, b) => a + b, 0);
    // Millisecond grid, so the printed times keep the order and the window.
    const startMs = Math.ceil(cue.startSeconds * 1000);
    const endMs = Math.floor(cue.endSeconds * 1000);
    let acc = 0;
    sentences.forEach((sentence, i) => {
      const from = startMs + Math.round(((endMs - startMs) * acc) / total);
      acc += weights[i];
      const to = startMs + Math.round(((endMs - startMs) * acc) / total);
      if (to <= from) return;
      blocks.push(`${formatVttTime(from / 1000)} --> ${formatVttTime(to / 1000)}\n${escapeVtt(sentence)}`);
    });
  }
  return `WEBVTT\n\n${blocks.join('\n\n')}${blocks.length ? '\n' : ''}`;
}
