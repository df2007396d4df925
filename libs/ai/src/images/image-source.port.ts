import type { AspectRatio } from '@app/common';

export interface ImageRequest {
  /** 1 to 5 search words from the deck's `visual`, most specific first. */
  keywords: string[];
  /** A one-sentence description for image models. */
  prompt: string;
  /** The video's; photo searches pick an orientation and models a shape from it. */
  aspectRatio: AspectRatio;
  /** BCP-47 tag of the video; keywords may be in that language. */
  language: string;
  /** Aborted when the video is deleted or the job is cancelled. */
  signal?: AbortSignal;
}

export interface ImageResult {
  /** `icon`: SVG markup drawn in the theme's accent colour; `image`: raster bytes shown as they are. */
  kind: 'icon' | 'image';
  data: Buffer;
  mime: 'image/svg+xml' | 'image/png' | 'image/jpeg' | 'image/webp';
  /** Where it came from, e.g. `tabler:bee`, `pexels:2014422`, `gemini:gemini-2.5-flash-image`. */
  source: string;
  /** Credit owed (Pexels: "Photo by Jane Doe on Pexels"); null when none is owed. */
  attribution: string | null;
}

/**
 * Port: finds or makes the picture for one slide. Adapters (one folder per vendor under
 * adapters/): icons (offline, the default), gemini, openai, pexels, none.
 * Resolves null when the source has nothing for the request (no search hit, an empty
 * answer); rejects with a ProviderError on a failed call, classified like the LLM's and
 * TTS's (429 waits, 5xx retried, permanent errors fail fast). The deck stage falls back
 * to an icon in both cases rather than failing the video.
 */
export abstract class ImageSource {
  /** IMAGE_PROVIDER's value: part of the image cache key and of the video's `providers.image`. */
  abstract readonly provider: string;
  /** The model or catalogue version; part of the image cache key. */
  abstract readonly model: string;
  /**
   * Whether results go through the generation cache (content-addressed blob, one row per
   * key). True for anything remote (paid or rate-limited); local sources that are cheaper
   * to ask again than to look up turn it off.
   */
  readonly cacheable: boolean = true;
  abstract find(request: ImageRequest): Promise<ImageResult | null>;
}
