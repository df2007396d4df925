import { BadRequestException } from '@nestjs/common';
import { VideoStatus } from '@app/db';
import { CURSOR_INVALID, decodeCursor, encodeCursor } from './video-cursor.js';

const KEY = { createdAt: '2026-12-01T17:19:01.123456Z', id: '3f2b8c1e-0d4a-4b6e-9f10-2a3b4c5d6e7f' };
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const body = (over: Record<string, unknown>) => b64({ v: 1, t: KEY.createdAt, id: KEY.id, s: null, p: 2, ...over });

function refusal(cursor: string, status?: VideoStatus): string {
  try {
    decodeCursor(cursor, status);
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequestException);
    return (e as BadRequestException).message;
  }
  throw new Error('the cursor was accepted');
}

describe('video list cursor', () => {
  it('round-trips the key to the microsecond and the page number, with and without a status filter', () => {
    expect(decodeCursor(encodeCursor(KEY, undefined, 2), undefined)).toEqual({ after: KEY, page: 2 });
    expect(decodeCursor(encodeCursor(KEY, VideoStatus.Failed, 7), VideoStatus.Failed)).toEqual({ after: KEY, page: 7 });
  });

  it('refuses a cursor made for another status filter', () => {
    expect(refusal(encodeCursor(KEY, VideoStatus.Failed, 2), undefined)).toMatch(/cursor was made for status=failed/);
    expect(refusal(encodeCursor(KEY, undefined, 2), VideoStatus.Completed)).toMatch(/cursor was made for no status filter/);
    expect(refusal(encodeCursor(KEY, VideoStatus.Failed, 2), VideoStatus.Completed)).toMatch(/status=failed/);
  });

  it.each([
    ['an empty string', ''],
    ['random text', 'hello world'],
    ['not base64url', 'abc+/='],
    ['a huge string', 'A'.repeat(100_000)],
    ['base64 of junk', b64('{not json')],
    ['base64 of a JSON array', b64([1, 2])],
    ['base64 of null', b64(null)],
    ['base64 of a number', b64(42)],
    ['another version', body({ v: 2 })],
    ['a missing id', body({ id: undefined })],
    ['a non-uuid id', body({ id: "1' OR '1'='1" })],
    ['an upper-case id', body({ id: KEY.id.toUpperCase() })],
    ['a numeric id', body({ id: 7 })],
    ['a date without microseconds', body({ t: '2026-12-01T17:19:01.123Z' })],
    ['a date in another zone', body({ t: '2026-12-01T17:19:01.123456+01:00' })],
    ['an impossible date', body({ t: '2026-02-30T00:00:00.000000Z' })],
    ['a date before 1970', body({ t: '0000-01-01T00:00:00.000000Z' })],
    ['a numeric date', body({ t: 1764600000000 })],
    ['an unknown status', body({ s: 'done' })],
    ['an extra field', body({ x: 1 })],
    ['a missing page', body({ p: undefined })],
    ['page 1 (a cursor always leads past the first page)', body({ p: 1 })],
    ['a fractional page', body({ p: 2.5 })],
    ['a page past safe integers', body({ p: 2 ** 60 })],
    ['a string page', body({ p: '3' })],
    ['a proto key', b64(`{"v":1,"t":"${KEY.createdAt}","id":"${KEY.id}","s":null,"p":2,"__proto__":{"a":1}}`)],
  ])('refuses %s', (_name, cursor) => {
    expect(refusal(cursor)).toBe(CURSOR_INVALID);
  });
});
