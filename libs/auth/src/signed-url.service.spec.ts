import { createHmac } from 'node:crypto';
import { SignedUrlService } from './signed-url.service.js';

const config = {
  secretKey: 'k'.repeat(40),
  accessTokenExpireMinutes: 15,
  refreshTokenExpireDays: 30,
  bcryptCost: 4,
  signedUrlTtlSeconds: 3600,
  queueDashboardTtlSeconds: 600,
};
const signer = new SignedUrlService(config);
const path = '/api/v1/videos/0b5f4a39-7c1e-4b1a-9a59-1d8c2f6b7e10/file';
const uid = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url, 'http://x').searchParams);
}

describe('SignedUrlService', () => {
  it('signs a path that verifies as its user, with the moment it was issued, until it expires', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
    const url = signer.sign(path, uid, now);
    expect(url.startsWith(`${path}?uid=${uid}&iat=${now}&expires=`)).toBe(true);
    const link = { userId: uid, issuedAt: new Date(now) };
    expect(signer.verify(path, query(url), now)).toEqual(link);
    expect(signer.verify(path, query(url), now + 3599_000)).toEqual(link);
    expect(signer.verify(path, query(url), now + 3601_000)).toBeUndefined();
  });

  it('binds the issue time: a link cannot be made to look issued later (after a password change)', () => {
    const q = query(signer.sign(path, uid));
    expect(signer.verify(path, { ...q, iat: String(Number(q.iat) + 60_000) })).toBeUndefined();
    expect(signer.verify(path, { ...q, iat: 'soon' })).toBeUndefined();
  });

  it('refuses links of the format without an issue time, even correctly signed ones', () => {
    const expires = Math.floor(Date.now() / 1000) + 600;
    const v1 = createHmac('sha256', config.secretKey).update(`blinked-asset\n${path}\n${uid}\n${expires}`).digest('base64url');
    expect(signer.verify(path, { uid, expires: String(expires), sig: v1 })).toBeUndefined();
  });

  it('refuses another path, another user, a changed expiry or a forged signature', () => {
    const q = query(signer.sign(path, uid));
    expect(signer.verify(path.replace('/file', '/thumbnail'), q)).toBeUndefined();
    expect(signer.verify(path, { ...q, uid: uid.replace('6f', '7f') })).toBeUndefined();
    expect(signer.verify(path, { ...q, expires: String(Number(q.expires) + 3600) })).toBeUndefined();
    expect(signer.verify(path, { ...q, sig: 'A'.repeat(43) })).toBeUndefined();
    expect(signer.verify(path, {})).toBeUndefined();
    expect(signer.verify(path, { ...q, expires: ['1'] as unknown as string })).toBeUndefined();
  });

  it('depends on the secret key', () => {
    const other = new SignedUrlService({ ...config, secretKey: 'o'.repeat(40) });
    expect(other.verify(path, query(signer.sign(path, uid)))).toBeUndefined();
  });
});
