import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a request may read /metrics: always without METRICS_TOKEN, else only with
 * `Authorization: Bearer <token>`. Compared through hashes in constant time, so
 * neither the token's length nor its prefix leaks through timing.
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

/** The challenge a 401 from /metrics carries (RFC 6750). */
export const METRICS_CHALLENGE = 'Bearer realm="metrics"';
