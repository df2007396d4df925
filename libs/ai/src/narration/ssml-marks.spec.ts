import { markedPieces, marksFromTimepoints, toMarkedSsml } from './ssml-marks.js';

describe('ssml-marks', () => {
  it('puts an escaped word after each mark and an end mark after the last', () => {
    expect(toMarkedSsml('A & <b> "c"')).toEqual({
      ssml: '<speak><mark name="w0"/>A &amp; <mark name="w1"/>&lt;b&gt; <mark name="w2"/>&quot;c&quot;<mark name="end"/></speak>',
      words: ['A &', '<b>', '"c"'],
    });
  });

  it('splits again when the marks push a piece over the limit', () => {
    const text = Array.from({ length: 300 }, () => 'Alpha b c d e f g h.').join(' ');
    const pieces = markedPieces(text, 5000);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) expect(Buffer.byteLength(p.ssml)).toBeLessThanOrEqual(5000);
    expect(pieces.flatMap((p) => p.words)).toEqual(text.split(' '));
  });

  it('times words from mark to mark, offset, keeping order when Google drops a mark', () => {
    const piece = toMarkedSsml('one two three');
    const marks = marksFromTimepoints(
      piece,
      [
        { markName: 'w0', timeSeconds: 0.1 },
        { markName: 'w2', timeSeconds: 0.9 },
        { markName: 'end', timeSeconds: 1.4 },
      ],
      2,
      1.5,
    );
    expect(marks).toEqual([
      { text: 'one', startSeconds: 2.1, endSeconds: 2.1 },
      { text: 'two', startSeconds: 2.1, endSeconds: 2.9 },
      { text: 'three', startSeconds: 2.9, endSeconds: 3.4 },
    ]);
  });
});
