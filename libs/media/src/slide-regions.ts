import type { AspectRatio } from './aspect-ratio.js';
import { captionBox, type Box } from './caption-box.js';
import { slideGeometry } from './slide-geometry.js';

export interface SlideRegionOptions {
  /** The slide shows a picture (one that decoded; a broken one gets the text-only layout). */
  picture: boolean;
  /** The video burns captions: nothing of the slide may enter captionBox(aspectRatio). */
  captionBand?: boolean;
  /** 0-based; slide 0 is the title slide, where the picture is large. */
  index: number;
  /** Right-to-left text: the picture moves to the other side, the text keeps the leading one. */
  rtl?: boolean;
}

export interface SlideRegions {
  frame: Box;
  /** Where slide content may go: the area between the deck title and the counter, above the caption band. */
  content: Box;
  /** The box the title and bullets are laid out in. Never overlaps picture or captionBand. */
  text: Box;
  /** The picture's box (attribution is drawn inside it), or null. */
  picture: Box | null;
  /** The band kept free for burned captions, or null when the video does not burn them. */
  captionBand: Box | null;
}

/**
 * Where everything on a slide goes, in pixels of the output frame. One function for the
 * renderer, its tests and anything else that must know (e.g. where a caption may go):
 * 16:9 puts the picture beside the text (trailing ~40 %, half on the title slide), 9:16 above
 * it, 1:1 in a band above it (smaller, so the text keeps the full width), or in a narrow
 * column beside it when the caption band leaves a wide, low content area. Without a
 * picture and without a caption band the text box is exactly the old content area, so
 * text-only slides look as they always did.
 */
export function slideRegions(aspectRatio: AspectRatio, o: SlideRegionOptions): SlideRegions {
  const g = slideGeometry(aspectRatio);
  const frame = { x: 0, y: 0, width: g.width, height: g.height };
  const band = o.captionBand ? captionBox(aspectRatio) : null;
  const gap = Math.round(48 * g.scale);
  const content = { ...g.content };
  if (band) content.height = Math.min(content.height, band.y - gap - content.y);
  if (!o.picture) return { frame, content, text: content, picture: null, captionBand: band };

  const title = o.index === 0;
  const square = g.width === g.height;
  // Decided by the content area, not the frame: a square frame that burns captions keeps a
  // wide, low area, where a band above would squeeze the text into a few lines.
  if (content.width > content.height * 1.4) {
    // A column beside the text (narrower in a square frame).
    const pw = Math.round(content.width * (square ? 0.3 : 0.4) + (title ? content.width * 0.1 : 0));
    const ph = title ? content.height : Math.min(content.height, pw);
    const px = o.rtl ? content.x : content.x + content.width - pw;
    const picture = { x: px, y: content.y + Math.round((content.height - ph) / 2), width: pw, height: ph };
    const text = { x: o.rtl ? content.x + pw + gap : content.x, y: content.y, width: content.width - pw - gap, height: content.height };
    return { frame, content, text, picture, captionBand: band };
  }
  // Otherwise the picture above the text, wide as the content; in a square frame a lower band.
  const share = square ? (title ? 0.45 : 0.3) : title ? 0.48 : 0.38;
  const ph = Math.min(content.width, Math.round(content.height * share));
  const picture = { x: content.x, y: content.y, width: content.width, height: ph };
  const text = { x: content.x, y: content.y + ph + gap, width: content.width, height: content.height - ph - gap };
  return { frame, content, text, picture, captionBand: band };
}
