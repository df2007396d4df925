/**
 * The options of a video that the api validates and the worker acts on. This module
 * imports nothing, so the api can use it without loading the renderer's native
 * canvas binary or any provider SDK (Immich keeps its shared enums in one src/enum.ts).
 */

/** How many slides a deck may have: the DTO, the deck validator and the offline writer all use this. */
export const SLIDE_COUNT = { min: 3, max: 20, default: 6 } as const;

export type AspectRatio = '16:9' | '9:16' | '1:1';

/** Output frame size per aspect ratio (1080p on the short side). */
export const ASPECT_RATIOS: Record<AspectRatio, { width: number; height: number }> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
};

export const DEFAULT_ASPECT_RATIO: AspectRatio = '16:9';

/** Slide themes by name; the first is the default. The colours live in @app/media's themes.ts. */
export const THEME_NAMES = ['light', 'dark', 'ocean', 'sunset', 'forest'] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

/**
 * Captions: `burned` draws them into the frames (for feeds watched muted), `sidecar` serves
 * them beside the video as WebVTT or SubRip. The default depends on the aspect ratio.
 */
export const CAPTION_MODES = ['burned', 'sidecar'] as const;
export type CaptionMode = (typeof CAPTION_MODES)[number];
export function defaultCaptionMode(aspectRatio: string): CaptionMode {
  return aspectRatio === '9:16' ? 'burned' : 'sidecar';
}

/** How burned captions are drawn: a phrase at a time, or the phrase with the spoken word highlighted. */
export const CAPTION_STYLES = ['phrase', 'word'] as const;
export type CaptionStyle = (typeof CAPTION_STYLES)[number];
