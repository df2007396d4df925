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
 * fixed order, hashed. Whitespace the DTO trims and key order (at any depth: `metadata`
 * is an object) do not make two bodies differ. The top level stays a list of entries, as
 * it was hashed before nested fields existed, so keys stored then still match.
 */
export function requestHash(body: object): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedEntries(body as Record<string, unknown>)))
    .digest('hex');
}

function sortedEntries(object: Record<string, unknown>): [string, unknown][] {
  return Object.entries(object)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, isPlainObject(v) ? Object.fromEntries(sortedEntries(v)) : v]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
