import { metadataProblem } from './video-metadata.js';

describe('metadataProblem', () => {
  it('accepts a flat object of strings within the limits', () => {
    expect(metadataProblem({})).toBeUndefined();
    expect(metadataProblem({ orderId: 'A-1001', 'lesson.id': '42', 'x:y_z-1': '' })).toBeUndefined();
    const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v']));
    expect(metadataProblem(sixteen)).toBeUndefined();
    // 2048 bytes exactly: a 1-byte key and 2047 bytes of value.
    expect(metadataProblem({ k: 'x'.repeat(2047) })).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [null, 'metadata must be an object whose values are strings'],
    [['a'], 'metadata must be an object whose values are strings'],
    ['orderId=1', 'metadata must be an object whose values are strings'],
    [Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])), 'metadata may have at most 16 keys (it has 17)'],
    [{ 'order id': '1' }, 'metadata key "order id" must be 1 to 40 letters, digits or "_.:-"'],
    [{ '': '1' }, 'metadata key "" must be 1 to 40 letters, digits or "_.:-"'],
    [{ ['k'.repeat(41)]: '1' }, `metadata key "${'k'.repeat(41)}" must be 1 to 40 letters, digits or "_.:-"`],
    [{ count: 3 }, 'metadata.count must be a string'],
    [{ nested: { a: 'b' } }, 'metadata.nested must be a string'],
    [{ k: 'x'.repeat(2048) }, 'metadata must be at most 2048 bytes in all (keys and values, UTF-8); it has 2049'],
    // Counted in UTF-8 bytes, not characters: 700 × "é" is 1400 bytes, twice that is too much.
    [{ a: 'é'.repeat(700), b: 'é'.repeat(700) }, 'metadata must be at most 2048 bytes in all (keys and values, UTF-8); it has 2802'],
  ])('refuses %p', (value, message) => {
    expect(metadataProblem(value)).toBe(message);
  });
});
