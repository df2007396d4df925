import { BadRequestException } from '@nestjs/common';
import { type VideoListKey, VideoStatus } from '@app/db';

/**
 * The `cursor` of GET /videos: base64url JSON of the last listed video's place in the
 * order (created_at to the microsecond, as PostgreSQL wrote it, and id) and the status
 * filter it was made for. Opaque to clients and carrying nothing secret: a cursor edited
 * into another well-formed place only pages the caller's own videos from there, so it is
 * validated strictly but not signed.
 */
interface CursorBody {
  v: 1;
  /** created_at in UTC with six fractional digits: JS Date has milliseconds only, so the text is kept. */
  t: string;
  id: string;
  /** The status filter of the request that made the cursor, null for none. */
  s: VideoStatus | null;
  /** The number of the page it leads to: the answer's `page` stays a number without counting rows. */
  p: number;
}

/** Where a cursor leads: after which video, and which page number that is. */
export interface CursorPlace {
  after: VideoListKey;
  page: number;
}

export const CURSOR_INVALID = 'cursor is not valid; start again without it';
export const CURSOR_MAX_LENGTH = 300;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const TIMESTAMP = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.(\d{3})\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES = new Set<unknown>(Object.values(VideoStatus));

export function encodeCursor(key: VideoListKey, status: VideoStatus | undefined, page: number): string {
  const body: CursorBody = { v: 1, t: key.createdAt, id: key.id, s: status ?? null, p: page };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The key after which to list, or 400 for anything but a cursor this api made for the same filter. */
export function decodeCursor(cursor: string, status: VideoStatus | undefined): CursorPlace {
  const body = parse(cursor);
  if (!body) throw new BadRequestException(CURSOR_INVALID);
  if (body.s !== (status ?? null)) {
    throw new BadRequestException(
      `cursor was made for ${body.s === null ? 'no status filter' : `status=${body.s}`}: ask with the same filter, or start again without the cursor`,
    );
  }
  return { after: { createdAt: body.t, id: body.id }, page: body.p };
}

function parse(cursor: string): CursorBody | undefined {
  if (cursor.length > CURSOR_MAX_LENGTH || !BASE64URL.test(cursor)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { v, t, id, s, p, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length || v !== 1 || typeof id !== 'string' || !UUID.test(id)) return undefined;
  if (!(s === null || STATUSES.has(s)) || typeof t !== 'string' || !validTimestamp(t)) return undefined;
  if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 2) return undefined;
  return { v, t, id, s: s as VideoStatus | null, p };
}

/** A real instant (no 31 February) from 1970 to 9999, as PostgreSQL and the regex both read it. */
function validTimestamp(t: string): boolean {
  const m = TIMESTAMP.exec(t);
  if (!m || Number(m[1]) < 1970) return false;
  const ms = `${t.slice(0, 23)}Z`;
  const date = new Date(ms);
  return !Number.isNaN(date.getTime()) && date.toISOString() === ms;
}
