import { createCanvas } from '@napi-rs/canvas';
import { ensureFonts, fontString } from './fonts.js';
import { layoutOptionsFor, slideGeometry } from './slide-renderer.js';
import { breakOpportunities, layoutSlide, wrapText, type FontSpec, type MeasureText, type SlideLayout } from './text-layout.js';

// A pure measure: every grapheme is 0.55 em wide (bold 0.6 em). Enough to test the maths.
const mono: MeasureText = (text, f) => Array.from(text).length * f.size * (f.bold ? 0.6 : 0.55);

// The real thing: canvas with the fonts the renderer uses.
const families = ensureFonts();
const ctx = createCanvas(10, 10).getContext('2d');
const real: MeasureText = (text: string, f: FontSpec) => {
  ctx.font = fontString(f.size, f.bold, families);
  return ctx.measureText(text).width;
};

const box = { width: 1728, height: 600 };
const options = layoutOptionsFor(1);

function expectInside(layout: SlideLayout, b: { width: number; height: number }, measure: MeasureText) {
  expect(layout.lines.length).toBeGreaterThan(0);
  expect(layout.height).toBeLessThanOrEqual(b.height);
  for (const line of layout.lines) {
    expect(line.x + measure(line.text, line.font)).toBeLessThanOrEqual(b.width + 0.01);
    expect(line.y + line.font.size * options.lineHeight).toBeLessThanOrEqual(b.height + 0.01);
  }
}

describe('wrapText', () => {
  it('breaks a very long unbreakable word across lines that each fit', () => {
    const word = 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(4);
    const lines = wrapText(word, 400, { size: 40, bold: false }, mono);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe(word);
    for (const l of lines) expect(mono(l, { size: 40, bold: false })).toBeLessThanOrEqual(400);
  });

  it('wraps at spaces when it can', () => {
    expect(wrapText('one two three four', 8 * 0.55 * 10, { size: 10, bold: false }, mono)).toEqual(['one two', 'three', 'four']);
  });

  it('breaks CJK between characters, keeping punctuation off the line start', () => {
    expect(breakOpportunities('你好。世界')).toEqual(['你', '好。', '世', '界']);
    const lines = wrapText('你好世界，这是一个测试。', 3 * 0.55 * 10, { size: 10, bold: false }, mono);
    expect(lines.join('')).toBe('你好世界，这是一个测试。');
    for (const l of lines) expect(l.startsWith('，') || l.startsWith('。')).toBe(false);
  });
});

describe('layoutSlide', () => {
  it('fits a title and a very long word, shrinking but staying above the minimum', () => {
    const layout = layoutSlide('Long words', ['Supercalifragilisticexpialidocious'.repeat(8)], box, options, real);
    expectInside(layout, box, real);
    expect(layout.bulletSize).toBeGreaterThanOrEqual(options.bulletMinSize);
    expect(layout.droppedBullets).toBe(0);
  });

  it('fits 20 bullets with font size at least the minimum and none dropped', () => {
    const bullets = Array.from({ length: 20 }, (_, i) => `Point number ${i + 1}: a short statement about the topic`);
    for (const b of (['16:9', '9:16', '1:1'] as const).map((ar) => slideGeometry(ar).content)) {
      const layout = layoutSlide('Twenty bullets on one slide', bullets, b, layoutOptionsFor(1), real);
      expectInside(layout, b, real);
      expect(layout.droppedBullets).toBe(0);
      expect(layout.lines.filter((l) => l.bulletStart)).toHaveLength(20);
      expect(layout.bulletSize).toBeGreaterThanOrEqual(options.bulletMinSize);
      expect(layout.titleSize).toBeGreaterThanOrEqual(options.titleMinSize);
    }
  });

  it('uses big type for a short slide', () => {
    const layout = layoutSlide('Hi', ['One', 'Two'], box, options, real);
    expect(layout.titleSize).toBe(options.titleMaxSize);
    expect(layout.bulletSize).toBe(options.bulletMaxSize);
  });

  it.each([
    ['Cyrillic', 'Фотосинтез: как растения превращают свет в сахар', 'Хлорофилл поглощает красный и синий свет'],
    ['Greek', 'Φωτοσύνθεση: πώς τα φυτά μετατρέπουν το φως', 'Η χλωροφύλλη απορροφά το κόκκινο και το μπλε φως'],
    ['Arabic', 'التمثيل الضوئي: كيف تحول النباتات الضوء إلى سكر', 'يمتص الكلوروفيل الضوء الأحمر والأزرق'],
    ['Devanagari', 'प्रकाश संश्लेषण: पौधे प्रकाश को शर्करा में कैसे बदलते हैं', 'क्लोरोफिल लाल और नीली रोशनी को अवशोषित करता है'],
    ['CJK', '光合作用：植物如何把光变成糖', '叶绿素吸收红光和蓝光，并释放氧气。日本語の説明もここに入ります。'],
  ])('lays out %s text inside the box', (_script, title, bullet) => {
    const bullets = Array.from({ length: 6 }, () => bullet);
    const layout = layoutSlide(title, bullets, box, options, real);
    expectInside(layout, box, real);
    expect(layout.bulletSize).toBeGreaterThanOrEqual(options.bulletMinSize);
    // Nothing lost in wrapping (spaces aside).
    const text = layout.lines
      .filter((l) => l.kind === 'bullet')
      .map((l) => l.text)
      .join('')
      .replace(/\s/g, '');
    expect(text).toBe(bullets.join('').replace(/\s/g, ''));
  });

  it('drops trailing bullets with an ellipsis rather than overflow when even the minimum is too big', () => {
    const bullets = Array.from({ length: 200 }, (_, i) => `Bullet ${i}`);
    const layout = layoutSlide('Too much', bullets, box, options, mono);
    expectInside(layout, box, mono);
    expect(layout.droppedBullets).toBeGreaterThan(0);
    expect(layout.lines[layout.lines.length - 1].text).toBe('…');
  });
});
