import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A client's own labels on a video (an order number, a lesson id), stored with it and
 * returned in the video resource and every webhook event, so the client can correlate
 * without keeping our ids. Small and flat on purpose: it rides along in every event body.
 */
export const METADATA_LIMITS = { keys: 16, bytes: 2048, keyLength: 40 } as const;
const KEY = new RegExp(`^[A-Za-z0-9_.:-]{1,${METADATA_LIMITS.keyLength}}$`);

export type VideoMetadata = Record<string, string>;

/** What is wrong with `value` as metadata, in words naming the field; undefined when it is fine. */
export function metadataProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'metadata must be an object whose values are strings';
  const entries = Object.entries(value);
  if (entries.length > METADATA_LIMITS.keys) return `metadata may have at most ${METADATA_LIMITS.keys} keys (it has ${entries.length})`;
  let bytes = 0;
  for (const [key, v] of entries) {
    if (!KEY.test(key)) {
      return `metadata key ${JSON.stringify(key.slice(0, 50))} must be 1 to ${METADATA_LIMITS.keyLength} letters, digits or "_.:-"`;
    }
    if (typeof v !== 'string') return `metadata.${key} must be a string`;
    bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  if (bytes > METADATA_LIMITS.bytes) {
    return `metadata must be at most ${METADATA_LIMITS.bytes} bytes in all (keys and values, UTF-8); it has ${bytes}`;
  }
  return undefined;
}

export function IsVideoMetadata(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isVideoMetadata',
      validator: {
        validate: (value: unknown) => metadataProblem(value) === undefined,
        defaultMessage: (args) => metadataProblem(args?.value) ?? 'metadata is invalid',
      },
    },
    options,
  );
}
