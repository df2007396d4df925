import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
}

/** A byte range, inclusive of `end`, as HTTP Range counts. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What a presigned URL should make the store answer with, and for how long it works. */
export interface ReadUrlOptions {
  expiresInSeconds: number;
  contentType?: string;
  contentDisposition?: string;
}

/**
 * Port: where videos, slides and audio live, by key (e.g. `videos/<id>/video.mp4`).
 * Shaped for an object store: no method hands out a path into the store, so a
 * bucket can replace the local directory without touching callers. Keys are
 * checked by `assertStorageKey`; a bad key rejects with InvalidStorageKeyError.
 * A missing object rejects with StorageObjectNotFoundError (stat resolves undefined).
 */
export abstract class Storage {
  /** Writes atomically: readers see the old object or the whole new one, never a part. */
  abstract put(key: string, data: Buffer): Promise<void>;
  /**
   * Stores a finished local file, atomically as `put`. The file may be moved
   * rather than copied (the local driver does so on the same disk) or left in
   * place (an object store uploads a copy): afterwards the caller must neither
   * use the file nor count on it being gone, only remove its own work folder.
   */
  abstract upload(key: string, file: string): Promise<void>;
  abstract get(key: string): Promise<Buffer>;
  abstract stat(key: string): Promise<StoredObject | undefined>;
  /** The object, or a byte range of it, as a stream; rejects (never errors the stream) when missing. */
  abstract read(key: string, range?: ByteRange): Promise<Readable>;
  /**
   * Copies the object into `dir`, a work folder the caller owns (created when
   * missing), for tools such as ffmpeg that need a local file. Resolves the
   * copy's path: inside `dir`, distinct for distinct keys, never half-written.
   */
  abstract download(key: string, dir: string): Promise<string>;
  /** Removes one object; a missing one is no error. */
  abstract delete(key: string): Promise<void>;
  /** Removes every object under the folder `prefix/` (a video's files); an empty folder is no error. */
  abstract deletePrefix(prefix: string): Promise<void>;
  /**
   * Readiness: resolves when the store can take writes (local: the directory is
   * writable; s3: the bucket answers), rejects with the reason otherwise. Bounded
   * in time, so a health check never hangs on it.
   */
  abstract ping(): Promise<void>;
  /**
   * A URL a client can GET the object (and ranges of it) from directly, for
   * `expiresInSeconds`, without the api in the path. Drivers with no such URL
   * (the local disk) reject; configuration allows MEDIA_DELIVERY=redirect only
   * with one that has it.
   */
  abstract readUrl(key: string, options: ReadUrlOptions): Promise<string>;
}

/** The keys of one video's files, in one place so api and worker agree. */
export const videoKeys = {
  prefix: (videoId: string) => `videos/${videoId}`,
  slideImage: (videoId: string, n: number) => `videos/${videoId}/slides/${String(n).padStart(3, '0')}.png`,
  slideAudio: (videoId: string, n: number, ext: string) => `videos/${videoId}/audio/${String(n).padStart(3, '0')}.${ext}`,
  /** A slide's video segment, named by what it shows (segmentFingerprint): a changed slide gets a new key. */
  slideSegment: (videoId: string, n: number, fingerprint: string) => `videos/${videoId}/segments/${String(n).padStart(3, '0')}-${fingerprint}.mp4`,
  /** A slide's narration as AAC frames for its window (audioChunkFingerprint), joined by bytes in the stitch. */
  slideAudioChunk: (videoId: string, n: number, fingerprint: string) => `videos/${videoId}/audio-chunks/${String(n).padStart(3, '0')}-${fingerprint}.aac`,
  /** The folders of the two above: intermediates, removed once the video is completed. */
  slideSegmentsFolder: (videoId: string) => `videos/${videoId}/segments`,
  slideAudioChunksFolder: (videoId: string) => `videos/${videoId}/audio-chunks`,
  video: (videoId: string) => `videos/${videoId}/video.mp4`,
  thumbnail: (videoId: string) => `videos/${videoId}/thumbnail.jpg`,
  captions: (videoId: string) => `videos/${videoId}/captions.vtt`,
  /** SubRip beside the WebVTT; videos stitched before it have only the WebVTT (the api converts). */
  captionsSrt: (videoId: string) => `videos/${videoId}/captions.srt`,
};

/** Content-addressed blobs shared between videos (the generation cache's audio). */
export const blobKey = (kind: string, sha256: string, ext: string) => `blobs/${kind}/${sha256.slice(0, 2)}/${sha256}.${ext}`;
