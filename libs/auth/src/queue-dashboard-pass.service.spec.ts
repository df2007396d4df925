import { QUEUE_DASHBOARD_PATH, QueueDashboardPass } from './queue-dashboard-pass.service.js';
import { SignedUrlService } from './signed-url.service.js';

const config = {
  secretKey: 'k'.repeat(40),
  accessTokenExpireMinutes: 15,
  refreshTokenExpireDays: 30,
  bcryptCost: 4,
  signedUrlTtlSeconds: 3600,
  queueDashboardTtlSeconds: 300,
};
const pass = new QueueDashboardPass(config);
const NOW = 1_800_000_000_000;
const query = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

describe('QueueDashboardPass', () => {
  it('issues a link to the dashboard that verifies until it expires, as the user it was issued for', () => {
    const link = pass.issueLink('u1', NOW);
    expect(link.url.startsWith(`${QUEUE_DASHBOARD_PATH}?`)).toBe(true);
    expect(link.expiresAt.getTime()).toBe(NOW + 300_000);
    expect(pass.verifyLink(query(link.url), NOW + 299_999)).toEqual({ userId: 'u1', issuedAt: new Date(NOW) });
    expect(pass.verifyLink(query(link.url), NOW + 300_000)).toBeUndefined();
  });

  it('refuses a link with any part changed, missing or malformed, or signed with another key', () => {
    const q = query(pass.issueLink('u1', NOW).url);
    expect(pass.verifyLink({ ...q, uid: 'u2' }, NOW)).toBeUndefined();
    expect(pass.verifyLink({ ...q, iat: String(NOW - 1) }, NOW)).toBeUndefined();
    expect(pass.verifyLink({ ...q, expires: String(NOW + 600_000) }, NOW)).toBeUndefined();
    expect(pass.verifyLink({ ...q, sig: undefined }, NOW)).toBeUndefined();
    expect(pass.verifyLink({ ...q, expires: '1e20' }, NOW)).toBeUndefined();
    expect(pass.verifyLink({ ...q, uid: ['u1'] }, NOW)).toBeUndefined();
    expect(new QueueDashboardPass({ ...config, secretKey: 'j'.repeat(40) }).verifyLink(q, NOW)).toBeUndefined();
  });

  it('opens a session that keeps the link’s issue time and lasts the TTL from its opening; neither passes for the other, nor for a media link', () => {
    const link = pass.verifyLink(query(pass.issueLink('u1', NOW).url), NOW)!;
    const session = pass.openSession(link, NOW + 60_000);
    expect(session.maxAgeSeconds).toBe(300);
    expect(pass.verifySession(session.value, NOW + 359_999)).toEqual({ userId: 'u1', issuedAt: new Date(NOW) });
    expect(pass.verifySession(session.value, NOW + 360_000)).toBeUndefined();
    expect(pass.verifySession(undefined, NOW)).toBeUndefined();
    expect(pass.verifySession('a.b.c', NOW)).toBeUndefined();

    const [uid, iat, expires, sig] = session.value.split('.');
    expect(pass.verifyLink({ uid, iat, expires, sig }, NOW)).toBeUndefined();
    const q = query(pass.issueLink('u1', NOW).url);
    expect(pass.verifySession(`${q.uid}.${q.iat}.${q.expires}.${q.sig}`, NOW)).toBeUndefined();
    const media = query(new SignedUrlService(config).sign(QUEUE_DASHBOARD_PATH, 'u1', NOW));
    expect(pass.verifyLink(media, NOW)).toBeUndefined();
  });
});
