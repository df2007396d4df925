import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
}

/**
 * Port: where videos, slides and audio live, by key (e.g. `videos/<id>/video.mp4`).
 * The default adapter is a local directory; an object store would be another.
 */
export abstract class Storage {
  /** Writes atomically: readers see the old object or the whole new one, never a part. */
  abstract put(key: string, data: Buffer): Promise<void>;
  /** Moves a finished local file in (no copy when it is on the same disk). */
  abstract putFile(key: string, localPath: string): Promise<void>;
  abstract get(key: string): Promise<Buffer>;
  abstract stat(key: string): Promise<StoredObject | undefined>;
  /** A byte range, inclusive of `end`, as HTTP Range counts. */
  abstract read(key: string, range?: { start: number; end: number }): Readable;
  /** A path ffmpeg can read. Local adapter: the file itself. */
  abstract localPath(key: string): Promise<string>;
  abstract delete(key: string): Promise<void>;
  /** Removes every object under a prefix (a video's folder). */
  abstract deletePrefix(prefix: string): Promise<void>;
}

/** The keys of one video's files, in one place so api and worker agree. */
export const videoKeys = {
  prefix: (videoId: string) => `videos/${videoId}`,
  slideImage: (videoId: string, n: number) => `videos/${videoId}/slides/${String(n).padStart(3, '0')}.png`,
  slideAudio: (videoId: string, n: number, ext: string) => `videos/${videoId}/audio/${String(n).padStart(3, '0')}.${ext}`,
  video: (videoId: string) => `videos/${videoId}/video.mp4`,
  thumbnail: (videoId: string) => `videos/${videoId}/thumbnail.jpg`,
  captions: (videoId: string) => `videos/${videoId}/captions.vtt`,
};

/** Content-addressed blobs shared between videos (the generation cache's audio). */
export const blobKey = (kind: string, sha256: string, ext: string) => `blobs/${kind}/${sha256.slice(0, 2)}/${sha256}.${ext}`;
