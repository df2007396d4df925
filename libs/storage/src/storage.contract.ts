import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { buffer, text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { StorageObjectNotFoundError } from './storage.errors.js';
import type { Storage } from './storage.port.js';

/** A fresh, empty store for one test, and how to throw it away. */
export interface StorageUnderTest {
  storage: Storage;
  dispose(): Promise<void>;
}

/** Keys every driver must refuse, on every method, before touching anything. */
const BAD_KEYS = ['../etc/passwd', 'a/../../b', '..', 'a/..', '/abs', 'a//b', 'a/./b', 'a/', 'a\\..\\b', ''];

/**
 * What every Storage driver promises, run against each one (Twenty runs its
 * drivers' specs this way): `describeStorageContract('s3', makeS3)` will check
 * an object store against the same cases as the local disk.
 */
export function describeStorageContract(name: string, makeStorage: () => Promise<StorageUnderTest>): void {
  describe(`Storage contract: ${name}`, () => {
    let subject: StorageUnderTest;
    let storage: Storage;
    let work: string;

    beforeEach(async () => {
      subject = await makeStorage();
      storage = subject.storage;
      work = await mkdtemp(join(tmpdir(), 'blinked-storage-work-'));
    });

    afterEach(async () => {
      await subject.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('puts, gets and stats an object, and replaces it whole', async () => {
      await storage.put('videos/a/x.txt', Buffer.from('0123456789'));
      expect(await storage.stat('videos/a/x.txt')).toEqual({ size: 10 });
      expect((await storage.get('videos/a/x.txt')).toString()).toBe('0123456789');
      await storage.put('videos/a/x.txt', Buffer.from('abc'));
      expect(await storage.stat('videos/a/x.txt')).toEqual({ size: 3 });
      expect((await storage.get('videos/a/x.txt')).toString()).toBe('abc');
    });

    it('stores an empty object', async () => {
      await storage.put('e/empty.bin', Buffer.alloc(0));
      expect(await storage.stat('e/empty.bin')).toEqual({ size: 0 });
      expect((await storage.get('e/empty.bin')).length).toBe(0);
      expect(await text(await storage.read('e/empty.bin'))).toBe('');
    });

    it('reads a whole object and byte ranges, inclusive of the end, cut short at the end', async () => {
      await storage.put('r/x.txt', Buffer.from('0123456789'));
      expect(await text(await storage.read('r/x.txt'))).toBe('0123456789');
      expect(await text(await storage.read('r/x.txt', { start: 2, end: 5 }))).toBe('2345');
      expect(await text(await storage.read('r/x.txt', { start: 0, end: 0 }))).toBe('0');
      expect(await text(await storage.read('r/x.txt', { start: 9, end: 9 }))).toBe('9');
      expect(await text(await storage.read('r/x.txt', { start: 7, end: 100 }))).toBe('789');
    });

    it('refuses a range that is out of order or negative', async () => {
      await storage.put('r/x.txt', Buffer.from('0123456789'));
      await expect(storage.read('r/x.txt', { start: 5, end: 2 })).rejects.toThrow(RangeError);
      await expect(storage.read('r/x.txt', { start: -1, end: 2 })).rejects.toThrow(RangeError);
    });

    it('downloads into a work folder it creates, at distinct paths for distinct keys', async () => {
      await storage.put('videos/a/slides/001.png', Buffer.from('image a'));
      await storage.put('videos/b/slides/001.png', Buffer.from('image b'));
      const dir = join(work, 'not', 'yet', 'there');
      const a = await storage.download('videos/a/slides/001.png', dir);
      const b = await storage.download('videos/b/slides/001.png', dir);
      expect(a).not.toBe(b);
      for (const path of [a, b]) expect(relative(dir, path).split(sep)[0]).not.toBe('..');
      expect((await readFile(a)).toString()).toBe('image a');
      expect((await readFile(b)).toString()).toBe('image b');
      // A copy: changing it leaves the stored object alone.
      await writeFile(a, 'scribbled');
      expect((await storage.get('videos/a/slides/001.png')).toString()).toBe('image a');
    });

    it('uploads a finished local file, replacing what was there', async () => {
      await storage.put('videos/c/video.mp4', Buffer.from('old'));
      const file = join(work, 'video.mp4');
      await writeFile(file, 'video');
      await storage.upload('videos/c/video.mp4', file);
      expect((await storage.get('videos/c/video.mp4')).toString()).toBe('video');
      expect(await storage.stat('videos/c/video.mp4')).toEqual({ size: 5 });
    });

    it('round-trips a multi-megabyte file byte for byte through upload, read and download', async () => {
      const data = randomBytes(5 * 1024 * 1024 + 7);
      const sha = createHash('sha256').update(data).digest('hex');
      const file = join(work, 'big.bin');
      await writeFile(file, data);
      await storage.upload('videos/d/big.bin', file);
      expect(await storage.stat('videos/d/big.bin')).toEqual({ size: data.length });
      expect(
        createHash('sha256')
          .update(await buffer(await storage.read('videos/d/big.bin')))
          .digest('hex'),
      ).toBe(sha);
      const back = await storage.download('videos/d/big.bin', join(work, 'back'));
      expect(
        createHash('sha256')
          .update(await readFile(back))
          .digest('hex'),
      ).toBe(sha);
      const tail = await buffer(await storage.read('videos/d/big.bin', { start: data.length - 1000, end: data.length - 1 }));
      expect(tail.equals(data.subarray(data.length - 1000))).toBe(true);
    });

    it('rejects on a missing key, with the same error from every method', async () => {
      await storage.put('m/present.txt', Buffer.from('x'));
      expect(await storage.stat('m/absent.txt')).toBeUndefined();
      await expect(storage.get('m/absent.txt')).rejects.toThrow(StorageObjectNotFoundError);
      await expect(storage.read('m/absent.txt')).rejects.toThrow(StorageObjectNotFoundError);
      await expect(storage.read('m/absent.txt', { start: 0, end: 1 })).rejects.toThrow(StorageObjectNotFoundError);
      await expect(storage.download('m/absent.txt', work)).rejects.toThrow(StorageObjectNotFoundError);
      // A "folder" is not an object, nor is a key below an object.
      expect(await storage.stat('m')).toBeUndefined();
      await expect(storage.read('m')).rejects.toThrow(StorageObjectNotFoundError);
      await expect(storage.get('m/present.txt/below')).rejects.toThrow(StorageObjectNotFoundError);
      await expect(storage.delete('m/absent.txt')).resolves.toBeUndefined();
      await expect(storage.deletePrefix('nothing/here')).resolves.toBeUndefined();
    });

    it('deletes one object, and every object under a folder but not its neighbours', async () => {
      await storage.put('videos/a/x.txt', Buffer.from('x'));
      await storage.put('videos/a/slides/001.png', Buffer.from('p'));
      await storage.put('videos/ab/y.txt', Buffer.from('y'));
      await storage.put('videos/b/z.txt', Buffer.from('z'));
      await storage.delete('videos/b/z.txt');
      expect(await storage.stat('videos/b/z.txt')).toBeUndefined();
      await storage.deletePrefix('videos/a');
      expect(await storage.stat('videos/a/x.txt')).toBeUndefined();
      expect(await storage.stat('videos/a/slides/001.png')).toBeUndefined();
      expect(await storage.stat('videos/ab/y.txt')).toEqual({ size: 1 });
    });

    it.each(BAD_KEYS)('refuses the key %p on every method, by rejecting', async (key) => {
      const invalid = /invalid storage key/;
      const file = join(work, 'f.bin');
      await writeFile(file, 'x');
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(invalid);
      await expect(storage.upload(key, file)).rejects.toThrow(invalid);
      await expect(storage.get(key)).rejects.toThrow(invalid);
      await expect(storage.stat(key)).rejects.toThrow(invalid);
      await expect(storage.read(key)).rejects.toThrow(invalid);
      await expect(storage.read(key, { start: 0, end: 1 })).rejects.toThrow(invalid);
      await expect(storage.download(key, work)).rejects.toThrow(invalid);
      await expect(storage.delete(key)).rejects.toThrow(invalid);
      await expect(storage.deletePrefix(key)).rejects.toThrow(invalid);
    });
  });
}
