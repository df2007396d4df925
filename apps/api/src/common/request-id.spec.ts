import type { IncomingMessage } from 'node:http';
import { requestId } from './request-id.js';

const withHeader = (value?: string | string[]) =>
  requestId({ headers: value === undefined ? {} : { 'x-request-id': value } } as unknown as IncomingMessage);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestId', () => {
  it("keeps a caller's printable id of up to 200 characters", () => {
    expect(withHeader('trace-0af7651916cd43dd8448eb211c80319c')).toBe('trace-0af7651916cd43dd8448eb211c80319c');
    expect(withHeader('x'.repeat(200))).toBe('x'.repeat(200));
    expect(withHeader(['first', 'second'])).toBe('first');
  });

  it('makes a UUID when there is none, or it is too long or not printable', () => {
    expect(withHeader()).toMatch(UUID);
    expect(withHeader('')).toMatch(UUID);
    expect(withHeader('x'.repeat(201))).toMatch(UUID);
    expect(withHeader('bad\u0000id')).toMatch(UUID);
    expect(withHeader('naïve')).toMatch(UUID);
  });
});
