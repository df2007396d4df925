import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Work folders are named `blinked-<pid>-<label>-<6 random>`: the owner's pid lets a
 * worker starting later tell the leftovers of a dead process (SIGKILL, OOM: no
 * `finally` ran) from the folders of live workers sharing the same WORK_DIR.
 */
const SCRATCH_NAME = /^blinked-(\d+)-[a-z0-9-]+-[A-Za-z0-9]{6}$/;

function scratchPrefix(label: string, pid = process.pid): string {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 60);
  return `blinked-${pid}-${safe || 'job'}-`;
}

/**
 * Runs `fn` in a fresh folder under `workDir` (WORK_DIR), named for this process and
 * `label` (the job), and removes it afterwards whatever happens: success, failure or
 * cancellation. Media tools read and write files, and a worker must leave none behind.
 */
export async function withScratchDir<T>(workDir: string, label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, scratchPrefix(label)));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the work folders whose owner process is gone; folders of live processes and
 * anything not named like a work folder are left alone. Returns the names removed.
 * Pids are only meaningful on one host, so WORK_DIR must not be shared between hosts.
 * A reused pid only keeps a leftover until a later sweep: it never removes a live folder.
 */
export async function sweepDeadScratchDirs(workDir: string, isAlive: (pid: number) => boolean = isProcessAlive): Promise<string[]> {
  const entries = await readdir(workDir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  const dead = entries.filter((e) => {
    const pid = e.isDirectory() ? SCRATCH_NAME.exec(e.name)?.[1] : undefined;
    return pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid));
  });
  // maxRetries: a killed worker's ffmpeg may still be writing its last bytes there.
  await Promise.all(dead.map((e) => rm(join(workDir, e.name), { recursive: true, force: true, maxRetries: 3 })));
  return dead.map((e) => e.name);
}
