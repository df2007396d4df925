import { proportionalTiming, splitSentences } from './captions.js';

describe('captions without measured timing', () => {
  it('splits sentences, including CJK full stops, and drops empty ones', () => {
    expect(splitSentences('Hello there. How are you?  Fine!')).toEqual(['Hello there.', 'How are you?', 'Fine!']);
    expect(splitSentences('你好。世界！')).toEqual(['你好。', '世界！']);
    expect(splitSentences('No final stop')).toEqual(['No final stop']);
    expect(splitSentences(' ... ')).toEqual([]);
  });
  it('splits a slide without timing by sentence length (the fallback for old voiceovers)', () => {
    const t = proportionalTiming('Plants need light. They also need water and carbon dioxide to grow well.', 6);
    expect(t.granularity).toBe('phrase');
    expect(t.marks.map((m) => m.text)).toEqual(['Plants need light.', 'They also need water and carbon dioxide to grow well.']);
    expect(t.marks[0].startSeconds).toBe(0);
    expect(t.marks[1].endSeconds).toBeCloseTo(6, 9);
    expect(t.marks[1].startSeconds).toBe(t.marks[0].endSeconds);
    expect(t.marks[1].endSeconds - t.marks[1].startSeconds).toBeGreaterThan(2 * t.marks[0].endSeconds);
  });
});
