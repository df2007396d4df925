export interface Chapter {
  title: string;
  startSeconds: number;
  endSeconds: number;
}

/** FFMETADATA escapes '=', ';', '#' and '\' with a backslash; a title is one line, so breaks become spaces. */
function escapeMetadata(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\=;#]/g, (c) => `\\${c}`);
}

/**
 * An FFMETADATA1 file with one chapter per slide, read by the final stream-copy mux
 * (`-map_chapters`), so players list the slides and `ffprobe -show_chapters` shows them.
 * Millisecond time base: chapters start where their slide's window starts and touch the next.
 */
export function buildChapterMetadata(chapters: Chapter[]): string {
  const lines = [';FFMETADATA1'];
  for (const c of chapters) {
    const start = Math.round(c.startSeconds * 1000);
    const end = Math.max(start + 1, Math.round(c.endSeconds * 1000));
    lines.push('[CHAPTER]', 'TIMEBASE=1/1000', `START=${start}`, `END=${end}`, `title=${escapeMetadata(c.title.trim() || 'Untitled')}`);
  }
  return `${lines.join('\n')}\n`;
}
