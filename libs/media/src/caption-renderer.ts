import { Injectable } from '@nestjs/common';
import { createCanvas, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import type { AspectRatio } from './aspect-ratio.js';
import { type Box, captionBox } from './caption-box.js';
import type { CaptionCue } from './caption-cues.js';
import { ensureFonts, fontString } from './fonts.js';
import { isRtl } from './slide-renderer.js';

// One look on every theme: white text on a dark translucent panel reads over light and
// dark slides alike; the spoken word (word style) is yellow and bold, as karaoke captions are.
const PANEL = 'rgba(0, 0, 0, 0.72)';
const TEXT = '#ffffff';
const HIGHLIGHT = '#ffd60a';

/**
 * Draws a caption cue on a slide image: its 1-2 lines centred in captionBox(aspectRatio)
 * on a rounded panel; with `highlight`, that word (an index into cue.words) stands out.
 */
@Injectable()
export class CaptionRenderer {
  private readonly families = ensureFonts();

  /**
   * The slide with the caption, as JPEG at quality 95: a caption state is one image among
   * dozens per slide (word style), and PNG took 3-4x as long to encode here (580 vs 160 ms a
   * 1080p frame on a loaded 2-core machine); x264 at QP 20 loses more than the JPEG does.
   * `slide` is decoded once by the caller and reused for every state.
   */
  async render(slide: Image, aspectRatio: AspectRatio, cue: Pick<CaptionCue, 'lines' | 'words'>, highlight?: number): Promise<Buffer> {
    const canvas = createCanvas(slide.width, slide.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(slide, 0, 0);
    this.draw(ctx, aspectRatio, slide.width, slide.height, cue, highlight);
    return canvas.encode('jpeg', 95);
  }

  private draw(
    ctx: SKRSContext2D,
    aspectRatio: AspectRatio,
    width: number,
    height: number,
    cue: Pick<CaptionCue, 'lines' | 'words'>,
    highlight?: number,
  ): void {
    const box = scaleBox(captionBox(aspectRatio), width);
    const scale = Math.min(width, height) / 1080;
    const pad = Math.round(28 * scale);
    const lines = cue.lines.slice(0, 2);
    // 52 px lines at 1080, smaller when a line of wide glyphs would not fit the box.
    let size = Math.round(52 * scale);
    ctx.font = fontString(size, true, this.families);
    const widest = Math.max(...lines.map((l) => ctx.measureText(l).width));
    if (widest > box.width - 2 * pad) size = Math.max(10, Math.floor((size * (box.width - 2 * pad)) / widest));
    const lineHeight = Math.round(size * 1.3);
    const font = (bold: boolean) => fontString(size, bold, this.families);

    ctx.font = font(true);
    const panelW = Math.min(box.width, Math.max(...lines.map((l) => ctx.measureText(l).width)) + 2 * pad);
    const panelH = lines.length * lineHeight + pad;
    const panelX = box.x + (box.width - panelW) / 2;
    // Anchored to the bottom of the box: one-line cues sit where two-line cues end.
    const panelY = box.y + box.height - panelH;
    ctx.fillStyle = PANEL;
    ctx.beginPath();
    ctx.roundRect(panelX, panelY, panelW, panelH, Math.round(18 * scale));
    ctx.fill();

    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    lines.forEach((line, l) => {
      const cy = panelY + pad / 2 + l * lineHeight + lineHeight / 2;
      const words = cue.words.map((w, i) => ({ ...w, i })).filter((w) => w.line === l);
      const rtl = isRtl(line);
      ctx.direction = rtl ? 'rtl' : 'ltr';
      if (highlight === undefined || words.length === 0) {
        ctx.font = font(true);
        ctx.textAlign = 'center';
        ctx.fillStyle = TEXT;
        ctx.fillText(line, box.x + box.width / 2, cy);
        return;
      }
      // Word by word, so one can differ: laid out in reading order from the line's leading edge.
      ctx.textAlign = rtl ? 'right' : 'left';
      ctx.font = font(true);
      const pieces = words.map((w, k) => ({ text: (k > 0 && !w.glued ? ' ' : '') + w.text, on: w.i === highlight }));
      const total = pieces.reduce((a, p) => a + ctx.measureText(p.text).width, 0);
      let x = rtl ? box.x + (box.width + total) / 2 : box.x + (box.width - total) / 2;
      for (const p of pieces) {
        const w = ctx.measureText(p.text).width;
        ctx.fillStyle = p.on ? HIGHLIGHT : TEXT;
        ctx.fillText(p.text, x, cy);
        x += rtl ? -w : w;
      }
    });
  }
}

/** captionBox is designed for the aspect ratio's frame; a slide image of another size scales it. */
function scaleBox(box: Box, width: number): Box {
  const k = width / (2 * box.x + box.width);
  return { x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k };
}
