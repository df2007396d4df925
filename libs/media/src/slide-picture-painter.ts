import { createHash } from 'node:crypto';
import { loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import type { Box } from './caption-box.js';
import type { SlidePicture } from './slide-picture.js';

export type DecodedPicture = { kind: 'icon' | 'image'; image: Image; attribution?: string };
export type DecodeResult = { ok: true; picture: DecodedPicture } | { ok: false; reason: string };

// The icon takes this share of the tinted disc's diameter; the disc is the box's short side.
const ICON_SHARE = 0.6;

/** The icon's side in pixels for a picture box, so it is rasterised at the size it is drawn. */
export function iconSize(box: Box): number {
  return Math.max(1, Math.round(Math.min(box.width, box.height) * ICON_SHARE));
}

/**
 * Icon sets draw with currentColor at 24 px. Paint them in `color` and ask for `size` px on
 * the root element, so the rasteriser draws vectors at the final size instead of an
 * upscaled blur. Only the root <svg> tag's width/height change (viewBox keeps the drawing).
 */
export function prepareIconSvg(svg: string, color: string, size: number): string {
  const recoloured = svg.replace(/currentColor/gi, color);
  return recoloured.replace(/<svg\b[^>]*>/i, (tag) => {
    const bare = tag.replace(/\s(width|height)\s*=\s*("[^"]*"|'[^']*')/gi, '');
    return bare.replace(/^<svg\b/i, `<svg width="${size}" height="${size}"`);
  });
}

// The same icon in the same colour and size recurs on every slide of a deck and across videos.
const ICON_CACHE_LIMIT = 64;
const iconCache = new Map<string, Image>();

async function decodeIcon(svg: Buffer, color: string, size: number): Promise<Image> {
  const key = `${createHash('sha1').update(svg).digest('hex')}|${color}|${size}`;
  const hit = iconCache.get(key);
  if (hit) {
    iconCache.delete(key); // re-insert: Map order is the LRU order
    iconCache.set(key, hit);
    return hit;
  }
  const image = await loadImage(Buffer.from(prepareIconSvg(svg.toString('utf8'), color, size)));
  iconCache.set(key, image);
  if (iconCache.size > ICON_CACHE_LIMIT) iconCache.delete(iconCache.keys().next().value!);
  return image;
}

/**
 * Decodes a slide's picture; never throws. A picture that cannot be decoded (corrupt bytes,
 * an SVG that is not one) comes back as { ok: false } so the slide renders without it.
 */
export async function decodePicture(picture: SlidePicture, accent: string, box: Box): Promise<DecodeResult> {
  try {
    // Always a Buffer: loadImage reads a string as a path or URL.
    const image = picture.kind === 'icon' ? await decodeIcon(picture.data, accent, iconSize(box)) : await loadImage(Buffer.from(picture.data));
    if (!(image.width > 0 && image.height > 0)) return { ok: false, reason: `${picture.kind} has no pixels` };
    return { ok: true, picture: { kind: picture.kind, image, attribution: picture.attribution?.trim() || undefined } };
  } catch (error) {
    return { ok: false, reason: `${picture.kind} could not be decoded: ${(error as Error).message}` };
  }
}

export interface PaintStyle {
  accent: string;
  scale: number;
  /** A CSS font string for the attribution at the given size. */
  font: (size: number) => string;
}

export function paintPicture(ctx: SKRSContext2D, p: DecodedPicture, box: Box, style: PaintStyle): void {
  const radius = Math.round(28 * style.scale);
  ctx.save();
  if (p.kind === 'icon') {
    // A soft tinted card and disc in the accent colour, so the line icon reads as an illustration.
    ctx.fillStyle = style.accent;
    ctx.globalAlpha = 0.07;
    ctx.beginPath();
    ctx.roundRect(box.x, box.y, box.width, box.height, radius);
    ctx.fill();
    const d = Math.min(box.width, box.height) * 0.86;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    ctx.globalAlpha = 0.12;
    ctx.beginPath();
    ctx.arc(cx, cy, d / 2, 0, Math.PI * 2);
    ctx.fill();
    ctx.globalAlpha = 1;
    const s = iconSize(box);
    ctx.drawImage(p.image, Math.round(cx - s / 2), Math.round(cy - s / 2), s, s);
  } else {
    // Cover: fill the box, crop the overflow evenly on both sides.
    const k = Math.max(box.width / p.image.width, box.height / p.image.height);
    const sw = box.width / k;
    const sh = box.height / k;
    ctx.beginPath();
    ctx.roundRect(box.x, box.y, box.width, box.height, radius);
    ctx.clip();
    ctx.drawImage(p.image, (p.image.width - sw) / 2, (p.image.height - sh) / 2, sw, sh, box.x, box.y, box.width, box.height);
  }
  ctx.restore();
  if (p.attribution) paintAttribution(ctx, p.attribution, box, style);
}

/**
 * The credit, small, in a dark translucent pill over the picture's bottom edge: white on
 * near-black reads on every theme and over any photo, and it stays inside the picture box.
 */
function paintAttribution(ctx: SKRSContext2D, text: string, box: Box, style: PaintStyle): void {
  const pad = Math.round(10 * style.scale);
  const inset = Math.round(14 * style.scale);
  ctx.save();
  const maxText = box.width - 2 * inset - 2 * pad;
  if (maxText <= 0) return ctx.restore();
  // A credit is owed in full: a smaller font before any ellipsis (down to a size still legible at 1080p).
  const minSize = Math.max(10, Math.round(15 * style.scale));
  let size = Math.max(10, Math.round(22 * style.scale));
  ctx.font = style.font(size);
  while (size > minSize && ctx.measureText(text).width > maxText) ctx.font = style.font(--size);
  let shown = text;
  if (ctx.measureText(shown).width > maxText) {
    const chars = Array.from(text);
    while (chars.length > 0 && ctx.measureText(chars.join('') + '…').width > maxText) chars.pop();
    shown = chars.join('') + '…';
  }
  const w = ctx.measureText(shown).width + 2 * pad;
  const h = Math.round(size * 1.5);
  const x = box.x + box.width - inset - w;
  const y = box.y + box.height - inset - h;
  ctx.fillStyle = 'rgba(0,0,0,0.62)';
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, h / 2);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.direction = 'ltr';
  ctx.fillText(shown, x + pad, y + h / 2);
  ctx.restore();
}
