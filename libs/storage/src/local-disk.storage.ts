import { constants as fs } from 'node:fs';
import { access, copyFile, lstat, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidStorageKeyError, StorageObjectNotFoundError } from './storage.errors.js';
import { type ByteRange, Storage, type StoredObject } from './storage.port.js';
import { assertByteRange, assertStorageKey } from './storage.validation.js';

/** Codes that mean "no such object": the key, a parent of it, or a folder where a file was asked for. */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** Storage in a local directory (STORAGE_DIR). Keys map to paths under it, never outside. */
export class LocalDiskStorage extends Storage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await replaceAtomically(path, (tmp) => writeFile(tmp, data));
  }

  async upload(key: string, file: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Only a regular file is moved: a symlink moved in would point elsewhere
    // (or nowhere) once inside the store, so it is copied through instead.
    if ((await lstat(file)).isFile()) {
      try {
        await rename(file, path);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      }
    }
    await replaceAtomically(path, (tmp) => copyFile(file, tmp, fs.COPYFILE_FICLONE));
  }

  async get(key: string): Promise<Buffer> {
    const path = this.pathOf(key);
    try {
      return await readFile(path);
    } catch (e) {
      throw missingOr(e, key);
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { size: s.size } : undefined;
    } catch (e) {
      if (MISSING.has((e as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw e;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    assertByteRange(range);
    // Opened here, not by the stream, so a missing file rejects this promise
    // instead of erupting later as an 'error' event nobody may be listening to.
    const handle = await open(path, 'r').catch((e: unknown) => {
      throw missingOr(e, key);
    });
    try {
      if (!(await handle.stat()).isFile()) throw new StorageObjectNotFoundError(key);
    } catch (e) {
      await handle.close();
      throw e;
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async download(key: string, dir: string): Promise<string> {
    const path = this.pathOf(key);
    // The key is already checked, so it cannot climb out of `dir` either.
    const target = join(resolve(dir), key);
    await mkdir(dirname(target), { recursive: true });
    try {
      await replaceAtomically(target, (tmp) => copyFile(path, tmp, fs.COPYFILE_FICLONE));
    } catch (e) {
      throw (await this.stat(key)) ? e : new StorageObjectNotFoundError(key);
    }
    return target;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  async ping(): Promise<void> {
    // Created as put would create it: a fresh install with no video yet is ready.
    await mkdir(this.root, { recursive: true });
    await access(this.root, fs.W_OK);
  }

  readUrl(): Promise<string> {
    return Promise.reject(new Error('the local storage driver has no URLs of its own: use MEDIA_DELIVERY=proxy'));
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    const path = join(this.root, key);
    // Belt and braces: the key check already rules this out.
    if (!path.startsWith(this.root + sep)) throw new InvalidStorageKeyError(key);
    return path;
  }
}

/** Writes beside the target and renames over it, so no reader ever sees a partial file. */
async function replaceAtomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

function missingOr(e: unknown, key: string): unknown {
  return MISSING.has((e as NodeJS.ErrnoException).code ?? '') ? new StorageObjectNotFoundError(key) : e;
}
