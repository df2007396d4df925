import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from './webhook-signature.js';

/** 32 random bytes: Standard Webhooks asks for 24 to 64. */
const SECRET_BYTES = 32;
const VERSION = 'v1';

/** A new signing secret for an endpoint, shown to its owner once. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The stored secret cannot be read: SECRET_KEY changed since it was stored, or the row was tampered with. */
export class WebhookSecretUnreadable extends Error {
  override readonly name = 'WebhookSecretUnreadable';
}

/**
 * Keeps endpoint secrets encrypted at rest. The worker must sign with the secret itself,
 * so it cannot be stored hashed; encrypted, a copy of the database (a backup, a replica, a
 * leaked dump) reveals no secret without SECRET_KEY, which lives only in the processes'
 * environment. AES-256-GCM with a key derived from SECRET_KEY by HKDF (its own purpose
 * label, so the key is never the one that signs tokens), a random IV per secret, and the
 * endpoint's id as associated data: a ciphertext moved onto another endpoint's row does
 * not decrypt. The price: a new SECRET_KEY makes the stored secrets unreadable, and those
 * endpoints must be created again (deliveries say so).
 */
export class WebhookSecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'blinked', 'webhook signing secrets v1', 32));
  }

  seal(secret: string, endpointId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(endpointId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  open(stored: string, endpointId: string): string {
    const [version, iv, sealed] = stored.split('.');
    if (version !== VERSION || !iv || !sealed) throw new WebhookSecretUnreadable('the stored webhook secret has an unknown format');
    const bytes = Buffer.from(sealed, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(endpointId));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new WebhookSecretUnreadable(
        "the endpoint's signing secret cannot be decrypted: SECRET_KEY is not the one it was stored with (the api and every worker must share one); create the endpoint again",
      );
    }
  }
}
