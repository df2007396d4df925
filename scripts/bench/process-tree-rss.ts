// The memory a process tree holds, read from /proc as `ps` would: the `rss` benchmark samples the
// worker and every process it started (ffmpeg, festival, espeak-ng) and keeps the highest sum.
import { readdirSync, readFileSync } from 'node:fs';

/** The parent pid in the text of /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parentPidOf(statText: string): number {
  const afterName = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state, then ppid.
  return Number(afterName[1]);
}

/** A `VmRSS:`/`VmHWM:` figure of /proc/<pid>/status in bytes, or 0 when absent (a zombie has none). */
export function statusFieldBytes(statusText: string, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(statusText);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Every process's parent, now. Processes that end while being read are skipped. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      out.set(Number(name), parentPidOf(readFileSync(`/proc/${name}/stat`, 'utf8')));
    } catch {
      // Gone between readdir and read.
    }
  }
  return out;
}

/** `root` and all its descendants (children, grandchildren…) that are alive now. */
export function processTree(root: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) childrenOf.set(ppid, [...(childrenOf.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const pending = [root];
  while (pending.length) {
    const pid = pending.pop()!;
    tree.push(pid);
    pending.push(...(childrenOf.get(pid) ?? []));
  }
  return tree;
}

/** One field of a process's status in bytes; 0 for a process that has ended. */
export function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    return statusFieldBytes(readFileSync(`/proc/${pid}/status`, 'utf8'), field);
  } catch {
    return 0;
  }
}

/** Resident memory of the processes of `roots`' trees, summed, in bytes. */
export function treeRssBytes(roots: number[]): number {
  return roots.flatMap(processTree).reduce((sum, pid) => sum + statusBytes(pid, 'VmRSS'), 0);
}

/**
 * Samples a tree's summed RSS every `intervalMs` until stopped and keeps the peak. A child
 * living less than one interval can be missed: the figure is a lower bound of the true peak.
 */
export class TreeRssSampler {
  private peak = 0;
  private samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly roots: number[],
    intervalMs = 10,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, treeRssBytes(this.roots));
    this.samples++;
  }

  /** Stops sampling: the highest sum seen, in bytes, and how many samples were taken. */
  stop(): { peakBytes: number; samples: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakBytes: this.peak, samples: this.samples };
  }
}
