import { ASPECT_RATIOS, type AspectRatio } from '@app/common';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where burned captions are drawn: a band across the lower part of the frame, above the
 * slide counter. The renderer keeps slide content out of it when the video burns captions
 * (RenderSlideInput.captionBand), so a caption never covers text or the picture.
 * Sizes are designed for a 1080 px short side and scale with it, like the slide's.
 */
export function captionBox(aspectRatio: AspectRatio): Box {
  const { width, height } = ASPECT_RATIOS[aspectRatio] ?? ASPECT_RATIOS['16:9'];
  const scale = Math.min(width, height) / 1080;
  const margin = Math.round(80 * scale);
  const footer = Math.round(64 * scale); // the counter and progress line
  const boxHeight = Math.round(250 * scale); // two lines of 52 px text with padding
  return { x: margin, y: height - margin - footer - boxHeight, width: width - 2 * margin, height: boxHeight };
}
