import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook, WebhookVerificationError } from './webhooks.js';

// verifyWebhook is checked against the Standard Webhooks reference library: what it signs,
// we accept; what we accept, it accepts.
const secret = `whsec_${randomBytes(24).toString('base64')}`;
const body = JSON.stringify({ type: 'video.completed', timestamp: '2026-12-01T10:00:00.000Z', data: { id: 'v1', metadata: { order: '42' } } });
const now = new Date('2026-12-01T10:00:05Z');

function signed(id = 'msg_1', at = now) {
  const signature = new Webhook(secret).sign(id, at, body);
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

describe('verifyWebhook', () => {
  it('accepts what the reference library signs, and returns the event', () => {
    const headers = signed();
    expect(verifyWebhook(body, headers, secret, now)).toEqual(JSON.parse(body));
    expect(verifyWebhook(Buffer.from(body), new Headers(headers), secret, now).type).toBe('video.completed');
    // And the reference library accepts the same delivery (its clock is the real one).
    const fresh = signed('msg_2', new Date());
    expect(new Webhook(secret).verify(body, fresh)).toEqual(JSON.parse(body));
  });

  it('accepts any one of several signatures (a secret being rotated)', () => {
    const headers = signed();
    const other = new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign('msg_1', now, body);
    expect(verifyWebhook(body, { ...headers, 'webhook-signature': `${other} ${headers['webhook-signature']}` }, secret, now).type).toBe('video.completed');
  });

  it.each([
    ['a changed body', (h: Record<string, string>) => ({ body: body.replace('42', '43'), headers: h })],
    ['another id', (h: Record<string, string>) => ({ body, headers: { ...h, 'webhook-id': 'msg_9' } })],
    ['a missing signature', (h: Record<string, string>) => ({ body, headers: { ...h, 'webhook-signature': '' } })],
    [
      'an unknown version',
      (h: Record<string, string>) => ({ body, headers: { ...h, 'webhook-signature': h['webhook-signature']!.replace('v1,', 'v2,') } }),
    ],
    [
      'a timestamp 10 minutes off',
      (h: Record<string, string>) => ({ body, headers: { ...h, 'webhook-timestamp': String(Number(h['webhook-timestamp']) - 600) } }),
    ],
  ])('refuses %s', (_what, change) => {
    const { body: b, headers } = change(signed());
    expect(() => verifyWebhook(b, headers, secret, now)).toThrow(WebhookVerificationError);
  });

  it('refuses a delivery signed with another secret', () => {
    const headers = signed();
    expect(() => verifyWebhook(body, headers, `whsec_${randomBytes(24).toString('base64')}`, now)).toThrow(/no webhook-signature matches/);
  });
});
