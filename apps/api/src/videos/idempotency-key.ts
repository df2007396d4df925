import { createHash } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** 1..200 printable ASCII characters (space to tilde). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,200}$/;

/** The Idempotency-Key header (@Headers takes no pipes): absent is fine, anything but 1..200 printable ASCII is a 400. */
export function parseIdempotencyKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new BadRequestException('Idempotency-Key must be 1 to 200 printable ASCII characters');
  }
  return value;
}

/**
 * What "the same body" means for a repeated key: the validated request, its fields in a
 * fixed order, hashed. Whitespace the DTO trims and key order do not make two bodies differ.
 */
export function requestHash(body: object): string {
  const entries = Object.entries(body as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
