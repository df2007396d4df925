import { ApiError, type Content, type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import { DECK_SYSTEM_INSTRUCTION, type DeckTurn, type RepairContext, buildDeckPrompt, deckJsonSchema } from '../../deck.prompt.js';
import type { DeckRequest } from '../../deck.types.js';
import { classifyHttpFailure, classifyRequestError } from '../../../errors/http-failure.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { ModelSlideWriter } from '../../model-slide-writer.js';

/** The part of LlmConfig (@app/config) this writer reads; pass the whole LlmConfig. */
export interface GeminiSlideWriterOptions {
  gemini: { apiKey?: string; model: string; baseUrl?: string };
  requestTimeoutMs: number;
}

const LABEL = 'Gemini';
const KEY_VARIABLE = 'GOOGLE_GEMINI_API_KEY';

/** Finish reasons that mean Gemini withheld the reply: asking again gets the same answer. */
const BLOCKED_FINISH_REASONS = new Set(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION']);

/**
 * SlideWriter on the Gemini API through @google/genai, with structured output
 * (responseMimeType application/json + responseJsonSchema).
 *
 * The SDK's own retries are off (no `retryOptions`): BullMQ owns backoff, and
 * an SDK retrying a 429 five times inside one job would hide the rate limit from the
 * queue's limiter. The SDK's automatic continuation (extra requests when a reply ends
 * with finishReason CONTINUATION) stays on: it completes one reply rather than retrying,
 * and it is bounded by the same deadline as the first request.
 */
export class GeminiSlideWriter extends ModelSlideWriter {
  readonly provider = 'gemini';
  readonly model: string;
  protected readonly label = LABEL;

  private readonly client: GoogleGenAI;
  private readonly timeoutMs: number;
  private readonly apiKey: string;

  constructor(config: GeminiSlideWriterOptions) {
    super();
    const { apiKey, model, baseUrl } = config.gemini;
    if (!apiKey) throw new Error(`GeminiSlideWriter needs ${KEY_VARIABLE}`);
    this.apiKey = apiKey;
    this.model = model;
    this.timeoutMs = config.requestTimeoutMs;
    this.client = new GoogleGenAI({
      apiKey,
      // Pinned so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot reroute us.
      vertexai: false,
      httpOptions: {
        ...(baseUrl ? { baseUrl } : {}),
        timeout: this.timeoutMs,
        // The global fetch, passed explicitly: otherwise the SDK swaps in a dispatcher it
        // looks up on globalThis, which is missing in a VM context such as Jest's. Undici's
        // own 300 s header/body timeouts then apply, hence AI_REQUEST_TIMEOUT_MS ≤ 300 s.
        fetch: (input, init) => fetch(input, init),
        // No retryOptions on purpose: without them @google/genai 3.x makes exactly one
        // request (with them it retries 408/429/5xx via p-retry).
      },
    });
  }

  protected async turn(request: DeckRequest, repair?: RepairContext): Promise<DeckTurn> {
    const contents: Content[] = [{ role: 'user', parts: [{ text: buildDeckPrompt(request) }] }];
    if (repair) {
      contents.push({ role: 'model', parts: [{ text: repair.previousReply }] }, { role: 'user', parts: [{ text: repair.prompt }] });
    }
    // Our own deadline as well as the SDK's per-request one: it also covers reading
    // the body and any continuation requests.
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;

    let response: GenerateContentResponse;
    try {
      response = await this.client.models.generateContent({
        model: this.model,
        contents,
        config: {
          systemInstruction: DECK_SYSTEM_INSTRUCTION,
          responseMimeType: 'application/json',
          responseJsonSchema: deckJsonSchema(request.slideCount),
          abortSignal: signal,
        },
      });
    } catch (error) {
      throw this.classify(error, request.signal, deadline);
    }

    const blockReason = response.promptFeedback?.blockReason;
    if (blockReason) {
      throw new ProviderError(LABEL, 'permanent', `Gemini blocked this prompt (${blockReason}); rephrase the topic`);
    }
    const finishReason = response.candidates?.[0]?.finishReason;
    if (finishReason && BLOCKED_FINISH_REASONS.has(finishReason)) {
      throw new ProviderError(LABEL, 'permanent', `Gemini blocked the reply to this prompt (${finishReason}); rephrase the topic`);
    }
    const usage = response.usageMetadata;
    return {
      text: textOf(response),
      inputTokens: usage?.promptTokenCount ?? 0,
      // Thinking tokens are billed as output.
      outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
    };
  }

  private classify(error: unknown, callerSignal: AbortSignal | undefined, deadline: AbortSignal): ProviderError {
    const secrets = [this.apiKey];
    if (callerSignal?.aborted) return classifyRequestError(LABEL, error, { cancelled: true, secrets });
    if (error instanceof ApiError) {
      // The SDK puts the response body, as JSON text, in the message.
      return classifyHttpFailure(LABEL, error.status, error.message, undefined, {
        keyVariable: KEY_VARIABLE,
        secrets,
        cause: error,
      });
    }
    return classifyRequestError(LABEL, error, { timedOut: deadline.aborted, timeoutMs: this.timeoutMs, secrets });
  }
}

/** The reply text without thought parts; `response.text` would also warn on other part kinds. */
function textOf(response: GenerateContentResponse): string | undefined {
  const parts = response.candidates?.[0]?.content?.parts;
  if (!parts) return undefined;
  return parts
    .filter((p) => typeof p.text === 'string' && !p.thought)
    .map((p) => p.text)
    .join('');
}
