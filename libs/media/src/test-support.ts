// Helpers for this library's specs (not exported from index.ts).
import { readdirSync, readFileSync } from 'node:fs';

/** ffmpeg/ffprobe processes whose parent is this process, read from /proc. */
export function childMediaProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ..." — comm may contain spaces, so split after the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && (comm === 'ffmpeg' || comm === 'ffprobe')) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Top-level MP4 boxes in order, e.g. ['ftyp', 'moov', 'mdat']. */
export function topLevelBoxes(file: Buffer): string[] {
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= file.length) {
    let size = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    if (size === 1) size = Number(file.readBigUInt64BE(offset + 8));
    else if (size === 0) size = file.length - offset;
    if (size < 8) break;
    boxes.push(type);
    offset += size;
  }
  return boxes;
}

/** Runs ffmpeg on generated inputs (lavfi sources such as `sine=…` or `color=…`), then `outputArgs` (ending with the path). */
export async function ffmpegFromLavfi(
  runner: { run(cmd: 'ffmpeg', args: string[]): Promise<unknown> },
  sources: string[],
  outputArgs: string[],
): Promise<void> {
  await runner.run('ffmpeg', ['-nostdin', '-hide_banner', '-y', '-loglevel', 'error', ...sources.flatMap((s) => ['-f', 'lavfi', '-i', s]), ...outputArgs]);
}

// Shared with the medium specs, which may not reach into a lib's folders.
export { videoPacketLines } from '@test/support/video-packets.js';
