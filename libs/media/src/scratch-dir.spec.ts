import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, sweepDeadScratchDirs, withScratchDir } from './scratch-dir.js';

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('work folders', () => {
  let workDir: string;
  let live: ChildProcess;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'scratch-spec-'));
    live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await once(live, 'spawn');
  });

  afterAll(async () => {
    live.kill('SIGKILL');
    await rm(workDir, { recursive: true, force: true });
  });

  it("are named for the owner's pid and the job, and removed after success and failure", async () => {
    let seen = '';
    await withScratchDir(workDir, 'stitch-3F2a', async (dir) => {
      seen = dir;
      await writeFile(join(dir, 'video.mp4'), 'x');
      expect((await readdir(workDir)).map((n) => n.replace(/-[A-Za-z0-9]{6}$/, '-XXXXXX'))).toContain(`blinked-${process.pid}-stitch-3f2a-XXXXXX`);
    });
    await expect(stat(seen)).rejects.toMatchObject({ code: 'ENOENT' });

    await expect(
      withScratchDir(workDir, 'probe', async (dir) => {
        seen = dir;
        throw new Error('ffmpeg failed');
      }),
    ).rejects.toThrow('ffmpeg failed');
    await expect(stat(seen)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('tells a dead process from a live one', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(live.pid!)).toBe(true);
    expect(isProcessAlive(await deadPid())).toBe(false);
  });

  it("are swept at start when their owner is dead, and kept when it lives (another worker's, or ours)", async () => {
    const dead = await deadPid();
    const names = {
      dead: `blinked-${dead}-stitch-0b7c2f4e-aaaa-bbbb-cccc-0123456789ab-Ab3dE9`,
      live: `blinked-${live.pid}-stitch-9c1d-Zz09aa`,
      ours: `blinked-${process.pid}-probe-q1w2e3`,
      // Not work folders: other tools' temp dirs and a file, left alone whatever their names.
      other: 'blinked-e2e-Ab3dE9',
      file: `blinked-${dead}-probe-Ab3dE9.tmp`,
    };
    for (const name of [names.dead, names.live, names.ours, names.other]) {
      await mkdir(join(workDir, name));
      await writeFile(join(workDir, name, 'slide-1.png'), 'x');
    }
    await writeFile(join(workDir, names.file), 'x');

    expect(await sweepDeadScratchDirs(workDir)).toEqual([names.dead]);
    expect((await readdir(workDir)).sort()).toEqual([names.live, names.ours, names.other, names.file].sort());
  });

  it('sweeps a WORK_DIR that does not exist yet as empty', async () => {
    await expect(sweepDeadScratchDirs(join(workDir, 'missing'))).resolves.toEqual([]);
  });
});
