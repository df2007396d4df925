import type { Client } from './gen/client/index.js';
import { BlinkedVideoError, unwrap } from './errors.js';
import { type GenerateVideoDto, type VideoDto, videosGenerate, videosGet, videosStream } from './gen/index.js';

export interface GenerateAndWaitOptions {
  /** Called with the video on each change of status, stage or progress. */
  onProgress?: (video: VideoDto) => void;
  /** Aborting stops waiting (the video goes on; cancel it with videosCancel if wanted). */
  signal?: AbortSignal;
  /** Sent as Idempotency-Key, so a retried submit never makes a second video. */
  idempotencyKey?: string;
  /** How often to poll once the event stream has broken; default 2000 ms. */
  pollIntervalMs?: number;
}

const TERMINAL = new Set<VideoDto['status']>(['completed', 'failed', 'cancelled']);

/**
 * Submits a video and follows it to the end: over the event stream while it lasts, by
 * polling GET /videos/{id} when it breaks (a proxy cutting long streams, a restart).
 * Resolves with the completed video; rejects with BlinkedVideoError when it fails, is
 * cancelled or deleted, and with BlinkedApiError when the API refuses the request.
 */
export async function generateAndWait(client: Client, request: GenerateVideoDto, options: GenerateAndWaitOptions = {}): Promise<VideoDto> {
  const { signal, onProgress } = options;
  const headers = options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : undefined;
  let last = unwrap(await videosGenerate({ client, body: request, headers, signal }));
  const seen = (video: VideoDto) => {
    if (video.status !== last.status || video.stage !== last.stage || video.progress !== last.progress) onProgress?.(video);
    last = video;
  };
  onProgress?.(last);

  let deleted = false;
  if (!TERMINAL.has(last.status)) {
    try {
      // One attempt: when the stream breaks, polling takes over instead of the SSE client's own retries.
      const { stream } = await videosStream({ client, path: { id: last.id }, signal, sseMaxRetryAttempts: 1 });
      for await (const data of stream) {
        const event = data as VideoDto | { id: string; status?: undefined };
        if (!event.status) {
          deleted = true;
          break;
        }
        seen(event);
        if (TERMINAL.has(event.status)) break;
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      // A broken stream: fall through to polling.
    }
  }
  while (!deleted && !TERMINAL.has(last.status)) {
    await pause(options.pollIntervalMs ?? 2000, signal);
    const result = await videosGet({ client, path: { id: last.id }, signal });
    if (result.response?.status === 404) deleted = true;
    else seen(unwrap(result));
  }
  if (deleted) throw new BlinkedVideoError(last.id, 'deleted');
  if (last.status !== 'completed') throw new BlinkedVideoError(last.id, last.status, last);
  return last;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
