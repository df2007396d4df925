import { SLIDE_COUNT, type SlideVisual } from '@app/common';
/** One slide as a writer produces it: what is shown and what is said. */
export interface SlideContent {
  title: string;
  bullets: string[];
  narration: string;
  /** What to show beside the text, in words (never text to draw). */
  visual: SlideVisual;
}

/** The whole deck a SlideWriter returns, before it is stored. */
export interface Deck {
  title: string;
  slides: SlideContent[];
}

export interface DeckRequest {
  prompt: string;
  /** A title the user chose; the writer may use it for the deck. */
  title?: string;
  slideCount: number;
  /** BCP-47 tag, e.g. en-US. */
  language: string;
  /** Aborted when the video is deleted or the job is cancelled. */
  signal?: AbortSignal;
}

/** Limits every deck must meet, whoever wrote it (validated in deck.validation.ts). */
export const DECK_LIMITS = {
  minSlides: SLIDE_COUNT.min,
  maxSlides: SLIDE_COUNT.max,
  titleMaxChars: 120,
  minBullets: 0,
  maxBullets: 8,
  bulletMaxChars: 200,
  narrationMinChars: 1,
  narrationMaxChars: 1500,
  minVisualKeywords: 1,
  maxVisualKeywords: 5,
  visualKeywordMaxChars: 40,
  visualPromptMaxChars: 300,
} as const;

/**
 * Why a deck cannot have `slideCount` slides, or undefined when it can. One wording for the
 * validator, the prompt builder and the offline writer; the range is SLIDE_COUNT, as in the api.
 */
export function slideCountProblem(slideCount: number): string | undefined {
  if (Number.isInteger(slideCount) && slideCount >= DECK_LIMITS.minSlides && slideCount <= DECK_LIMITS.maxSlides) return undefined;
  return `the slide count must be a whole number from ${DECK_LIMITS.minSlides} to ${DECK_LIMITS.maxSlides}, got ${slideCount}`;
}
