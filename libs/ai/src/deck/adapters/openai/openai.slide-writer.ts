import { DECK_SCHEMA_NAME, DECK_SYSTEM_INSTRUCTION, type DeckTurn, type RepairContext, buildDeckPrompt, deckJsonSchema } from '../../deck.prompt.js';
import type { DeckRequest } from '../../deck.types.js';
import { classifyHttpFailure, classifyRequestError } from '../../../errors/http-failure.js';
import { oneLine, redactSecrets } from '../../../errors/redact.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { ModelSlideWriter } from '../../model-slide-writer.js';

/** The part of LlmConfig (@app/config) this writer reads; pass the whole LlmConfig. */
export interface OpenAiSlideWriterOptions {
  openai: { baseUrl: string; apiKey?: string; model?: string };
  requestTimeoutMs: number;
}

const KEY_VARIABLE = 'OPENAI_API_KEY';

interface ChatCompletion {
  choices?: { message?: { content?: string | null; refusal?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/**
 * SlideWriter on any server speaking OpenAI's chat completions with structured output
 * (`response_format: json_schema`, strict): OpenAI itself, Ollama, vLLM, LM Studio.
 * Plain fetch: one request per attempt, no client-side retries (BullMQ owns backoff).
 */
export class OpenAiSlideWriter extends ModelSlideWriter {
  readonly provider = 'openai';
  readonly model: string;
  /** Names the server in messages: a user running Ollama should not read "OpenAI". */
  protected readonly label: string;
  private readonly endpoint: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;

  constructor(config: OpenAiSlideWriterOptions) {
    super();
    const { baseUrl, apiKey, model } = config.openai;
    if (!model) throw new Error('OpenAiSlideWriter needs OPENAI_MODEL');
    this.model = model;
    this.apiKey = apiKey;
    this.timeoutMs = config.requestTimeoutMs;
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const host = new URL(this.endpoint).host;
    this.label = host === 'api.openai.com' ? 'OpenAI' : `OpenAI-compatible server at ${host}`;
  }

  protected async turn(request: DeckRequest, repair?: RepairContext): Promise<DeckTurn> {
    const messages = [
      { role: 'system', content: DECK_SYSTEM_INSTRUCTION },
      { role: 'user', content: buildDeckPrompt(request) },
    ];
    if (repair) {
      messages.push({ role: 'assistant', content: repair.previousReply }, { role: 'user', content: repair.prompt });
    }
    const body = {
      model: this.model,
      messages,
      response_format: {
        type: 'json_schema',
        json_schema: { name: DECK_SCHEMA_NAME, strict: true, schema: deckJsonSchema(request.slideCount) },
      },
    };
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const secrets = [this.apiKey];

    // One deadline for the whole exchange, body included: a server that sends headers
    // and then stalls must not hold the job forever.
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.endpoint, { method: 'POST', headers, body: JSON.stringify(body), signal });
      text = await response.text();
    } catch (error) {
      throw classifyRequestError(this.label, error, {
        cancelled: request.signal?.aborted,
        timedOut: deadline.aborted,
        timeoutMs: this.timeoutMs,
        secrets,
      });
    }
    if (!response.ok) {
      throw classifyHttpFailure(this.label, response.status, text, retryAfter(response.headers), {
        keyVariable: KEY_VARIABLE,
        secrets,
      });
    }

    let completion: ChatCompletion;
    try {
      completion = JSON.parse(text) as ChatCompletion;
    } catch {
      throw new ProviderError(this.label, 'transient', 'the server sent a reply that is not JSON');
    }
    const choice = completion.choices?.[0];
    const refusal = choice?.message?.refusal;
    if (refusal) {
      const said = oneLine(redactSecrets(refusal, secrets));
      throw new ProviderError(this.label, 'permanent', `the model refused this prompt ("${said}"); rephrase the topic`);
    }
    if (choice?.finish_reason === 'content_filter') {
      throw new ProviderError(this.label, 'permanent', 'the content filter blocked this prompt (content_filter); rephrase the topic');
    }
    return {
      text: choice?.message?.content ?? undefined,
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
    };
  }
}

/** OpenAI sends `retry-after-ms` next to the standard `retry-after`; the former is finer. */
function retryAfter(headers: Headers): string | null {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return String(ms / 1000);
  return headers.get('retry-after');
}
