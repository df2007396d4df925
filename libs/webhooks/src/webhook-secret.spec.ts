import { newWebhookSecret, WebhookSecretBox, WebhookSecretUnreadable } from './webhook-secret.js';

const KEY = 'k'.repeat(48);
const ENDPOINT = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

describe('webhook secrets', () => {
  it('are whsec_ and the base64 of 32 random bytes, never the same twice', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('are stored encrypted: the stored form holds no trace of the secret and opens to it again', () => {
    const box = new WebhookSecretBox(KEY);
    const secret = newWebhookSecret();
    const stored = box.seal(secret, ENDPOINT);
    expect(stored).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(box.seal(secret, ENDPOINT)).not.toBe(stored); // a fresh IV every time
    expect(new WebhookSecretBox(KEY).open(stored, ENDPOINT)).toBe(secret);
  });

  it('do not open with another SECRET_KEY, on another endpoint, or when altered', () => {
    const stored = new WebhookSecretBox(KEY).seal(newWebhookSecret(), ENDPOINT);
    expect(() => new WebhookSecretBox('o'.repeat(48)).open(stored, ENDPOINT)).toThrow(/SECRET_KEY is not the one it was stored with/);
    expect(() => new WebhookSecretBox(KEY).open(stored, ENDPOINT.replace('6f', '7f'))).toThrow(WebhookSecretUnreadable);
    const altered = stored.slice(0, -2) + (stored.endsWith('A') ? 'BB' : 'AA');
    expect(() => new WebhookSecretBox(KEY).open(altered, ENDPOINT)).toThrow(WebhookSecretUnreadable);
    expect(() => new WebhookSecretBox(KEY).open('plain', ENDPOINT)).toThrow('the stored webhook secret has an unknown format');
  });
});
