import { type Client, unwrap, type VideoDto, videosGet, videosStream } from '@blinked/sdk';

export interface FollowOptions {
  /** Stop waiting after this long and answer with the video as it stands. */
  waitMs: number;
  /** The call's own signal: cancelled by the client, or the server shutting down. */
  signal: AbortSignal;
  /** Called with the video on each change. */
  onChange(video: VideoDto): Promise<void>;
  /** How often to poll once the event stream has broken. */
  pollIntervalMs?: number;
}

export type FollowOutcome = { outcome: 'finished' | 'waiting'; video: VideoDto } | { outcome: 'deleted'; video: VideoDto };

const TERMINAL = new Set<VideoDto['status']>(['completed', 'failed', 'cancelled']);

/**
 * Follows a video for at most `waitMs`, over its event stream while that lasts and by
 * polling GET /videos/{id} when it breaks, as the SDK's generateAndWait does; unlike it,
 * running out of time is an answer here (the video as it stands), not an error, because a
 * tool call must come back while the video goes on being made.
 */
export async function followVideo(client: Client, video: VideoDto, options: FollowOptions): Promise<FollowOutcome> {
  let last = video;
  if (TERMINAL.has(last.status) || options.waitMs <= 0) return { outcome: TERMINAL.has(last.status) ? 'finished' : 'waiting', video: last };
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.waitMs)]);
  const seen = async (next: VideoDto) => {
    const changed = next.status !== last.status || next.stage !== last.stage || next.progress !== last.progress;
    last = next;
    if (changed) await options.onChange(next);
  };

  try {
    // One attempt: when the stream breaks, polling takes over instead of the SSE client's own retries.
    // An abort ends the stream quietly (the SSE client swallows it), so the loop below sees it.
    const { stream } = await videosStream({ client, path: { id: last.id }, signal, sseMaxRetryAttempts: 1 });
    for await (const data of stream) {
      const event = data as VideoDto | { id: string; status?: undefined };
      if (!event.status) return { outcome: 'deleted', video: last };
      await seen(event);
      if (TERMINAL.has(event.status)) return { outcome: 'finished', video: last };
    }
  } catch (e) {
    if (!signal.aborted) throw e;
  }
  while (!signal.aborted) {
    if (!(await pause(options.pollIntervalMs ?? 2000, signal))) break;
    const result = await videosGet({ client, path: { id: last.id }, signal }).catch((e: unknown) => {
      if (signal.aborted) return undefined;
      throw e;
    });
    if (!result) break;
    if (result.response?.status === 404) return { outcome: 'deleted', video: last };
    await seen(unwrap(result));
    if (TERMINAL.has(last.status)) return { outcome: 'finished', video: last };
  }
  return { outcome: 'waiting', video: last };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
