import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskStorage } from './local-disk.storage.js';
import { describeStorageContract } from './storage.contract.js';

describeStorageContract('local disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blinked-storage-'));
  return { storage: new LocalDiskStorage(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
});

describe('LocalDiskStorage', () => {
  let dir: string;
  let storage: LocalDiskStorage;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blinked-storage-'));
    storage = new LocalDiskStorage(join(dir, 'store'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('leaves no temporary files behind', async () => {
    await storage.put('k/v.bin', Buffer.alloc(100));
    await storage.put('k/v.bin', Buffer.alloc(50));
    expect(await readdir(join(dir, 'store', 'k'))).toEqual(['v.bin']);
    expect(await storage.stat('k/v.bin')).toEqual({ size: 50 });
  });

  it('keeps objects at their key under the root, where the e2e tests look for them', async () => {
    await storage.put('videos/a/x.txt', Buffer.from('x'));
    expect((await readFile(join(dir, 'store', 'videos', 'a', 'x.txt'))).toString()).toBe('x');
  });

  it('moves a local file in when it is on the same disk', async () => {
    const src = join(dir, 'incoming.mp4');
    await writeFile(src, 'video');
    await storage.upload('videos/b/video.mp4', src);
    expect((await storage.get('videos/b/video.mp4')).toString()).toBe('video');
    expect(existsSync(src)).toBe(false);
  });

  it("copies a symlink's target in rather than moving the link", async () => {
    const target = join(dir, 'real.mp4');
    await writeFile(target, 'video');
    await symlink('real.mp4', join(dir, 'link.mp4'));
    await storage.upload('videos/b/video.mp4', join(dir, 'link.mp4'));
    await rm(target);
    expect((await storage.get('videos/b/video.mp4')).toString()).toBe('video');
  });

  it('rejects an upload of a missing file and leaves no temporary file', async () => {
    await expect(storage.upload('u/v.bin', join(dir, 'nope'))).rejects.toThrow(/ENOENT/);
    await mkdir(join(dir, 'store', 'u'), { recursive: true });
    expect(await readdir(join(dir, 'store', 'u'))).toEqual([]);
  });

  it('never opens a path outside its root, even for a key that looks like one', async () => {
    await writeFile(join(dir, 'secret.txt'), 'secret');
    await expect(storage.get('../secret.txt')).rejects.toThrow(/invalid storage key/);
    await expect(storage.download('../secret.txt', join(dir, 'work'))).rejects.toThrow(/invalid storage key/);
    expect(existsSync(join(dir, 'work'))).toBe(false);
  });
});
