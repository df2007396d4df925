import { BadRequestException } from '@nestjs/common';
import { parseIdempotencyKey, requestHash } from './idempotency-key.js';

describe('parseIdempotencyKey', () => {
  it('lets an absent key through and keeps a valid one', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('order-42 ~!')).toBe('order-42 ~!');
    expect(parseIdempotencyKey('k'.repeat(200))).toBe('k'.repeat(200));
  });

  it.each<[unknown, string]>([
    ['', 'empty'],
    ['k'.repeat(201), 'too long'],
    ['caf\u00e9', 'not ASCII'],
    ['a\tb', 'a control character'],
    [['a', 'b'], 'repeated header'],
  ])('refuses %p (%s) with 400', (value) => {
    expect(() => parseIdempotencyKey(value)).toThrow(BadRequestException);
  });
});

describe('requestHash', () => {
  it('ignores key order and absent fields, and tells different bodies apart', () => {
    expect(requestHash({ prompt: 'a', slideCount: 3 })).toBe(requestHash({ slideCount: 3, prompt: 'a', title: undefined }));
    expect(requestHash({ prompt: 'a', slideCount: 3 })).not.toBe(requestHash({ prompt: 'a', slideCount: 4 }));
    expect(requestHash({ prompt: 'a' })).toMatch(/^[0-9a-f]{64}$/);
  });
});
