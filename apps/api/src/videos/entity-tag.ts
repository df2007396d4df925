/**
 * Whether an If-None-Match header names this entity tag: `*`, or one of a comma-separated
 * list, weak (W/) or strong alike (RFC 9110 §13.1.2 compares weakly for GET).
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}
