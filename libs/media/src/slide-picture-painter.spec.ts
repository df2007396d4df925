import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { ASPECT_RATIOS, type AspectRatio } from './aspect-ratio.js';
import { captionBox, type Box } from './caption-box.js';
import { decodePicture, iconSize, prepareIconSvg } from './slide-picture-painter.js';
import type { SlidePicture } from './slide-picture.js';
import { slideRegions } from './slide-regions.js';
import { SlideRenderer, type RenderSlideInput } from './slide-renderer.js';
import { THEMES } from './themes.js';

const require = createRequire(import.meta.url);
const renderer = new SlideRenderer();
const RATIOS = Object.keys(ASPECT_RATIOS) as AspectRatio[];
const tabler = readFileSync(require.resolve('@tabler/icons/outline/plant.svg'));
const lucide = readFileSync(require.resolve('lucide-static/icons/sprout.svg'));
const icon: SlidePicture = { kind: 'icon', data: tabler };

async function solidJpeg(colour: string, width: number, height: number): Promise<Buffer> {
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, width, height);
  return c.encode('jpeg', 95);
}

interface Frame {
  width: number;
  data: Uint8ClampedArray;
}
async function frame(png: Buffer): Promise<Frame> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return { width: img.width, data: ctx.getImageData(0, 0, img.width, img.height).data };
}
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
/** Pixels in box whose colour is within tol of hex. */
function countColour(f: Frame, box: Box, hex: string, tol = 6): number {
  const [r, g, b] = rgb(hex);
  let n = 0;
  for (let y = Math.ceil(box.y); y < box.y + box.height; y++)
    for (let x = Math.ceil(box.x); x < box.x + box.width; x++) {
      const i = (y * f.width + x) * 4;
      if (Math.abs(f.data[i] - r) <= tol && Math.abs(f.data[i + 1] - g) <= tol && Math.abs(f.data[i + 2] - b) <= tol) n++;
    }
  return n;
}
/** Pixels of a and b that differ, and whether all of them lie in box. */
function diff(a: Frame, b: Frame, box?: Box): { differing: number; outside: number } {
  let differing = 0;
  let outside = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] === b.data[i] && a.data[i + 1] === b.data[i + 1] && a.data[i + 2] === b.data[i + 2]) continue;
    differing++;
    const x = (i / 4) % a.width;
    const y = Math.floor(i / 4 / a.width);
    if (box && !(x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height)) outside++;
  }
  return { differing, outside };
}
function sameIn(a: Frame, b: Frame, box: Box): boolean {
  for (let y = box.y; y < box.y + box.height; y++)
    for (let x = box.x; x < box.x + box.width; x++) {
      const i = (y * a.width + x) * 4;
      if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) return false;
    }
  return true;
}

const slide: Omit<RenderSlideInput, 'aspectRatio' | 'theme'> = {
  deckTitle: 'Photosynthesis',
  title: 'The light reactions',
  bullets: ['Chlorophyll absorbs red and blue light', 'Water is split and oxygen is released'],
  index: 1,
  total: 4,
};

describe('prepareIconSvg', () => {
  it('paints currentColor in the accent and sizes only the root element, after a leading comment too', () => {
    const svg = prepareIconSvg(lucide.toString('utf8'), '#e85d04', 300);
    expect(svg).not.toMatch(/currentColor/i);
    expect(svg).toContain('stroke="#e85d04"');
    expect(svg).toMatch(/<svg width="300" height="300"/);
    expect(svg.match(/\swidth=/g)).toHaveLength(1);
    expect(svg).toContain('viewBox="0 0 24 24"');
  });
});

describe('decodePicture', () => {
  const box = { x: 0, y: 0, width: 700, height: 500 };
  it('rasterises an icon at the size it is drawn (crisp), from Tabler and Lucide', async () => {
    for (const data of [tabler, lucide]) {
      const r = await decodePicture({ kind: 'icon', data }, '#3a86ff', box);
      expect(r.ok).toBe(true);
      if (r.ok) expect([r.picture.image.width, r.picture.image.height]).toEqual([iconSize(box), iconSize(box)]);
    }
  });

  it.each([
    ['corrupt JPEG', { kind: 'image', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]) }],
    ['random bytes', { kind: 'image', data: Buffer.from('not an image at all') }],
    ['empty image', { kind: 'image', data: Buffer.alloc(0) }],
    ['not an SVG', { kind: 'icon', data: Buffer.from('<html>hello</html>') }],
  ] as const)('reports a %s instead of throwing', async (_name, picture) => {
    const r = await decodePicture(picture, '#3a86ff', box);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(new RegExp(picture.kind));
  });
});

describe('SlideRenderer with a picture', () => {
  it.each(RATIOS.flatMap((ar) => (['light', 'dark'] as const).map((theme) => [ar, theme] as const)))(
    '%s %s: the icon is drawn in the accent colour inside the picture box',
    async (aspectRatio, theme) => {
      const box = slideRegions(aspectRatio, { picture: true, index: slide.index }).picture!;
      const accent = THEMES[theme].accent;
      const withIcon = await frame(await renderer.render({ ...slide, aspectRatio, theme, picture: icon }));
      const without = await frame(await renderer.render({ ...slide, aspectRatio, theme }));
      const area = box.width * box.height;
      expect(countColour(withIcon, box, accent)).toBeGreaterThan(area * 0.02);
      // The same box without a picture holds text and bullet markers: far fewer accent pixels.
      expect(countColour(without, box, accent)).toBeLessThan(area * 0.005);
    },
  );

  it.each(RATIOS)('%s: a photo is cover-cropped into the picture box with rounded corners', async (aspectRatio) => {
    const box = slideRegions(aspectRatio, { picture: true, index: 0 }).picture!;
    // Far wider than any box: cover must crop the sides, not letterbox.
    const data = await solidJpeg('#ff0000', 3000, 300);
    const f = await frame(await renderer.render({ ...slide, index: 0, aspectRatio, theme: 'light', picture: { kind: 'image', data } }));
    const inner = { x: box.x + 40, y: box.y + 40, width: box.width - 80, height: box.height - 80 };
    expect(countColour(f, inner, '#ff0000', 12)).toBe(inner.width * inner.height);
    const corner = { x: box.x, y: box.y, width: 4, height: 4 };
    expect(countColour(f, corner, '#ff0000', 60)).toBe(0);
  });

  it.each(RATIOS)('%s: the attribution stays inside the picture box, white on a dark pill', async (aspectRatio) => {
    const box = slideRegions(aspectRatio, { picture: true, index: 1 }).picture!;
    const data = await solidJpeg('#ffffff', 800, 600); // the hardest background for white text
    const picture = { kind: 'image' as const, data };
    const plain = await frame(await renderer.render({ ...slide, aspectRatio, theme: 'dark', picture }));
    const credited = await frame(
      await renderer.render({ ...slide, aspectRatio, theme: 'dark', picture: { ...picture, attribution: 'Photo by Jane Doe on Pexels '.repeat(8) } }),
    );
    const d = diff(plain, credited, box);
    expect(d.differing).toBeGreaterThan(500);
    expect(d.outside).toBe(0);
    expect(countColour(credited, box, '#616161', 30)).toBeGreaterThan(1000); // the pill: 62 % black over white
  });

  it('a picture that cannot be decoded is left out: the slide is the text-only one, with a warning', async () => {
    const input = { ...slide, aspectRatio: '16:9' as const, theme: 'light' };
    const broken = await renderer.renderSlide({ ...input, picture: { kind: 'image', data: Buffer.from('GIF89a garbage') } });
    expect(broken.pictureDrawn).toBe(false);
    expect(broken.warning).toMatch(/slide 2: picture left out/);
    expect(broken.png.equals(await renderer.render(input))).toBe(true);
    const ok = await renderer.renderSlide({ ...input, picture: icon });
    expect(ok.pictureDrawn).toBe(true);
    expect(ok.warning).toBeUndefined();
  });

  describe('caption band', () => {
    const hostile = {
      ...slide,
      title: 'A very long title that keeps going '.repeat(6).slice(0, 200),
      bullets: Array.from({ length: 20 }, (_, i) => `Point ${i + 1}: 光合作用 🌱 التمثيل الضوئي Supercalifragilistic`),
    };
    const photo = solidJpeg('#00aa00', 1200, 900);
    it.each(RATIOS.flatMap((ar) => [0, 1].map((index) => [ar, index] as const)))(
      '%s slide %i: with captionBand the band is background only; without, content enters it',
      async (aspectRatio, index) => {
        const band = captionBox(aspectRatio);
        const blank = await frame(await renderer.render({ ...slide, title: '', bullets: [], index, aspectRatio, theme: 'ocean', captionBand: true }));
        expect(countColour(blank, band, THEMES.ocean.accent, 2)).toBe(0); // the blank really is blank there
        for (const picture of [icon, { kind: 'image' as const, data: await photo, attribution: 'Photo by Jane Doe on Pexels' }]) {
          const input = { ...hostile, index, aspectRatio, theme: 'ocean', picture };
          const kept = await frame(await renderer.render({ ...input, captionBand: true }));
          expect(sameIn(kept, blank, band)).toBe(true);
          const free = await frame(await renderer.render(input));
          expect(sameIn(free, blank, band)).toBe(false);
        }
      },
    );
  });
});
