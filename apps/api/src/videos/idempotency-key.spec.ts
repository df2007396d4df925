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

  it('ignores the key order of metadata too, but not its values', () => {
    const a = requestHash({ prompt: 'a', metadata: { x: '1', y: '2' } });
    expect(requestHash({ metadata: { y: '2', x: '1' }, prompt: 'a' })).toBe(a);
    expect(requestHash({ prompt: 'a', metadata: { x: '1', y: '3' } })).not.toBe(a);
    expect(requestHash({ prompt: 'a', metadata: {} })).not.toBe(requestHash({ prompt: 'a' }));
  });

  it('hashes a flat body as it always did (keys stored before metadata existed still match)', () => {
    // sha256 of JSON.stringify([["prompt","a"],["slideCount",3]]), the format of the first release.
    expect(requestHash({ slideCount: 3, prompt: 'a' })).toBe('8ede7cf19581b923cd957275c8f75f9f99e85be9ab85233d6602ed4a979041f4');
  });
});
