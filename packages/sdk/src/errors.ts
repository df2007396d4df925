import type { ErrorResponseDto, VideoDto } from './gen/index.js';

/** An error answer of the API (4xx/5xx), with the API's own message. */
export class BlinkedApiError extends Error {
  override readonly name = 'BlinkedApiError';
  constructor(
    readonly status: number,
    readonly body: ErrorResponseDto | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    super(body?.message ? `${status} ${body.message}` : `the API answered ${status}`);
  }
}

/** A video that ended failed or cancelled (or was deleted) while someone waited for it. */
export class BlinkedVideoError extends Error {
  override readonly name = 'BlinkedVideoError';
  constructor(
    readonly videoId: string,
    readonly status: VideoDto['status'] | 'deleted',
    readonly video?: VideoDto,
  ) {
    super(
      status === 'failed'
        ? `video ${videoId} failed: ${video?.error ?? 'no reason given'}`
        : status === 'cancelled'
          ? `video ${videoId} was cancelled`
          : `video ${videoId} was deleted`,
    );
  }
}

/** Throws the API's error for a generated function's `{ data, error, response }` result; returns the data otherwise. */
export function unwrap<T>(result: { data?: T; error?: unknown; response?: Response }): T {
  const { response } = result;
  if (result.error !== undefined || !response?.ok) {
    const retryAfter = Number(response?.headers.get('retry-after'));
    throw new BlinkedApiError(
      response?.status ?? 0,
      result.error as ErrorResponseDto | undefined,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return result.data as T;
}
