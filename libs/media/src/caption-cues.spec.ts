import type { SpeechMark, SpeechTiming } from '@app/common';
import { AUDIO_LEAD_SECONDS as LEAD } from './timeline.js';
import { buildCaptionCues, type CaptionCue, type CaptionSlide, MAX_CUE_SECONDS, MAX_LINE_CHARS, MIN_CUE_SECONDS, textWidth } from './caption-cues.js';

/** Word marks spoken back to back at a steady pace, the way Festival reports them. */
function wordTiming(text: string, secondsPerWord = 0.35, offset = 0.1): SpeechTiming {
  const marks: SpeechMark[] = text
    .split(/\s+/)
    .filter(Boolean)
    .map((w, i) => ({ text: w, startSeconds: offset + i * secondsPerWord, endSeconds: offset + (i + 1) * secondsPerWord }));
  return { granularity: 'word', marks };
}

/** The rules every cue set must keep, whatever the text. */
function expectWellFormed(cues: CaptionCue[], slides: CaptionSlide[]): void {
  for (const [k, c] of cues.entries()) {
    const w = slides[c.slideIndex]!;
    expect(c.lines.length).toBeGreaterThanOrEqual(1);
    expect(c.lines.length).toBeLessThanOrEqual(2);
    for (const l of c.lines) expect(textWidth(l)).toBeLessThanOrEqual(MAX_LINE_CHARS);
    expect(c.startSeconds).toBeGreaterThanOrEqual(w.startSeconds);
    expect(c.endSeconds).toBeLessThanOrEqual(w.endSeconds);
    expect(c.startSeconds).toBeLessThan(w.endSeconds);
    expect(c.endSeconds).toBeGreaterThan(c.startSeconds);
    if (k > 0) expect(c.startSeconds).toBeGreaterThanOrEqual(cues[k - 1]!.endSeconds);
    // The words, placed on their lines, spell the lines exactly (the word style draws them so).
    const rebuilt = c.lines.map((_, l) =>
      c.words
        .filter((w) => w.line === l)
        .map((w, i) => (i > 0 && !w.glued ? ' ' : '') + w.text)
        .join(''),
    );
    expect(rebuilt).toEqual(c.lines);
    for (const word of c.words) {
      expect(word.startSeconds).toBeGreaterThanOrEqual(c.startSeconds);
      expect(word.endSeconds).toBeLessThanOrEqual(c.endSeconds);
    }
  }
}
const textOf = (cues: CaptionCue[], glue = ' ') => cues.map((c) => c.lines.join(glue)).join(glue);

describe('caption cues', () => {
  it('breaks at sentence ends first, with cue times from the first and last word', () => {
    const narration = 'Plants need light to grow. They also need water, air and good soil to make their food every day.';
    const slides = [{ narration, timing: wordTiming(narration), startSeconds: 10, endSeconds: 17 }];
    const cues = buildCaptionCues(slides);
    expectWellFormed(cues, slides);
    expect(cues[0]!.lines.join(' ')).toBe('Plants need light to grow.');
    // Marks count from the narration's start, one AAC lead frame into the window (timeline.ts).
    expect(cues[0]!.startSeconds).toBeCloseTo(10 + LEAD + 0.1, 6);
    expect(cues[0]!.endSeconds).toBeCloseTo(10 + LEAD + 0.1 + 5 * 0.35, 6);
    expect(cues[0]!.words.map((w) => w.text)).toEqual(['Plants', 'need', 'light', 'to', 'grow.']);
    expect(cues[0]!.words[2]).toEqual({
      text: 'light',
      startSeconds: expect.closeTo(10 + LEAD + 0.8, 6),
      endSeconds: expect.closeTo(10 + LEAD + 1.15, 6),
      line: 0,
      glued: false,
    });
    expect(textOf(cues)).toBe(narration);
    for (const c of cues) expect(c.endSeconds - c.startSeconds).toBeLessThanOrEqual(MAX_CUE_SECONDS);
  });

  it('prefers a comma, then a conjunction, to any word boundary', () => {
    const narration =
      'Volcanoes form where hot magma from deep below reaches the surface, and the lava cools into new rock that builds mountains over time';
    const cues = buildCaptionCues([{ narration, timing: wordTiming(narration, 0.2), startSeconds: 0, endSeconds: 30 }]);
    expect(cues.length).toBeGreaterThan(1);
    expect(cues[0]!.lines.join(' ')).toMatch(/surface,$/);
    const conj = 'Rivers carry sand and mud down from the mountains toward the sea because water always flows downhill to the lowest place it can find';
    const c2 = buildCaptionCues([{ narration: conj, timing: wordTiming(conj, 0.2), startSeconds: 0, endSeconds: 30 }]);
    expect(c2[1]!.lines[0]).toMatch(/^because /);
  });

  it('keeps long narration in cues of at most 7 s and 2 lines of 42, never leaving the slide', () => {
    const sentence = 'The water cycle moves water between the oceans, the air and the land, ';
    const narration = sentence
      .repeat(Math.ceil(1500 / sentence.length))
      .slice(0, 1500)
      .trim();
    const timing = wordTiming(narration, 0.3);
    const end = timing.marks.at(-1)!.endSeconds + 0.6;
    const slides = [
      { narration: 'Intro.', timing: wordTiming('Intro.'), startSeconds: 0, endSeconds: 1.2 },
      { narration, timing, startSeconds: 1.2, endSeconds: 1.2 + end },
      { narration: 'Bye.', timing: wordTiming('Bye.'), startSeconds: 1.2 + end, endSeconds: 3 + end },
    ];
    const cues = buildCaptionCues(slides);
    expectWellFormed(cues, slides);
    expect(cues.filter((c) => c.slideIndex === 1).length).toBeGreaterThan(15);
    for (const c of cues) expect(c.endSeconds - c.startSeconds).toBeLessThanOrEqual(MAX_CUE_SECONDS);
    expect(textOf(cues.filter((c) => c.slideIndex === 1))).toBe(narration.replace(/\s+/g, ' '));
  });

  it('cuts one 80-character word into line-sized pieces', () => {
    const word = 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(2).slice(0, 80);
    const slides = [
      {
        narration: word,
        timing: { granularity: 'word' as const, marks: [{ text: word, startSeconds: 0, endSeconds: 2 }] },
        startSeconds: 0,
        endSeconds: 3,
      },
    ];
    const cues = buildCaptionCues(slides);
    expectWellFormed(cues, slides);
    expect(textOf(cues, '')).toBe(word);
    expect(cues.flatMap((c) => c.lines).length).toBe(2);
  });

  it('breaks CJK without spaces per character, after its punctuation, counting each character as two columns', () => {
    const narration = '水は海から空へ、空から陸へと絶えず循環しています。この循環が地球の気候を形作り、生命を支えているのです。';
    const timing: SpeechTiming = { granularity: 'phrase', marks: [{ text: narration, startSeconds: 0, endSeconds: 9 }] };
    const slides = [{ narration, timing, startSeconds: 0, endSeconds: 9.6 }];
    const cues = buildCaptionCues(slides);
    expectWellFormed(cues, slides);
    expect(textOf(cues, '')).toBe(narration);
    expect(cues.length).toBeGreaterThan(1);
    for (const c of cues) for (const l of c.lines) expect(l).not.toMatch(/^[。、]/);
    expect(cues[0]!.lines.join('')).toMatch(/。$/);
  });

  it('keeps RTL text in reading order', () => {
    const narration = 'الماء يتحرك بين المحيطات والهواء واليابسة. هذه الدورة تشكل مناخ الأرض.';
    const slides = [{ narration, timing: wordTiming(narration), startSeconds: 2, endSeconds: 8 }];
    const cues = buildCaptionCues(slides);
    expectWellFormed(cues, slides);
    expect(textOf(cues)).toBe(narration);
    expect(cues[0]!.lines.join(' ')).toBe('الماء يتحرك بين المحيطات والهواء واليابسة.');
  });

  it('stretches a one-word slide to the 1 s minimum where the slide has room, and no further', () => {
    const slides = [
      { narration: 'Hello.', timing: wordTiming('Hello.', 0.3, 0), startSeconds: 0, endSeconds: 0.9 },
      { narration: 'Hi.', timing: wordTiming('Hi.', 0.3, 0), startSeconds: 0.9, endSeconds: 3 },
    ];
    const cues = buildCaptionCues(slides);
    expectWellFormed(cues, slides);
    // Narration starts one AAC lead frame into each window (timeline.ts).
    expect(cues.map((c) => [c.slideIndex, c.startSeconds, c.endSeconds])).toEqual([
      [0, LEAD, 0.9],
      [1, 0.9 + LEAD, 0.9 + LEAD + MIN_CUE_SECONDS],
    ]);
  });

  it('survives zero-length, out-of-order and out-of-window marks', () => {
    const timing: SpeechTiming = {
      granularity: 'word',
      marks: [
        { text: 'Zero', startSeconds: 0.5, endSeconds: 0.5 },
        { text: 'length', startSeconds: 0.5, endSeconds: 0.5 },
        { text: 'marks.', startSeconds: 0.4, endSeconds: 0.3 },
        { text: 'Past', startSeconds: 5, endSeconds: 9 },
        { text: 'end.', startSeconds: Number.NaN, endSeconds: 1 },
      ],
    };
    const slides = [{ narration: 'x', timing, startSeconds: 1, endSeconds: 4 }];
    const cues = buildCaptionCues(slides);
    expectWellFormed(cues, slides);
    expect(textOf(cues)).toBe('Zero length marks. Past');
    expect(cues[0]!.endSeconds - cues[0]!.startSeconds).toBeGreaterThanOrEqual(MIN_CUE_SECONDS);
  });

  it('falls back to the proportional split when a slide has no timing', () => {
    const narration = 'Plants need light. They also need water and carbon dioxide to grow well.';
    const slides = [{ narration, timing: null, startSeconds: 0, endSeconds: 6.3 }];
    const cues = buildCaptionCues(slides);
    expectWellFormed(cues, slides);
    expect(cues.map((c) => c.lines.join(' '))).toEqual(['Plants need light.', 'They also need water and carbon dioxide to grow well.']);
    expect(cues[1]!.endSeconds).toBe(6.3);
  });

  it('gives nothing for an empty narration or an empty window', () => {
    expect(buildCaptionCues([{ narration: '', timing: null, startSeconds: 0, endSeconds: 2 }])).toEqual([]);
    expect(buildCaptionCues([{ narration: 'Hi.', timing: wordTiming('Hi.'), startSeconds: 2, endSeconds: 2 }])).toEqual([]);
  });
});
