import { createCanvas } from '@napi-rs/canvas';
import { ASPECT_RATIOS, type AspectRatio } from './aspect-ratio.js';
import { captionBox, type Box } from './caption-box.js';
import { ensureFonts, fontString } from './fonts.js';
import { layoutOptionsFor, slideGeometry } from './slide-geometry.js';
import { planSlide } from './slide-plan.js';
import { slideRegions } from './slide-regions.js';
import type { FontSpec, MeasureText } from './text-layout.js';

// The renderer's own fonts, so the geometry checked is the geometry drawn.
const families = ensureFonts();
const ctx = createCanvas(10, 10).getContext('2d');
const measure: MeasureText = (text: string, f: FontSpec) => {
  ctx.font = fontString(f.size, f.bold, families);
  return ctx.measureText(text).width;
};

const EPS = 0.01;
const inside = (a: Box, b: Box) => a.x >= b.x - EPS && a.y >= b.y - EPS && a.x + a.width <= b.x + b.width + EPS && a.y + a.height <= b.y + b.height + EPS;
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const RATIOS = Object.keys(ASPECT_RATIOS) as AspectRatio[];

const HOSTILE: Record<string, { title: string; bullets: string[] }> = {
  'very long words': {
    title: 'Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft',
    bullets: ['Supercalifragilisticexpialidocious'.repeat(6), 'https://example.com/' + 'a/very/long/path/'.repeat(12)],
  },
  '20 bullets': {
    title: 'Twenty bullets on one slide',
    bullets: Array.from({ length: 20 }, (_, i) => `Point number ${i + 1}: a short statement about the topic`),
  },
  RTL: {
    title: 'التمثيل الضوئي: كيف تحول النباتات الضوء إلى سكر',
    bullets: ['يمتص الكلوروفيل الضوء الأحمر والأزرق', 'ينطلق الأكسجين إلى الهواء', 'שלום עולם, זהו משפט בעברית'],
  },
  CJK: {
    title: '光合作用：植物如何把光变成糖',
    bullets: Array.from({ length: 6 }, () => '叶绿素吸收红光和蓝光，并释放氧气。日本語の説明もここに入ります。'),
  },
  emoji: {
    title: '🌱🌞💧 Plants 🍃 and 🔬 science 🧪🧬',
    bullets: ['👩‍🔬👨‍🔬 Scientists 🧑🏽‍🌾 farmers', '🌍'.repeat(60), 'Mixed 🇺🇦🇯🇵🇧🇷 flags and text'],
  },
  '200-char title': {
    title: 'A very long title that keeps going '.repeat(6).slice(0, 200),
    bullets: ['First point', 'Second point', 'Third point'],
  },
};

describe('slideRegions', () => {
  it.each(RATIOS)('%s without picture or caption band is the old content area', (ar) => {
    const r = slideRegions(ar, { picture: false, index: 1 });
    expect(r.text).toEqual(slideGeometry(ar).content);
    expect(r.picture).toBeNull();
    expect(r.captionBand).toBeNull();
  });

  it.each(RATIOS.flatMap((ar) => [0, 1].flatMap((index) => [false, true].map((band) => [ar, index, band] as const))))(
    '%s slide %i captionBand %s: text, picture and band are apart and in the frame',
    (ar, index, captionBand) => {
      const r = slideRegions(ar, { picture: true, index, captionBand });
      expect(r.picture).not.toBeNull();
      for (const b of [r.text, r.picture!]) {
        expect(inside(b, r.content)).toBe(true);
        expect(inside(b, r.frame)).toBe(true);
        expect(b.width).toBeGreaterThan(0);
        expect(b.height).toBeGreaterThan(0);
      }
      expect(overlaps(r.text, r.picture!)).toBe(false);
      if (captionBand) {
        expect(r.captionBand).toEqual(captionBox(ar));
        expect(overlaps(r.text, r.captionBand!)).toBe(false);
        expect(overlaps(r.picture!, r.captionBand!)).toBe(false);
      } else expect(r.captionBand).toBeNull();
      // The text keeps enough room: at least a third of the content area, and two title lines at the largest size.
      expect(r.text.width * r.text.height).toBeGreaterThan((r.content.width * r.content.height) / 3);
      expect(r.text.height).toBeGreaterThan(2 * layoutOptionsFor(slideGeometry(ar).scale).titleMaxSize * 1.3);
    },
  );

  it('puts the picture beside the text in 16:9 (trailing side, mirrored for RTL), above it in 9:16 and 1:1', () => {
    const ltr = slideRegions('16:9', { picture: true, index: 1 });
    expect(ltr.picture!.x).toBeGreaterThan(ltr.text.x + ltr.text.width);
    const rtl = slideRegions('16:9', { picture: true, index: 1, rtl: true });
    expect(rtl.picture!.x + rtl.picture!.width).toBeLessThan(rtl.text.x);
    for (const [ar, captionBand] of [
      ['9:16', false],
      ['9:16', true],
      ['1:1', false],
    ] as const) {
      const r = slideRegions(ar, { picture: true, index: 1, captionBand });
      expect(r.picture!.y + r.picture!.height).toBeLessThan(r.text.y);
      expect(r.picture!.width).toBe(r.text.width);
    }
    // A square frame that burns captions is left a wide, low area: a narrow column beside the text.
    const square = slideRegions('1:1', { picture: true, index: 1, captionBand: true });
    expect(square.picture!.x).toBeGreaterThan(square.text.x + square.text.width);
    expect(square.picture!.width).toBeLessThan(square.text.width / 2);
  });

  it.each(RATIOS)('%s: the title slide gets a larger picture, and 1:1 the smallest share', (ar) => {
    const area = (b: Box) => b.width * b.height;
    const share = (index: number) => {
      const r = slideRegions(ar, { picture: true, index });
      return area(r.picture!) / area(r.content);
    };
    expect(share(0)).toBeGreaterThan(share(1));
    if (ar === '1:1') expect(share(1)).toBeLessThan(0.35);
  });

  it('the checks above can fail: the text-only box covers where the picture goes', () => {
    for (const ar of RATIOS) {
      const picture = slideRegions(ar, { picture: true, index: 1 }).picture!;
      expect(overlaps(slideRegions(ar, { picture: false, index: 1 }).text, picture)).toBe(true);
      expect(overlaps(slideRegions(ar, { picture: false, index: 1 }).text, captionBox(ar))).toBe(true);
    }
  });
});

describe('planSlide with a picture: hostile decks', () => {
  const cases = Object.keys(HOSTILE).flatMap((deck) =>
    RATIOS.flatMap((ar) => [0, 1].flatMap((index) => [false, true].map((band) => [deck, ar, index, band] as const))),
  );
  it.each(cases)('%s, %s, slide %i, captionBand %s: every line in the frame, off the picture and the band', (deck, ar, index, captionBand) => {
    const { title, bullets } = HOSTILE[deck];
    const plan = planSlide({ title, bullets, index, aspectRatio: ar, captionBand }, true, measure);
    const { frame, text, picture, captionBand: band } = plan.regions;
    const options = layoutOptionsFor(slideGeometry(ar).scale);
    expect(plan.lines.length).toBeGreaterThan(1);
    expect(plan.lines[0].kind).toBe('title');
    expect(plan.lines.some((l) => l.kind === 'bullet')).toBe(true);
    for (const line of plan.lines) {
      for (const b of [line.box, ...(line.marker ? [line.marker] : [])]) {
        expect(inside(b, frame)).toBe(true);
        expect(inside(b, text)).toBe(true);
        expect(overlaps(b, picture!)).toBe(false);
        if (band) expect(overlaps(b, band)).toBe(false);
      }
      expect(line.font.size).toBeGreaterThanOrEqual(line.kind === 'title' ? options.titleMinSize : options.bulletMinSize);
    }
  });

  it('mirrors an RTL slide: the picture on the left in 16:9, the text right-aligned beside it', () => {
    const plan = planSlide({ ...HOSTILE.RTL, index: 1, aspectRatio: '16:9' }, true, measure);
    const { text, picture } = plan.regions;
    expect(picture!.x).toBe(plan.regions.content.x);
    const right = text.x + text.width;
    const title = plan.lines.filter((l) => l.kind === 'title');
    expect(title.every((l) => l.rtl && l.anchorX === right)).toBe(true);
    const markers = plan.lines.filter((l) => l.rtl && l.marker);
    expect(markers.length).toBeGreaterThan(0);
    // The bullet marker sits on the right of its line, between the text and the box's right edge.
    for (const l of markers) expect(l.marker!.x).toBeGreaterThan(l.box.x + l.box.width);
  });
});
