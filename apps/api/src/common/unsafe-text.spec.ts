import { findUnsafeText } from './unsafe-text.js';

describe('findUnsafeText', () => {
  it('finds NUL and unpaired surrogates, naming the path', () => {
    expect(findUnsafeText({ email: 'a\u0000b' })).toBe('email');
    expect(findUnsafeText({ a: 'ok', b: ['x', 'y\ud800'] })).toBe('b[1]');
    expect(findUnsafeText({ a: { b: '\udc00z' } })).toBe('a.b');
    expect(findUnsafeText('\ud83d', 'prompt')).toBe('prompt');
    expect(findUnsafeText('\u0000')).toBe('value');
  });

  it('checks keys too, without repeating the bad characters', () => {
    expect(findUnsafeText({ 'x\u0000y': 1 })).toBe('x\ufffdy');
  });

  it('names the shallowest field first', () => {
    expect(findUnsafeText({ deep: { er: '\u0000' }, top: '\u0000' })).toBe('top');
  });

  it('accepts well-formed text, emoji and other control characters included', () => {
    expect(findUnsafeText({ a: 'Sky 🌤 \t\n\u0001 — 日本', n: 1, z: null, t: true, l: [] })).toBeUndefined();
  });
});
