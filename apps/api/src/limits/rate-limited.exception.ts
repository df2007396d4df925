import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A 429 that knows when to come back. The RateLimitInterceptor turns
 * `retryAfterSeconds` into the Retry-After header wherever it is thrown
 * (a guard, the interceptor itself, a service deep in a request).
 */
export class RateLimitedException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** "14 min", "3 h 12 min", "45 s": for messages people read. */
export function humanDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}
