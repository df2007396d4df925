import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Probe {
  format: { duration: string; format_name: string };
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string; duration?: string }[];
}

/** ffprobe, the real one, on a file the test downloaded. */
export async function ffprobe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]);
  return JSON.parse(stdout) as Probe;
}

export interface ProbedChapter {
  start_time: string;
  end_time: string;
  tags?: { title?: string };
}

/** The chapters ffprobe lists (`-show_chapters`). */
export async function ffprobeChapters(path: string): Promise<ProbedChapter[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', path]);
  return (JSON.parse(stdout) as { chapters: ProbedChapter[] }).chapters;
}

export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** A strict-enough WebVTT parser: header, then blocks of "HH:MM:SS.mmm --> HH:MM:SS.mmm" and text. */
export function parseVtt(vtt: string): Cue[] {
  const lines = vtt.replace(/\r\n/g, '\n').split('\n');
  if (!/^WEBVTT( |\t|$)/.test(lines[0] ?? '')) throw new Error('missing WEBVTT header');
  const time = (t: string) => {
    const m = /^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$/.exec(t.trim());
    if (!m) throw new Error(`bad timestamp ${t}`);
    return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
  };
  const cues: Cue[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes('-->')) continue;
    const [a, b] = line.split('-->');
    const text: string[] = [];
    for (i++; i < lines.length && lines[i] !== ''; i++) text.push(lines[i]!);
    cues.push({ start: time(a!), end: time(b!.trim().split(/\s+/)[0]!), text: text.join('\n') });
  }
  return cues;
}
