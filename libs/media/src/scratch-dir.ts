import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Runs `fn` in a fresh directory under `workDir` (WORK_DIR) and removes it afterwards,
 * whatever happens: media tools read and write files, and a worker must leave none behind.
 */
export async function withScratchDir<T>(workDir: string, prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, `blinked-${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
