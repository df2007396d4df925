import { MAX_JSON_DEPTH, tooDeep } from './json-depth.js';

describe('tooDeep', () => {
  const arrays = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(tooDeep(arrays(MAX_JSON_DEPTH))).toBeUndefined();
    expect(tooDeep(arrays(MAX_JSON_DEPTH + 1))).toEqual({ field: undefined });
  });

  it('names the top-level field the deep value sits in, decoding its escapes', () => {
    expect(tooDeep(`{"ok":[1,{"a":"]]]"}],"b\\"\\u0041":${arrays(40)}}`)).toEqual({ field: 'b"A' });
    expect(tooDeep(`{"a":${'{"x":'.repeat(40)}1${'}'.repeat(40)}}`)).toEqual({ field: 'a' });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(tooDeep(JSON.stringify({ text: '['.repeat(1000) + '"\\"{{{' }))).toBeUndefined();
  });

  it('names nothing for a deep array at the top', () => {
    expect(tooDeep(`[{"a":${arrays(40)}}]`)).toEqual({ field: undefined });
  });

  it('leaves malformed text to the parser', () => {
    expect(tooDeep('{"a": [1, 2')).toBeUndefined();
    expect(tooDeep(']]]]')).toBeUndefined();
  });
});
