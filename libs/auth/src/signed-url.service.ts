import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '@app/config';

export interface SignedQuery {
  uid?: unknown;
  iat?: unknown;
  expires?: unknown;
  sig?: unknown;
}

/** Who a valid link speaks for, and when it was issued (to compare with the account's tokens_valid_after). */
export interface SignedLink {
  userId: string;
  issuedAt: Date;
}

/**
 * Short-lived signed URLs for media a browser fetches by itself (<video src>,
 * <img src>, EventSource), which cannot send an Authorization header. The
 * signature binds the path, the user, the issue time and the expiry, like a
 * presigned S3 URL. The issue time (milliseconds) lets MediaAuthGuard refuse links
 * issued before a password change or a disable, as access tokens are; links made
 * before it was signed (no `iat`) are simply refused, and clients fetch fresh ones.
 */
@Injectable()
export class SignedUrlService {
  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  sign(path: string, userId: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.config.signedUrlTtlSeconds;
    return `${path}?uid=${userId}&iat=${now}&expires=${expires}&sig=${this.signature(path, userId, now, expires)}`;
  }

  /** The link's user and issue time, or undefined when it is missing, forged, for another path, expired or of the old format. */
  verify(path: string, query: SignedQuery, now = Date.now()): SignedLink | undefined {
    const { uid, iat, expires, sig } = query;
    if (typeof uid !== 'string' || typeof iat !== 'string' || typeof expires !== 'string' || typeof sig !== 'string') return undefined;
    if (!/^\d{1,12}$/.test(expires) || !/^\d{1,15}$/.test(iat)) return undefined;
    if (Number(expires) * 1000 < now) return undefined;
    const expected = Buffer.from(this.signature(path, uid, Number(iat), Number(expires)));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return { userId: uid, issuedAt: new Date(Number(iat)) };
  }

  private signature(path: string, userId: string, issuedAtMs: number, expires: number): string {
    // A purpose prefix keeps these signatures from ever being valid as anything else signed with the key;
    // its version keeps links of the format without an issue time from verifying as this one.
    return createHmac('sha256', this.config.secretKey).update(`blinked-asset-v2\n${path}\n${userId}\n${issuedAtMs}\n${expires}`).digest('base64url');
  }
}
