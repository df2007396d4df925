import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, type Observable, switchMap, throwError } from 'rxjs';
import type { LimitsConfig } from '@app/config';
import type { AuthUser } from '@app/auth';
import { RedisLimiter } from './redis-limiter.js';
import { RateLimitedException } from './rate-limited.exception.js';

const WINDOW_MS = 60_000;

/**
 * Routes a browser drives on its own, not counted: a player seeks with many Range
 * requests and an EventSource reconnects, and neither should use up the user's
 * minute. (Health answers to nobody signed in, so it is never counted either.)
 */
const EXEMPT = /\/videos\/:id\/(file|thumbnail|captions|events)$/;

/**
 * The per-user request rate (RATE_LIMIT_PER_MINUTE), counted in Redis so all api
 * replicas share it, with the IETF draft RateLimit-* headers on every counted
 * answer. Runs after the guards, so it knows the user; requests nobody signed in
 * to are limited where it matters (sign-in, registration) by LoginThrottle.
 * It also gives every RateLimitedException, wherever thrown, its Retry-After.
 */
@Injectable()
export class RequestRateInterceptor implements NestInterceptor {
  private readonly perMinute: number;

  constructor(
    private readonly limiter: RedisLimiter,
    config: ConfigService,
  ) {
    this.perMinute = config.getOrThrow<LimitsConfig>('limits').requestsPerMinute;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: AuthUser }>();
    const reply = http.getResponse<FastifyReply>();
    const withRetryAfter = (e: unknown) => {
      if (e instanceof RateLimitedException) void reply.header('retry-after', String(e.retryAfterSeconds));
      return throwError(() => e);
    };
    const userId = request.user?.id;
    if (!userId || EXEMPT.test(request.routeOptions.url ?? '')) return next.handle().pipe(catchError(withRetryAfter));
    return from(this.count(userId, reply)).pipe(
      switchMap(() => next.handle()),
      catchError(withRetryAfter),
    );
  }

  private async count(userId: string, reply: FastifyReply): Promise<void> {
    const hit = await this.limiter.hit(`user:${userId}`, WINDOW_MS);
    if (!hit) return; // Redis did not answer: not enforced (RedisLimiter logs it).
    const resetSeconds = Math.max(1, Math.ceil(hit.resetMs / 1000));
    void reply
      .header('ratelimit-limit', String(this.perMinute))
      .header('ratelimit-remaining', String(Math.max(0, this.perMinute - hit.count)))
      .header('ratelimit-reset', String(resetSeconds))
      .header('ratelimit-policy', `${this.perMinute};w=60`);
    if (hit.count > this.perMinute) {
      throw new RateLimitedException(
        `Too many requests: your account may make ${this.perMinute} a minute (RATE_LIMIT_PER_MINUTE); try again in ${resetSeconds} s`,
        resetSeconds,
      );
    }
  }
}
