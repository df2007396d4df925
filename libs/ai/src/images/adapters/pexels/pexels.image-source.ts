import type { AspectRatio } from '@app/common';
import { ProviderError } from '../../../errors/provider.error.js';
import { DEFAULT_MAX_IMAGE_BYTES, checkedImage } from '../../image-bytes.js';
import { type ImageRetryOptions, withImageRetries } from '../../image-retries.js';
import { ImageSource, type ImageRequest, type ImageResult } from '../../image-source.port.js';
import { httpImageCall } from '../http-image-call.js';

/** What this adapter reads; the lead maps IMAGE_PROVIDER=pexels's settings onto it. */
export interface PexelsImageSourceOptions {
  /** PEXELS_API_KEY. */
  apiKey?: string;
  /** PEXELS_BASE_URL: the fake in tests; default https://api.pexels.com. */
  baseUrl?: string;
  timeoutMs: number;
  /** Results asked per search; only the first is used, a few more cost nothing (default 5). */
  perPage?: number;
  retries?: ImageRetryOptions;
  maxBytes?: number;
}

const LABEL = 'Pexels';
const KEY_VARIABLE = 'PEXELS_API_KEY';
export const PEXELS_DEFAULT_BASE_URL = 'https://api.pexels.com';

/** Pexels' orientation filter and the `src` size cut to that shape. */
const SHAPES: Record<AspectRatio, { orientation: string; size: keyof PexelsSrc }> = {
  '16:9': { orientation: 'landscape', size: 'landscape' },
  '9:16': { orientation: 'portrait', size: 'portrait' },
  '1:1': { orientation: 'square', size: 'large' },
};

interface PexelsSrc {
  original?: string;
  large2x?: string;
  large?: string;
  medium?: string;
  landscape?: string;
  portrait?: string;
}
interface PexelsPhoto {
  id?: number | string;
  photographer?: string;
  src?: PexelsSrc;
}
interface PexelsSearch {
  photos?: PexelsPhoto[];
}

/**
 * ImageSource on the Pexels photo search: `GET {baseUrl}/v1/search?query=…&orientation=…`
 * with the key in `Authorization`, then the first photo's size for the video's shape.
 * Pexels' licence asks for credit, so the photographer is named in `attribution`.
 * A search with no hit is tried again with the first (most specific) keyword alone.
 */
export class PexelsImageSource extends ImageSource {
  readonly provider = 'pexels';
  /** A catalogue, not a model: the API version keys the cache. */
  readonly model = 'v1';
  private readonly apiKey: string;
  private readonly baseUrl: string;

  constructor(private readonly options: PexelsImageSourceOptions) {
    super();
    if (!options.apiKey) throw new Error(`PexelsImageSource needs ${KEY_VARIABLE}`);
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? PEXELS_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  async find(request: ImageRequest): Promise<ImageResult | null> {
    const keywords = request.keywords.map((k) => k.trim()).filter(Boolean);
    if (keywords.length === 0) return null;
    const queries = keywords.length > 1 ? [keywords.join(' '), keywords[0]] : [keywords[0]];
    const shape = SHAPES[request.aspectRatio];
    for (const query of queries) {
      const photo = await withImageRetries(LABEL, () => this.search(query, shape.orientation, request.signal), this.options.retries, request.signal);
      if (photo) return this.download(photo, shape.size, request.signal);
    }
    return null;
  }

  private async search(query: string, orientation: string, signal?: AbortSignal): Promise<PexelsPhoto | undefined> {
    const url = new URL(`${this.baseUrl}/v1/search`);
    url.searchParams.set('query', query);
    url.searchParams.set('orientation', orientation);
    url.searchParams.set('per_page', String(this.options.perPage ?? 5));
    const reply = await httpImageCall({
      label: LABEL,
      url: url.href,
      init: { method: 'GET', headers: { authorization: this.apiKey, accept: 'application/json' } },
      timeoutMs: this.options.timeoutMs,
      signal,
      secrets: [this.apiKey],
      keyVariable: KEY_VARIABLE,
      maxBytes: 2 * 1024 * 1024,
    });
    let parsed: PexelsSearch;
    try {
      parsed = JSON.parse(reply.body.toString('utf8')) as PexelsSearch;
    } catch {
      throw new ProviderError(LABEL, 'transient', 'the server sent a reply that is not JSON');
    }
    return (Array.isArray(parsed?.photos) ? parsed.photos : []).find((p) => p?.id !== undefined && p.src);
  }

  private async download(photo: PexelsPhoto, size: keyof PexelsSrc, signal?: AbortSignal): Promise<ImageResult> {
    const href = photo.src?.[size] ?? photo.src?.large ?? photo.src?.original;
    if (!href || !/^https?:\/\//i.test(href)) {
      throw new ProviderError(LABEL, 'transient', `photo ${String(photo.id)} has no usable download address`);
    }
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    const fetchPhoto = () =>
      httpImageCall({
        label: LABEL,
        url: href,
        // No key: the photos are public, on another host (images.pexels.com) than the API.
        init: { method: 'GET', headers: { accept: 'image/*' } },
        timeoutMs: this.options.timeoutMs,
        signal,
        secrets: [this.apiKey],
        maxBytes,
      }).then((reply) => checkedImage(LABEL, reply.body, maxBytes));
    const { data, mime } = await withImageRetries(LABEL, fetchPhoto, this.options.retries, signal);
    const photographer = photo.photographer?.trim();
    return {
      kind: 'image',
      data,
      mime,
      source: `pexels:${String(photo.id)}`,
      attribution: photographer ? `Photo by ${photographer} on Pexels` : 'Photo from Pexels',
    };
  }
}
