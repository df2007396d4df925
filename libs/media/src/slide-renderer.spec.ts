import { createCanvas, loadImage, type Image } from '@napi-rs/canvas';
import { ASPECT_RATIOS, type AspectRatio } from './aspect-ratio.js';
import { ensureFonts, fontString } from './fonts.js';
import { SlideRenderer } from './slide-renderer.js';
import { THEME_NAMES } from './themes.js';
import { makeThumbnail } from './thumbnail.js';

const renderer = new SlideRenderer();
const base = { deckTitle: 'Photosynthesis', title: 'How plants make sugar', bullets: ['Light', 'Water', 'Carbon dioxide'], index: 0, total: 3 };

function pixels(img: Image): Uint8ClampedArray {
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height).data;
}

describe('SlideRenderer', () => {
  it('has at least light and dark themes, light first', () => {
    expect(THEME_NAMES[0]).toBe('light');
    expect(THEME_NAMES).toContain('dark');
  });

  it.each((Object.keys(ASPECT_RATIOS) as AspectRatio[]).flatMap((ar) => THEME_NAMES.map((theme) => [ar, theme] as const)))(
    'renders a %s PNG in theme %s',
    async (aspectRatio, theme) => {
      const png = await renderer.render({ ...base, aspectRatio, theme });
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const img = await loadImage(png);
      expect({ width: img.width, height: img.height }).toEqual(ASPECT_RATIOS[aspectRatio]);
    },
  );

  it('themes look different', async () => {
    const a = await renderer.render({ ...base, aspectRatio: '1:1', theme: 'light' });
    const b = await renderer.render({ ...base, aspectRatio: '1:1', theme: 'dark' });
    expect(a.equals(b)).toBe(false);
  });

  it('draws text: the title changes the picture', async () => {
    const a = pixels(await loadImage(await renderer.render({ ...base, aspectRatio: '16:9', theme: 'light' })));
    const b = pixels(await loadImage(await renderer.render({ ...base, title: 'Another title', aspectRatio: '16:9', theme: 'light' })));
    let differing = 0;
    for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) differing++;
    expect(differing).toBeGreaterThan(1000);
  });

  it('renders a slide with 20 bullets, a huge word and five scripts', async () => {
    const png = await renderer.render({
      ...base,
      title: 'Многоязычный слайд Ελληνικά العربية हिन्दी 中文',
      bullets: ['Supercalifragilisticexpialidocious'.repeat(5), ...Array.from({ length: 19 }, (_, i) => `Пункт ${i} Γειά مرحبا नमस्ते 你好`)],
      aspectRatio: '9:16',
      theme: 'dark',
    });
    const img = await loadImage(png);
    expect(img.height).toBe(1920);
  });
});

describe('fonts', () => {
  // Tofu test: each script's glyphs must look different from the "missing glyph" box
  // that the same font stack draws for an unassigned code point.
  const families = ensureFonts();
  function glyphBitmap(text: string): string {
    const c = createCanvas(160, 80);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 160, 80);
    ctx.fillStyle = '#000';
    ctx.font = fontString(48, false, families);
    ctx.textBaseline = 'middle';
    ctx.fillText(text, 10, 40);
    return Buffer.from(ctx.getImageData(0, 0, 160, 80).data).toString('base64');
  }
  const tofu = glyphBitmap('\u{0378}');

  it.each([
    ['Cyrillic', 'Ж'],
    ['Greek', 'Ω'],
    ['Arabic', 'ض'],
    ['Devanagari', 'क'],
    ['Han', '字'],
    ['Hiragana', 'あ'],
    ['Hangul', '한'],
    ['Hebrew', 'ש'],
  ])('has a real glyph for %s', (_name, ch) => {
    const bitmap = glyphBitmap(ch);
    expect(bitmap).not.toBe(tofu);
    expect(bitmap).not.toBe(glyphBitmap(' '));
  });

  it('the tofu check itself can fail: an unassigned code point draws the same box twice', () => {
    expect(glyphBitmap('\u{0379}')).toBe(tofu);
  });
});

describe('makeThumbnail', () => {
  it('makes a 640 px wide JPEG from a slide PNG, keeping the aspect', async () => {
    const png = await renderer.render({ ...base, aspectRatio: '9:16', theme: 'dark' });
    const jpeg = await makeThumbnail(png);
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const img = await loadImage(jpeg);
    expect(img.width).toBe(640);
    expect(img.height).toBe(Math.round((1920 * 640) / 1080));
    const small = await loadImage(await makeThumbnail(png, 320));
    expect(small.width).toBe(320);
  });
});
