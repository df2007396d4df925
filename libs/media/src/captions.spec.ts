import { buildWebVtt, escapeVtt, formatVttTime, splitSentences } from './captions.js';

const TIME = String.raw`\d{2}:\d{2}:\d{2}\.\d{3}`;
const parse = (t: string) => {
  const [h, m, s] = t.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
};
function cuesOf(vtt: string) {
  return vtt
    .split('\n\n')
    .slice(1)
    .filter(Boolean)
    .map((block) => {
      const [timing, ...text] = block.trim().split('\n');
      const [from, to] = timing.split(' --> ');
      return { from: parse(from), to: parse(to), timing, text: text.join('\n') };
    });
}

describe('captions', () => {
  it('formats times as HH:MM:SS.mmm', () => {
    expect(formatVttTime(0)).toBe('00:00:00.000');
    expect(formatVttTime(3723.4567)).toBe('01:02:03.457');
    expect(formatVttTime(59.9996)).toBe('00:01:00.000');
  });

  it('splits sentences, including CJK full stops, and drops empty ones', () => {
    expect(splitSentences('Hello there. How are you?  Fine!')).toEqual(['Hello there.', 'How are you?', 'Fine!']);
    expect(splitSentences('你好。世界！')).toEqual(['你好。', '世界！']);
    expect(splitSentences('No final stop')).toEqual(['No final stop']);
    expect(splitSentences(' ... ')).toEqual([]);
  });

  it('escapes &, < and >', () => {
    expect(escapeVtt('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });

  it('builds one cue per sentence inside its slide window, in order, split by length', () => {
    const slides = [
      { narration: 'Plants need light. They also need water and carbon dioxide to grow well.', startSeconds: 0, endSeconds: 6.3 },
      { narration: '', startSeconds: 6.3, endSeconds: 8 },
      { narration: 'Is 2 < 3 & 5 > 4? Yes.', startSeconds: 8, endSeconds: 11.4567 },
    ];
    const vtt = buildWebVtt(slides);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const cues = cuesOf(vtt);
    expect(cues.map((c) => c.text)).toEqual([
      'Plants need light.',
      'They also need water and carbon dioxide to grow well.',
      'Is 2 &lt; 3 &amp; 5 &gt; 4?',
      'Yes.',
    ]);
    for (const c of cues) {
      expect(c.timing).toMatch(new RegExp(`^${TIME} --> ${TIME}$`));
      expect(c.to).toBeGreaterThan(c.from);
      expect(c.text.trim()).not.toBe('');
    }
    const windows = [slides[0], slides[0], slides[2], slides[2]];
    cues.forEach((c, i) => {
      expect(c.from).toBeGreaterThanOrEqual(windows[i].startSeconds);
      expect(c.to).toBeLessThanOrEqual(windows[i].endSeconds);
    });
    for (let i = 1; i < cues.length; i++) expect(cues[i].from).toBeGreaterThanOrEqual(cues[i - 1].to);
    // The long sentence gets the bigger share of its slide.
    expect(cues[1].to - cues[1].from).toBeGreaterThan(2 * (cues[0].to - cues[0].from));
  });

  it('is a valid empty file when there is nothing to say', () => {
    expect(buildWebVtt([])).toBe('WEBVTT\n\n');
    expect(buildWebVtt([{ narration: 'Hi.', startSeconds: 1, endSeconds: 1 }])).toBe('WEBVTT\n\n');
  });
});
