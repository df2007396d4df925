import { GOOGLE_TTS_MAX_INPUT_BYTES, escapeSsml, splitForSsml, ssmlByteLength, toSsml } from './ssml.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('escapeSsml / toSsml', () => {
  it('escapes the five XML specials and nothing else', () => {
    expect(escapeSsml(`Tom & Jerry <b>"hi"</b> it's 5 > 3`)).toBe('Tom &amp; Jerry &lt;b&gt;&quot;hi&quot;&lt;/b&gt; it&apos;s 5 &gt; 3');
    expect(escapeSsml('plain text, é 日本')).toBe('plain text, é 日本');
  });

  it('does not double-escape and wraps in <speak>', () => {
    expect(toSsml('a &amp; b')).toBe('<speak>a &amp;amp; b</speak>');
    expect(toSsml('<break time="1s"/>')).toBe('<speak>&lt;break time=&quot;1s&quot;/&gt;</speak>');
  });

  it('measures bytes after escaping and wrapping', () => {
    expect(ssmlByteLength('&')).toBe(bytes('<speak>&amp;</speak>'));
    expect(ssmlByteLength('é')).toBe(15 + 2);
  });
});

describe('splitForSsml', () => {
  it('keeps short text whole', () => {
    expect(splitForSsml('  Hello there. How are you?  ')).toEqual(['Hello there. How are you?']);
    expect(splitForSsml('   ')).toEqual([]);
  });

  it('cuts between sentences, never inside one', () => {
    const sentences = Array.from({ length: 200 }, (_, i) => `Sentence number ${i} says something useful.`);
    const text = sentences.join(' ');
    const pieces = splitForSsml(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(ssmlByteLength(p)).toBeLessThanOrEqual(GOOGLE_TTS_MAX_INPUT_BYTES);
      expect(p).toMatch(/^Sentence number \d+ .*useful\.$/);
    }
    expect(pieces.join(' ')).toBe(text);
  });

  it('packs greedily with a small budget', () => {
    const pieces = splitForSsml('One two. Three four. Five six.', 15 + 20);
    expect(pieces).toEqual(['One two. Three four.', 'Five six.']);
  });

  it('counts escapes toward the budget', () => {
    // "A & B." is 6 chars but 10 bytes escaped.
    const pieces = splitForSsml('A & B. C & D.', 15 + 12);
    expect(pieces).toEqual(['A & B.', 'C & D.']);
    for (const p of pieces) expect(ssmlByteLength(p)).toBeLessThanOrEqual(27);
  });

  it('measures multibyte text in bytes, not characters', () => {
    // 1000 chars of 3-byte kana per sentence: 3000+ bytes each, so two never share a piece.
    const s = 'あ'.repeat(999) + '。';
    const text = s.repeat(4);
    expect(text.length).toBe(4000); // would fit in 5000 if characters were counted
    const pieces = splitForSsml(text);
    expect(pieces).toEqual([s, s, s, s]);
    for (const p of pieces) expect(ssmlByteLength(p)).toBeLessThanOrEqual(5000);
  });

  it('never splits a surrogate pair or an emoji', () => {
    const text = '👍🏽'.repeat(2000); // one "word" of 16000 bytes
    const pieces = splitForSsml(text);
    expect(pieces.length).toBeGreaterThan(3);
    for (const p of pieces) {
      expect(ssmlByteLength(p)).toBeLessThanOrEqual(5000);
      expect(p).toMatch(/^(👍🏽)+$/u);
    }
    expect(pieces.join('')).toBe(text);
  });

  it('falls back to words for a monster sentence', () => {
    const words = Array.from({ length: 1500 }, (_, i) => `word${i}`);
    const text = words.join(' ') + '.';
    expect(bytes(text)).toBeGreaterThan(10000);
    const pieces = splitForSsml(text);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect(ssmlByteLength(p)).toBeLessThanOrEqual(5000);
      expect(p).toMatch(/^word\d+( word\d+)*\.?$/);
    }
    expect(pieces.join(' ')).toBe(text);
  });

  it('splits a single 6000-byte word by characters', () => {
    const word = 'x'.repeat(6000);
    const pieces = splitForSsml(`Before. ${word} after.`);
    for (const p of pieces) expect(ssmlByteLength(p)).toBeLessThanOrEqual(5000);
    expect(pieces.join('').replace(/\s/g, '')).toBe(`Before.${word}after.`);
    expect(pieces.some((p) => p.length === 5000 - 15)).toBe(true);
  });

  it('tolerates a malformed language tag', () => {
    expect(splitForSsml('One. Two.', 5000, 'en_US!')).toEqual(['One. Two.']);
  });

  it('keeps escapes whole at a character cut', () => {
    const word = '&'.repeat(2000); // 10000 bytes escaped
    const pieces = splitForSsml(word);
    expect(pieces.length).toBe(3);
    for (const p of pieces) {
      const ssml = toSsml(p);
      expect(bytes(ssml)).toBeLessThanOrEqual(5000);
      expect(ssml).toMatch(/^<speak>(&amp;)+<\/speak>$/);
    }
  });
});
