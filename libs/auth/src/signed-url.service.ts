import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '@app/config';

export interface SignedQuery {
  uid?: unknown;
  expires?: unknown;
  sig?: unknown;
}

/**
 * Short-lived signed URLs for media a browser fetches by itself (<video src>,
 * <img src>, EventSource), which cannot send an Authorization header. The
 * signature binds the path, the user and the expiry, like a presigned S3 URL.
 */
@Injectable()
export class SignedUrlService {
  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  sign(path: string, userId: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.config.signedUrlTtlSeconds;
    return `${path}?uid=${userId}&expires=${expires}&sig=${this.signature(path, userId, expires)}`;
  }

  /** The user a signed request speaks for, or undefined when it is missing, forged, for another path or expired. */
  verify(path: string, query: SignedQuery, now = Date.now()): string | undefined {
    const { uid, expires, sig } = query;
    if (typeof uid !== 'string' || typeof expires !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(expires)) return undefined;
    if (Number(expires) * 1000 < now) return undefined;
    const expected = Buffer.from(this.signature(path, uid, Number(expires)));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given) ? uid : undefined;
  }

  private signature(path: string, userId: string, expires: number): string {
    // A purpose prefix keeps these signatures from ever being valid as anything else signed with the key.
    return createHmac('sha256', this.config.secretKey).update(`blinked-asset\n${path}\n${userId}\n${expires}`).digest('base64url');
  }
}
