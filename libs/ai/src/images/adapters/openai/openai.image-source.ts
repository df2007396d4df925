import type { AspectRatio } from '@app/common';
import { ProviderError } from '../../../errors/provider.error.js';
import { DEFAULT_MAX_IMAGE_BYTES, decodeBase64Image } from '../../image-bytes.js';
import { imagePrompt } from '../../image-prompt.js';
import { type ImageRetryOptions, withImageRetries } from '../../image-retries.js';
import { ImageSource, type ImageRequest, type ImageResult } from '../../image-source.port.js';
import { httpImageCall } from '../http-image-call.js';

/** What this adapter reads; the lead maps IMAGE_PROVIDER=openai's settings onto it. */
export interface OpenAiImageSourceOptions {
  /** OPENAI_BASE_URL, e.g. https://api.openai.com/v1. */
  baseUrl: string;
  /** OPENAI_API_KEY; unset for a local server that wants none. */
  apiKey?: string;
  /** OPENAI_IMAGE_MODEL, e.g. gpt-image-1. */
  model: string;
  timeoutMs: number;
  retries?: ImageRetryOptions;
  maxBytes?: number;
}

const KEY_VARIABLE = 'OPENAI_API_KEY';

/** The sizes gpt-image-1 accepts, one per video shape (the renderer crops or fits the rest). */
export const OPENAI_IMAGE_SIZES: Record<AspectRatio, string> = {
  '16:9': '1536x1024',
  '9:16': '1024x1536',
  '1:1': '1024x1024',
};

interface ImagesResponse {
  data?: { b64_json?: string | null; url?: string | null }[];
}

/**
 * ImageSource on OpenAI's Images API: `POST {baseUrl}/images/generations` with
 * `{model, prompt, size, n: 1}` → `data[0].b64_json` (gpt-image-1 always answers base64).
 * Plain fetch, as the OpenAI slide writer does; retries are ours (image-retries.ts).
 */
export class OpenAiImageSource extends ImageSource {
  readonly provider = 'openai';
  readonly model: string;
  /** Names the server in messages, as the slide writer does. */
  private readonly label: string;
  private readonly endpoint: string;

  constructor(private readonly options: OpenAiImageSourceOptions) {
    super();
    if (!options.model) throw new Error('OpenAiImageSource needs OPENAI_IMAGE_MODEL');
    this.model = options.model;
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/images/generations`;
    const host = new URL(this.endpoint).host;
    this.label = host === 'api.openai.com' ? 'OpenAI image' : `OpenAI-compatible image server at ${host}`;
  }

  find(request: ImageRequest): Promise<ImageResult | null> {
    return withImageRetries(this.label, () => this.generate(request), this.options.retries, request.signal);
  }

  private async generate(request: ImageRequest): Promise<ImageResult | null> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    const body = { model: this.model, prompt: imagePrompt(request), size: OPENAI_IMAGE_SIZES[request.aspectRatio], n: 1 };
    const reply = await httpImageCall({
      label: this.label,
      url: this.endpoint,
      init: { method: 'POST', headers, body: JSON.stringify(body) },
      timeoutMs: this.options.timeoutMs,
      signal: request.signal,
      secrets: [this.options.apiKey],
      keyVariable: KEY_VARIABLE,
      // Base64 is 4/3 of the bytes, plus the JSON around it.
      maxBytes: Math.ceil(maxBytes / 3) * 4 + 64 * 1024,
    });
    let parsed: ImagesResponse;
    try {
      parsed = JSON.parse(reply.body.toString('utf8')) as ImagesResponse;
    } catch {
      throw new ProviderError(this.label, 'transient', 'the server sent a reply that is not JSON');
    }
    const b64 = parsed?.data?.[0]?.b64_json;
    if (typeof b64 !== 'string' || b64.length === 0) return null;
    const { data, mime } = decodeBase64Image(this.label, b64, maxBytes);
    return { kind: 'image', data, mime, source: `openai:${this.model}`, attribution: null };
  }
}
