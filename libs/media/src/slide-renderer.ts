import { Injectable } from '@nestjs/common';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { ASPECT_RATIOS, type AspectRatio } from './aspect-ratio.js';
import { ensureFonts, fontString } from './fonts.js';
import { layoutSlide, type FontSpec, type LayoutOptions } from './text-layout.js';
import { getTheme } from './themes.js';
import type { SlidePicture } from './slide-picture.js';

export interface RenderSlideInput {
  deckTitle: string;
  title: string;
  bullets: string[];
  /** 0-based. */
  index: number;
  total: number;
  aspectRatio: AspectRatio;
  /** A theme name; an unknown one falls back to the default (rows written before a theme was removed). */
  theme: string;
  /** Shown beside, above or behind the text depending on the aspect ratio; none when absent. */
  picture?: SlidePicture;
  /** The video burns captions: keep the caption band (captionBox) free of content. */
  captionBand?: boolean;
}

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

@Injectable()
export class SlideRenderer {
  private readonly families = ensureFonts();

  async render(input: RenderSlideInput): Promise<Buffer> {
    const g = slideGeometry(input.aspectRatio);
    const theme = getTheme(input.theme);
    const canvas = createCanvas(g.width, g.height);
    const ctx = canvas.getContext('2d');
    const font = (f: FontSpec) => fontString(f.size, f.bold, this.families);

    const bg = ctx.createLinearGradient(0, 0, g.width, g.height);
    bg.addColorStop(0, theme.background[0]);
    bg.addColorStop(1, theme.background[1]);
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, g.width, g.height);
    if (theme.panel) {
      ctx.fillStyle = theme.panel;
      roundRect(ctx, g.margin / 2, g.margin / 2, g.width - g.margin, g.height - g.margin, 32 * g.scale);
    }
    // Accent bar on the leading edge.
    ctx.fillStyle = theme.accent;
    ctx.fillRect(0, 0, Math.round(14 * g.scale), g.height);

    const measure = (text: string, f: FontSpec) => {
      ctx.font = font(f);
      return ctx.measureText(text).width;
    };
    this.drawChrome(ctx, input, g, theme.muted, theme.accent, measure);

    const layout = layoutSlide(input.title, input.bullets, g.content, layoutOptionsFor(g.scale), measure);
    // Centre the block vertically in the content area: short slides look less empty.
    const top = g.content.y + Math.max(0, (g.content.height - layout.height) / 2);
    ctx.textBaseline = 'middle';
    for (const line of layout.lines) {
      const rtl = isRtl(line.text);
      const lineBox = line.font.size * 1.3;
      const cy = top + line.y + lineBox / 2;
      ctx.font = font(line.font);
      ctx.fillStyle = line.kind === 'title' ? theme.title : theme.text;
      ctx.direction = rtl ? 'rtl' : 'ltr';
      ctx.textAlign = rtl ? 'right' : 'left';
      const left = g.content.x + line.x;
      const right = g.content.x + g.content.width - line.x;
      ctx.fillText(line.text, rtl ? right : left, cy);
      if (line.bulletStart) {
        const r = line.font.size * 0.16;
        const mx = rtl ? right + line.x / 2 : left - line.x / 2;
        ctx.fillStyle = theme.accent;
        ctx.beginPath();
        ctx.arc(mx, cy, r, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    return canvas.encode('png');
  }

  private drawChrome(
    ctx: SKRSContext2D,
    input: RenderSlideInput,
    g: SlideGeometry,
    muted: string,
    accent: string,
    measure: (t: string, f: FontSpec) => number,
  ): void {
    const size = Math.round(30 * g.scale);
    const f = { size, bold: false };
    ctx.textBaseline = 'middle';
    ctx.direction = 'ltr';
    ctx.textAlign = 'left';
    ctx.fillStyle = muted;
    ctx.font = fontString(size, false, this.families);
    const y = g.margin + size / 2;
    ctx.fillText(ellipsize(input.deckTitle, g.content.width, f, measure), g.margin, y);

    const counter = `${input.index + 1} / ${input.total}`;
    ctx.textAlign = 'right';
    const cy = g.height - g.margin - size / 2;
    ctx.fillText(counter, g.width - g.margin, cy);
    // Progress line along the bottom: how far through the deck we are.
    const barW = g.content.width - measure(counter, f) - 40 * g.scale;
    if (barW > 0 && input.total > 0) {
      const h = Math.max(2, Math.round(6 * g.scale));
      ctx.globalAlpha = 0.25;
      ctx.fillStyle = muted;
      ctx.fillRect(g.margin, cy - h / 2, barW, h);
      ctx.globalAlpha = 1;
      ctx.fillStyle = accent;
      ctx.fillRect(g.margin, cy - h / 2, (barW * Math.min(input.index + 1, input.total)) / input.total, h);
    }
  }
}

function ellipsize(text: string, maxWidth: number, f: FontSpec, measure: (t: string, f: FontSpec) => number): string {
  if (measure(text, f) <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 0 && measure(chars.join('') + '…', f) > maxWidth) chars.pop();
  return chars.join('') + '…';
}

function roundRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
  ctx.fill();
}
