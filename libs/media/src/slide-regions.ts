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
 * it, 1:1 in a band above it (smaller, so the text keeps the full width). Without a
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
  if (g.width > g.height) {
    // Landscape: a column beside the text.
    const pw = Math.round(content.width * (title ? 0.5 : 0.4));
    const ph = title ? content.height : Math.min(content.height, pw);
    const px = o.rtl ? content.x : content.x + content.width - pw;
    const picture = { x: px, y: content.y + Math.round((content.height - ph) / 2), width: pw, height: ph };
    const text = { x: o.rtl ? content.x + pw + gap : content.x, y: content.y, width: content.width - pw - gap, height: content.height };
    return { frame, content, text, picture, captionBand: band };
  }
  // Portrait: the picture above the text, wide as the content. Square: the same, but a lower band.
  const share = g.height > g.width ? (title ? 0.48 : 0.38) : title ? 0.45 : 0.3;
  const ph = Math.min(content.width, Math.round(content.height * share));
  const picture = { x: content.x, y: content.y, width: content.width, height: ph };
  const text = { x: content.x, y: content.y + ph + gap, width: content.width, height: content.height - ph - gap };
  return { frame, content, text, picture, captionBand: band };
}
