import type { Logger } from '@nestjs/common';

/**
 * A Redis command that must not hold a request up: rejects after `ms` whatever the
 * connection does (the api's clients have no offline queue, but a half-open socket or a
 * stalled server would otherwise leave the promise pending until the socket gives up).
 */
export async function withinMs<T>(operation: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([operation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A warning about Redis logged at most once per `everyMs`: an outage would otherwise log per request. */
export class ThrottledWarning {
  private last = 0;

  constructor(
    private readonly logger: Logger,
    private readonly everyMs = 30_000,
  ) {}

  warn(text: string, now = Date.now()): void {
    if (now - this.last < this.everyMs) return;
    this.last = now;
    this.logger.warn(`Redis ${text}`);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
