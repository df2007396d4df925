/** What a slide should show, in words, as the deck's writer described it (never text to draw). */
export interface SlideVisual {
  /** 1 to 5 search words, most specific first. */
  keywords: string[];
  /** A one-sentence description for an image model. */
  prompt: string;
}

export const PICTURE_KINDS = ['icon', 'image', 'none'] as const;
export type PictureKind = (typeof PICTURE_KINDS)[number];

/** The picture a slide was rendered with, as stored and as the api reports it. */
export interface SlidePictureInfo {
  kind: PictureKind;
  /** Where it came from, e.g. `tabler:bee`, `pexels:2014422`, `gemini:gemini-2.5-flash-image`; '' for none. */
  source: string;
  /** Credit owed, e.g. "Photo by Jane Doe on Pexels"; null when none is owed. */
  attribution: string | null;
}
