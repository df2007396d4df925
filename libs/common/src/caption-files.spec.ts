import { buildSubRip, buildWebVtt, escapeVtt, formatVttTime, parseWebVtt, webVttToSubRip } from './caption-files.js';

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

describe('caption files', () => {
  it('formats times as HH:MM:SS.mmm', () => {
    expect(formatVttTime(0)).toBe('00:00:00.000');
    expect(formatVttTime(3723.4567)).toBe('01:02:03.457');
    expect(formatVttTime(59.9996)).toBe('00:01:00.000');
  });

  it('escapes &, < and >', () => {
    expect(escapeVtt('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });

  it('writes WebVTT and SubRip from the same cues, with the same times', () => {
    const cues = [
      { lines: ['Plants need light.'], startSeconds: 0.2, endSeconds: 1.5 },
      { lines: ['Is 2 < 3 & 5 > 4?', 'Yes.'], startSeconds: 1.5, endSeconds: 3723.4567 },
      { lines: ['never shown'], startSeconds: 4, endSeconds: 4 },
    ];
    const vtt = buildWebVtt(cues);
    expect(vtt).toBe('WEBVTT\n\n00:00:00.200 --> 00:00:01.500\nPlants need light.\n\n00:00:01.500 --> 01:02:03.457\nIs 2 &lt; 3 &amp; 5 &gt; 4?\nYes.\n');
    const srt = buildSubRip(cues);
    expect(srt).toBe('1\n00:00:00,200 --> 00:00:01,500\nPlants need light.\n\n2\n00:00:01,500 --> 01:02:03,457\nIs 2 < 3 & 5 > 4?\nYes.\n');
    expect(cuesOf(vtt).map((c) => [c.from, c.to])).toEqual([
      [0.2, 1.5],
      [1.5, 3723.457],
    ]);
  });

  it('converts a stored WebVTT file into SubRip (videos stitched before SubRip was stored)', () => {
    const old = 'WEBVTT\n\n00:00:00.000 --> 00:00:02.345\nPlants need light.\n\n00:00:02.345 --> 00:00:06.300\nIs 2 &lt; 3?\n';
    expect(webVttToSubRip(old)).toBe('1\n00:00:00,000 --> 00:00:02,345\nPlants need light.\n\n2\n00:00:02,345 --> 00:00:06,300\nIs 2 < 3?\n');
    expect(parseWebVtt('WEBVTT\r\n\r\nNOTE hi\r\n\r\ncue-1\r\n00:01:00.000 --> 00:01:01.000 align:start\r\nA\r\n')).toEqual([
      { startSeconds: 60, endSeconds: 61, lines: ['A'] },
    ]);
    expect(webVttToSubRip('WEBVTT\n\n')).toBe('');
  });

  it('is a valid empty file when there is nothing to say', () => {
    expect(buildWebVtt([])).toBe('WEBVTT\n\n');
    expect(buildSubRip([])).toBe('');
    expect(buildWebVtt([{ lines: ['Hi.'], startSeconds: 1, endSeconds: 1 }])).toBe('WEBVTT\n\n');
  });
});
