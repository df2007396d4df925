/**
 * How a video's public state is kept in Redis for the polling route: one string,
 * `<version>|<owner id>|<status>|<state JSON>` (the JSON last: it may hold any character),
 * or the tombstone `x|` of a deleted video. Pure, so it is unit-tested without Redis.
 */
export interface VideoSnapshot {
  /** videos.version: raised by every UPDATE of the row. */
  version: string;
  userId: string;
  status: string;
  /** JSON.stringify(toVideoState(…)). */
  stateJson: string;
}

export const TOMBSTONE = 'x|';

export function encodeSnapshot(s: VideoSnapshot): { version: string; payload: string } {
  return { version: s.version, payload: `${s.userId}|${s.status}|${s.stateJson}` };
}

/** The snapshot, 'deleted' for a tombstone, undefined for nothing (or anything unreadable: the database answers). */
export function decodeSnapshot(stored: string | null): VideoSnapshot | 'deleted' | undefined {
  if (stored === null) return undefined;
  if (stored === TOMBSTONE) return 'deleted';
  const a = stored.indexOf('|');
  const b = stored.indexOf('|', a + 1);
  const c = stored.indexOf('|', b + 1);
  if (a < 1 || b < 0 || c < 0 || !/^\d+$/.test(stored.slice(0, a))) return undefined;
  return { version: stored.slice(0, a), userId: stored.slice(a + 1, b), status: stored.slice(b + 1, c), stateJson: stored.slice(c + 1) };
}

/**
 * Compare-and-set: a snapshot replaces only an older one (a smaller version), never a
 * tombstone; the tombstone (ARGV[1] = 'x') replaces anything. Versions are compared as
 * numbers (a bigint counter far below 2^53). ARGV: version, payload, lifetime in ms.
 * Returns 1 when written.
 */
export const STORE_SNAPSHOT_SCRIPT = `
local old = redis.call('GET', KEYS[1])
if ARGV[1] == 'x' then
  redis.call('SET', KEYS[1], 'x|', 'PX', ARGV[3])
  return 1
end
if old then
  local v = string.match(old, '^(%d+)|')
  if v == nil or tonumber(v) >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1`;
