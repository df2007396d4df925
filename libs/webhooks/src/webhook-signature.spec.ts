import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret } from './webhook-secret.js';
import { signatureHeaders, signatureOf } from './webhook-signature.js';

// Checked against the reference library (standardwebhooks on npm), not against our own code.
describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ type: 'video.completed', timestamp: '2026-01-01T00:00:00.000Z', data: { id: 'v', title: 'Tides 🌊' } });

  it('verify with the standardwebhooks library', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders(secret, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('match the library’s own signature for the same message', () => {
    const secret = newWebhookSecret();
    const at = new Date('2026-03-01T12:00:00Z');
    expect(signatureOf(secret, 'evt_1', at.getTime() / 1000, body)).toBe(new Webhook(secret).sign('evt_1', at, body));
  });

  it('fail verification with another secret, another body, another id or an old timestamp', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders(secret, 'evt_1', body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body.replace('Tides', 'Waves'), { ...headers })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow(WebhookVerificationError);
    const old = signatureHeaders(secret, 'evt_1', body, new Date(Date.now() - 10 * 60_000));
    expect(() => new Webhook(secret).verify(body, { ...old })).toThrow(/timestamp/i);
  });
});
