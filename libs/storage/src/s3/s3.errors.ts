/** The fields of the SDK's service errors this driver looks at. */
interface ServiceErrorShape {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

function shape(e: unknown): ServiceErrorShape {
  return typeof e === 'object' && e !== null ? (e as ServiceErrorShape) : {};
}

/**
 * No such object. GET answers NoSuchKey; HEAD has no body, so its 404 arrives as
 * NotFound. A missing bucket is not a missing object: it stays an error.
 */
export function isMissingObject(e: unknown): boolean {
  const { name, $metadata } = shape(e);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

/** A range that starts at or past the end of the object (HTTP 416). */
export function isInvalidRange(e: unknown): boolean {
  const { name, $metadata } = shape(e);
  return name === 'InvalidRange' || $metadata?.httpStatusCode === 416;
}
