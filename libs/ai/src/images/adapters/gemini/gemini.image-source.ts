import { ApiError, type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import { classifyHttpFailure, classifyRequestError } from '../../../errors/http-failure.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { DEFAULT_MAX_IMAGE_BYTES, decodeBase64Image } from '../../image-bytes.js';
import { imagePrompt } from '../../image-prompt.js';
import { type ImageRetryOptions, withImageRetries } from '../../image-retries.js';
import { ImageSource, type ImageRequest, type ImageResult } from '../../image-source.port.js';

/** What this adapter reads; the lead maps IMAGE_PROVIDER=gemini's settings onto it. */
export interface GeminiImageSourceOptions {
  /** GOOGLE_GEMINI_API_KEY. */
  apiKey?: string;
  /** GEMINI_IMAGE_MODEL, e.g. gemini-2.5-flash-image. */
  model: string;
  /** GEMINI_BASE_URL: the fake in tests; unset, Google's endpoint. */
  baseUrl?: string;
  /** Deadline of one call, body included. */
  timeoutMs: number;
  retries?: ImageRetryOptions;
  maxBytes?: number;
}

const LABEL = 'Gemini image';
const KEY_VARIABLE = 'GOOGLE_GEMINI_API_KEY';

/** Finish reasons meaning the model withheld the picture: asking again gets the same answer. */
const BLOCKED_FINISH_REASONS = new Set([
  'SAFETY',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'RECITATION',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * ImageSource on a Gemini image model ("Nano Banana") through @google/genai:
 * `models.generateContent` with responseModalities IMAGE and imageConfig.aspectRatio;
 * the picture comes back as inlineData in the candidate's parts. Not `generateImages`:
 * in @google/genai 3 it throws unless the client is Vertex, and Imagen on the Gemini API
 * is gone. The client is built as the slide writer builds it (no SDK retries: the
 * retries are ours, see image-retries.ts).
 */
export class GeminiImageSource extends ImageSource {
  readonly provider = 'gemini';
  readonly model: string;
  private readonly client: GoogleGenAI;
  private readonly apiKey: string;

  constructor(private readonly options: GeminiImageSourceOptions) {
    super();
    if (!options.apiKey) throw new Error(`GeminiImageSource needs ${KEY_VARIABLE}`);
    this.apiKey = options.apiKey;
    this.model = options.model;
    this.client = new GoogleGenAI({
      apiKey: options.apiKey,
      // Pinned so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot reroute us.
      vertexai: false,
      httpOptions: {
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        timeout: options.timeoutMs,
        // The global fetch, explicitly: see GeminiSlideWriter (Jest's VM context lacks the SDK's dispatcher).
        fetch: (input, init) => fetch(input, init),
      },
    });
  }

  find(request: ImageRequest): Promise<ImageResult | null> {
    return withImageRetries(LABEL, () => this.generate(request), this.options.retries, request.signal);
  }

  private async generate(request: ImageRequest): Promise<ImageResult | null> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    let response: GenerateContentResponse;
    try {
      response = await this.client.models.generateContent({
        model: this.model,
        contents: [{ role: 'user', parts: [{ text: imagePrompt(request) }] }],
        config: {
          responseModalities: ['IMAGE'],
          imageConfig: { aspectRatio: request.aspectRatio },
          abortSignal: signal,
        },
      });
    } catch (error) {
      throw this.classify(error, request.signal, deadline);
    }

    const blockReason = response.promptFeedback?.blockReason;
    if (blockReason) throw new ProviderError(LABEL, 'permanent', `Gemini blocked this picture's prompt (${blockReason})`);
    const candidate = response.candidates?.[0];
    if (candidate?.finishReason && BLOCKED_FINISH_REASONS.has(candidate.finishReason)) {
      throw new ProviderError(LABEL, 'permanent', `Gemini withheld the picture (${candidate.finishReason})`);
    }
    // The model may answer in words only ("I can't draw that"): no picture, not a failure.
    const inline = candidate?.content?.parts?.find((p) => p.inlineData?.data && !p.thought)?.inlineData;
    if (!inline?.data) return null;
    const { data, mime } = decodeBase64Image(LABEL, inline.data, this.options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES);
    return { kind: 'image', data, mime, source: `gemini:${this.model}`, attribution: null };
  }

  private classify(error: unknown, callerSignal: AbortSignal | undefined, deadline: AbortSignal): ProviderError {
    const secrets = [this.apiKey];
    if (callerSignal?.aborted) return classifyRequestError(LABEL, error, { cancelled: true, secrets });
    if (error instanceof ApiError) {
      // The SDK puts the response body, as JSON text, in the message.
      return classifyHttpFailure(LABEL, error.status, error.message, undefined, { keyVariable: KEY_VARIABLE, secrets, cause: error });
    }
    return classifyRequestError(LABEL, error, { timedOut: deadline.aborted, timeoutMs: this.options.timeoutMs, secrets });
  }
}
