import type { AspectRatio } from './aspect-ratio.js';
import type { Box } from './caption-box.js';
import { isRtl, layoutOptionsFor, slideGeometry } from './slide-geometry.js';
import { slideRegions, type SlideRegions } from './slide-regions.js';
import { layoutSlide, type FontSpec, type MeasureText, type SlideLayout } from './text-layout.js';

export interface PlacedLine {
  text: string;
  font: FontSpec;
  kind: 'title' | 'bullet';
  rtl: boolean;
  /** Where fillText anchors the line (textAlign left for LTR, right for RTL) and its vertical middle. */
  anchorX: number;
  centerY: number;
  /** The line's text box in frame pixels: advance width by line height. */
  box: Box;
  /** The bullet marker's box, on the first line of a bullet. */
  marker: Box | null;
}

export interface SlidePlan {
  regions: SlideRegions;
  layout: SlideLayout;
  lines: PlacedLine[];
}

export interface SlidePlanInput {
  title: string;
  bullets: string[];
  index: number;
  aspectRatio: AspectRatio;
  captionBand?: boolean;
}

/** The slide's direction: that of its first text with a strong character. */
export function slideIsRtl(title: string, bullets: string[]): boolean {
  return isRtl([title, ...bullets].join(' '));
}

/**
 * Every line of text placed in frame pixels, inside regions.text. The renderer draws
 * exactly this, and tests check it: a line box that leaves the text box is a bug here.
 */
export function planSlide(input: SlidePlanInput, hasPicture: boolean, measure: MeasureText): SlidePlan {
  const g = slideGeometry(input.aspectRatio);
  const regions = slideRegions(input.aspectRatio, {
    picture: hasPicture,
    captionBand: input.captionBand,
    index: input.index,
    rtl: slideIsRtl(input.title, input.bullets),
  });
  const t = regions.text;
  const options = layoutOptionsFor(g.scale);
  const layout = layoutSlide(input.title, input.bullets, t, options, measure);
  // Centre the block vertically in the text box: short slides look less empty. Under a
  // picture the text starts right below it instead, so the two read as one column.
  const below = regions.picture !== null && regions.picture.y < t.y;
  const top = below ? t.y : t.y + Math.max(0, (t.height - layout.height) / 2);
  const lines = layout.lines.map((line): PlacedLine => {
    const rtl = isRtl(line.text);
    const lineHeight = line.font.size * options.lineHeight;
    const y = top + line.y;
    const left = t.x + line.x;
    const right = t.x + t.width - line.x;
    const r = line.font.size * 0.16;
    const mx = rtl ? right + line.x / 2 : left - line.x / 2;
    return {
      text: line.text,
      font: line.font,
      kind: line.kind,
      rtl,
      anchorX: rtl ? right : left,
      centerY: y + lineHeight / 2,
      box: { x: rtl ? right - line.width : left, y, width: line.width, height: lineHeight },
      marker: line.bulletStart ? { x: mx - r, y: y + lineHeight / 2 - r, width: 2 * r, height: 2 * r } : null,
    };
  });
  return { regions, layout, lines };
}
