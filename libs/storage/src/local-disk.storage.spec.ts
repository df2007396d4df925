import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { LocalDiskStorage } from './local-disk.storage.js';

describe('LocalDiskStorage', () => {
  let dir: string;
  let storage: LocalDiskStorage;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blinked-storage-'));
    storage = new LocalDiskStorage(dir);
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('puts, stats, reads ranges and deletes a prefix', async () => {
    await storage.put('videos/a/x.txt', Buffer.from('0123456789'));
    expect(await storage.stat('videos/a/x.txt')).toEqual({ size: 10 });
    expect((await storage.get('videos/a/x.txt')).toString()).toBe('0123456789');
    expect(await text(storage.read('videos/a/x.txt', { start: 2, end: 5 }))).toBe('2345');
    await storage.deletePrefix('videos/a');
    expect(await storage.stat('videos/a/x.txt')).toBeUndefined();
  });

  it('leaves no temporary files behind', async () => {
    await storage.put('k/v.bin', Buffer.alloc(100));
    await storage.put('k/v.bin', Buffer.alloc(50));
    expect(await readdir(join(dir, 'k'))).toEqual(['v.bin']);
    expect(await storage.stat('k/v.bin')).toEqual({ size: 50 });
  });

  it('moves a local file in', async () => {
    const src = join(dir, 'incoming.mp4');
    await writeFile(src, 'video');
    await storage.putFile('videos/b/video.mp4', src);
    expect((await storage.get('videos/b/video.mp4')).toString()).toBe('video');
  });

  it.each(['../etc/passwd', 'a/../../b', '/abs', 'a//b', 'a/./b', ''])('refuses the key %p', async (key) => {
    await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
  });
});
