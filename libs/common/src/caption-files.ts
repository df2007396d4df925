// Caption files, WebVTT and SubRip, from timed cues. Here rather than in @app/media because
// the api converts a stored WebVTT into SubRip for videos stitched before SubRip was stored,
// and the api must not load the media library (canvas, ffmpeg).

/** The part of a cue the files need; CaptionCue (@app/media caption-cues.ts) has it. */
export interface CaptionFileCue {
  lines: string[];
  startSeconds: number;
  endSeconds: number;
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
