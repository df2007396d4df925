import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LimitsConfig } from '@app/config';
import { addressKey } from './client-address.js';
import { type Hit, RedisLimiter } from './redis-limiter.js';
import { humanDuration, RateLimitedException } from './rate-limited.exception.js';

/** What a sign-in attempt counted, so a success can take it back. */
export interface LoginAttempt {
  accountKey: string;
  ipKey: string;
  ipCounted: boolean;
}

const HOUR_MS = 3600_000;

/**
 * Sign-in and registration limits. An attempt is counted before the password is
 * checked, so twenty attempts sent at once cannot all slip under the limit; a
 * successful sign-in then clears its account's count and takes its address's hit back.
 * Accounts are keyed by a hash of the normalised email, whether or not it exists,
 * so the answer never tells which emails have accounts (nor are emails kept in Redis).
 */
@Injectable()
export class LoginThrottle {
  private readonly limits: LimitsConfig;

  constructor(
    private readonly limiter: RedisLimiter,
    config: ConfigService,
  ) {
    this.limits = config.getOrThrow<LimitsConfig>('limits');
  }

  /** Counts the attempt; throws 429 when the account or the address has failed too often. */
  async attempt(email: string, ip: string): Promise<LoginAttempt> {
    const { maxFailuresPerAccount, maxFailuresPerIp, windowSeconds } = this.limits.login;
    const attempt: LoginAttempt = { accountKey: `login-account:${emailKey(email)}`, ipKey: `login-ip:${addressKey(ip)}`, ipCounted: false };
    const [account, address] = await Promise.all([
      this.limiter.hit(attempt.accountKey, windowSeconds * 1000),
      this.limiter.hit(attempt.ipKey, windowSeconds * 1000),
    ]);
    attempt.ipCounted = address !== undefined;
    const window = humanDuration(windowSeconds);
    if (over(account, maxFailuresPerAccount)) {
      throw refusal(
        account,
        `Too many failed sign-ins for this account (${maxFailuresPerAccount} in ${window}, LOGIN_MAX_FAILURES); try again in ${humanDuration(account.resetMs / 1000)}`,
      );
    }
    if (over(address, maxFailuresPerIp)) {
      throw refusal(
        address,
        `Too many failed sign-ins from your address (${maxFailuresPerIp} in ${window}, LOGIN_MAX_FAILURES_PER_IP); try again in ${humanDuration(address.resetMs / 1000)}`,
      );
    }
    return attempt;
  }

  /** The password was right: the account starts afresh, and the address's hit was no failure. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await Promise.all([this.limiter.reset(attempt.accountKey), attempt.ipCounted ? this.limiter.undo(attempt.ipKey) : undefined]);
  }

  /** Counts a registration from `ip`; throws 429 past REGISTER_PER_IP_PER_HOUR. */
  async register(ip: string): Promise<void> {
    const max = this.limits.registerPerIpPerHour;
    const hit = await this.limiter.hit(`register-ip:${addressKey(ip)}`, HOUR_MS);
    if (over(hit, max)) {
      throw refusal(
        hit,
        `Too many registrations from your address (${max} an hour, REGISTER_PER_IP_PER_HOUR); try again in ${humanDuration(hit.resetMs / 1000)}`,
      );
    }
  }
}

function over(hit: Hit | undefined, max: number): hit is Hit {
  return hit !== undefined && hit.count > max;
}

function refusal(hit: Hit, message: string): RateLimitedException {
  return new RateLimitedException(message, Math.max(1, Math.ceil(hit.resetMs / 1000)));
}

/** Trimmed and lower-cased as accounts are stored, then hashed: one key per account, no email in Redis. */
export function emailKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}
