import { splitPhrases } from './phrases.js';
import { writtenWords } from './written-words.js';

describe('splitPhrases', () => {
  it('cuts after sentence and clause punctuation, keeping it on its phrase', () => {
    expect(splitPhrases('One, two; three: four. "Five!" Six? (seven), eight')).toEqual([
      'One,',
      'two;',
      'three:',
      'four.',
      '"Five!"',
      'Six?',
      '(seven),',
      'eight',
    ]);
  });

  it('attaches pieces with nothing to say to a neighbour, and cuts a long run of words', () => {
    expect(splitPhrases('— Hello there. … ! And more')).toEqual(['— Hello there. … !', 'And more']);
    expect(splitPhrases(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '), 12).map((p) => p.split(' ').length)).toEqual([12, 12, 6]);
    expect(splitPhrases('   ')).toEqual([]);
  });
});

describe('writtenWords', () => {
  it('keeps punctuation on its word and folds symbol-only chunks into a neighbour', () => {
    const w = writtenWords('— Hello,  world! $3.50 — “really” …');
    expect(w.words).toEqual(['— Hello,', 'world!', '$3.50 —', '“really” …']);
    expect(w.chunks).toHaveLength(7);
    expect(w.wordOfChunk).toEqual([0, 0, 1, 2, 2, 3, 3]);
  });
});
