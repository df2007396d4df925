import { Injectable, Logger } from '@nestjs/common';
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { AspectRatio } from './aspect-ratio.js';
import { encodeFastPng } from './fast-png.js';
import { ensureFonts, fontString } from './fonts.js';
import { slideGeometry, type SlideGeometry } from './slide-geometry.js';
import { decodePicture, paintPicture, type DecodedPicture } from './slide-picture-painter.js';
import type { SlidePicture } from './slide-picture.js';
import { planSlide, slideIsRtl } from './slide-plan.js';
import { slideRegions } from './slide-regions.js';
import type { FontSpec } from './text-layout.js';
import { getTheme } from './themes.js';

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

export { isRtl, layoutOptionsFor, slideGeometry, type SlideGeometry } from './slide-geometry.js';

/** What render drew: the PNG, and why the picture was left out when it was given but not drawn. */
export interface RenderedSlide {
  png: Buffer;
  pictureDrawn: boolean;
  warning?: string;
}

/** What drawSlide painted, before encoding: the canvas, and the same facts as RenderedSlide. */
export interface DrawnSlide {
  canvas: Canvas;
  pictureDrawn: boolean;
  warning?: string;
}

@Injectable()
export class SlideRenderer {
  private readonly families = ensureFonts();

  private readonly logger = new Logger(SlideRenderer.name);

  async render(input: RenderSlideInput): Promise<Buffer> {
    return (await this.renderSlide(input)).png;
  }

  /** Like render, and says whether the picture was drawn: a picture that fails to decode is left out, never fatal. */
  async renderSlide(input: RenderSlideInput): Promise<RenderedSlide> {
    const { canvas, ...drawn } = await this.drawSlide(input);
    return { png: await encodeFastPng(canvas), ...drawn };
  }

  /** The slide painted on a canvas, not yet encoded (the benchmark compares encoders on it). */
  async drawSlide(input: RenderSlideInput): Promise<DrawnSlide> {
    const g = slideGeometry(input.aspectRatio);
    const theme = getTheme(input.theme);
    const canvas = createCanvas(g.width, g.height);
    const ctx = canvas.getContext('2d');
    const font = (f: FontSpec) => fontString(f.size, f.bold, this.families);

    let picture: DecodedPicture | undefined;
    let warning: string | undefined;
    if (input.picture) {
      const box = slideRegions(input.aspectRatio, {
        picture: true,
        captionBand: input.captionBand,
        index: input.index,
        rtl: slideIsRtl(input.title, input.bullets),
      }).picture!;
      const decoded = await decodePicture(input.picture, theme.accent, box);
      if (decoded.ok) picture = decoded.picture;
      else {
        warning = `slide ${input.index + 1}: picture left out, ${decoded.reason}`;
        this.logger.warn(warning);
      }
    }

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

    const plan = planSlide(input, picture !== undefined, measure);
    if (picture && plan.regions.picture) {
      paintPicture(ctx, picture, plan.regions.picture, { accent: theme.accent, scale: g.scale, font: (size) => fontString(size, false, this.families) });
    }
    ctx.textBaseline = 'middle';
    for (const line of plan.lines) {
      ctx.font = font(line.font);
      ctx.fillStyle = line.kind === 'title' ? theme.title : theme.text;
      ctx.direction = line.rtl ? 'rtl' : 'ltr';
      ctx.textAlign = line.rtl ? 'right' : 'left';
      ctx.fillText(line.text, line.anchorX, line.centerY);
      if (line.marker) {
        ctx.fillStyle = theme.accent;
        ctx.beginPath();
        ctx.arc(line.marker.x + line.marker.width / 2, line.centerY, line.marker.width / 2, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    return { canvas, pictureDrawn: picture !== undefined, warning };
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
