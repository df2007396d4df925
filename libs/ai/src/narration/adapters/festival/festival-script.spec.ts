import { festivalChunk, festivalScript, groupChunks, schemeString } from './festival-script.js';

describe('festival-script', () => {
  it('escapes every character that could end a Scheme string', () => {
    expect(schemeString('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
    expect(schemeString('\\"); (quit)')).toBe('"\\\\\\"); (quit)"');
  });

  it('turns a chunk into printable ASCII without ever emptying it', () => {
    expect(festivalChunk('café')).toBe('cafe');
    expect(festivalChunk('“naïve”—')).toBe('"naive"-');
    expect(festivalChunk('日本')).toBe('-');
    expect(festivalChunk('a\u0000b\u007f')).toBe('ab');
  });

  it('ends an utterance at a sentence or clause end, or at the size limit', () => {
    expect(groupChunks(['One', 'two.', 'Three;', 'four', '"five."', 'six'])).toEqual([[0, 1], [2], [3, 4], [5]]);
    expect(groupChunks(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('writes only voice names that are Scheme identifiers and a numeric rate', () => {
    expect(() => festivalScript('x) (quit', 1, [])).toThrow(/not a Festival voice name/);
    expect(() => festivalScript('cmu_us_slt_arctic_hts', Number.NaN, [])).toThrow(/speaking rate/);
    const script = festivalScript('cmu_us_slt_arctic_hts', 1.25, [{ text: 'Hi "there"', wavPath: 'u0.wav' }]);
    expect(script).toContain('(voice_cmu_us_slt_arctic_hts)');
    expect(script).toContain('(list "-r" 1.250)');
    expect(script).toContain('(blinked_say "Hi \\"there\\"" "u0.wav" 0)');
  });
});
