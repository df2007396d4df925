import { ASPECT_RATIOS, type AspectRatio } from './aspect-ratio.js';
import type { LayoutOptions } from './text-layout.js';

// Sizes are designed for a 1080 px short side and scale with it.
export function layoutOptionsFor(scale: number): LayoutOptions {
  return {
    titleMaxSize: Math.round(84 * scale),
    titleMinSize: Math.round(34 * scale),
    titleMaxLines: 3,
    bulletMaxSize: Math.round(56 * scale),
    bulletMinSize: Math.round(20 * scale),
    lineHeight: 1.3,
    titleGap: 1.1,
    bulletGap: 0.35,
    bulletIndent: 1.3,
  };
}

const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;
const LTR_STRONG = /[\p{L}]/u;
/** Direction from the first strong character, like the Unicode bidi "P2" rule. */
export function isRtl(text: string): boolean {
  for (const ch of text) {
    if (RTL.test(ch)) return true;
    if (LTR_STRONG.test(ch)) return false;
  }
  return false;
}

export interface SlideGeometry {
  width: number;
  height: number;
  margin: number;
  scale: number;
  content: { x: number; y: number; width: number; height: number };
}

export function slideGeometry(aspectRatio: AspectRatio): SlideGeometry {
  const { width, height } = ASPECT_RATIOS[aspectRatio] ?? ASPECT_RATIOS['16:9'];
  const scale = Math.min(width, height) / 1080;
  const margin = Math.round(80 * scale);
  const header = Math.round(64 * scale); // deck title on top, counter at the bottom
  return {
    width,
    height,
    margin,
    scale,
    content: { x: margin, y: margin + header, width: width - 2 * margin, height: height - 2 * (margin + header) },
  };
}
