import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DeckStep, FAKE_USAGE, type FakeUsage, deckReply, slideCountInText } from './fake-deck.js';
import { fakePicture, fakeSizeFromDimensions, NOT_AN_IMAGE } from './fake-image.js';
import { header, json, listenLocal, parseJson, type ScriptedView, scripted, transportFailure, withBody } from './fake-http.js';

/**
 * A fake OpenAI-compatible server on 127.0.0.1: chat completions (`POST {base}/chat/completions`)
 * and the Images API (`POST {base}/images/generations`), `Authorization: Bearer …`.
 * Error bodies and headers copy OpenAI's. Each call takes the next scripted step, or the
 * default: a valid deck with as many slides as the request's json_schema asked for, or
 * for an image request one PNG as `b64_json`, shaped like the asked `size`.
 */

export type FakeOpenAiStep =
  /** deck, text, invalid_json, wrong_count: the reply as the message content. */
  | DeckStep
  /** 429 rate_limit_exceeded with `retry-after` (seconds, default "7"; null for none). */
  | { kind: 'rate_limited'; retryAfter?: string | null }
  /** 429 insufficient_quota: out of credit, which waiting does not cure. */
  | { kind: 'insufficient_quota' }
  | { kind: 'server_error'; status?: 500 | 502 | 503 }
  | { kind: 'bad_request'; message?: string }
  /** 401 invalid_api_key; echoKey puts the whole key in the message, as a careless proxy might. */
  | { kind: 'unauthorized'; echoKey?: boolean }
  | { kind: 'forbidden' }
  /** Ollama's answer for a model that is not pulled. */
  | { kind: 'model_not_found' }
  /** 200 with message.refusal set (structured outputs' way to decline). */
  | { kind: 'refusal'; refusal?: string }
  /** 200 with finish_reason content_filter and no content. */
  | { kind: 'content_filter' }
  /** Images API: one picture as b64_json, shaped like the request's size. */
  | { kind: 'image'; format?: 'png' | 'jpeg' }
  /** Images API: 200 with `data: []`. */
  | { kind: 'no_image' }
  /** Images API: b64_json holding bytes of no image format. */
  | { kind: 'garbage_image' }
  /** Images API: what gpt-image-1 answers for a prompt its safety system refuses. */
  | { kind: 'moderation_blocked' }
  | { kind: 'hang' }
  | { kind: 'reset' };

export type FakeOpenAiStepName = FakeOpenAiStep['kind'];

export interface RecordedOpenAiRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The bearer token, if any. */
  apiKey?: string;
  /** The parsed JSON body (model, messages, response_format…). */
  body: any;
}

export interface FakeOpenAiOptions {
  /** When set, any other bearer token gets 401 invalid_api_key. Unset: no auth (like Ollama). */
  apiKey?: string;
  slideCount?: number;
}

export interface FakeOpenAi extends ScriptedView<FakeOpenAiStep, RecordedOpenAiRequest> {
  /** For OPENAI_BASE_URL, e.g. http://127.0.0.1:40123/v1. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const calls = scripted<FakeOpenAiStep, RecordedOpenAiRequest>();

  const server = await listenLocal(
    withBody((req, res, raw) => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const images = path === '/v1/images/generations';
      if (req.method !== 'POST' || (path !== '/v1/chat/completions' && !images)) {
        return openAiError(res, 404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error', null);
      }
      const auth = header(req, 'authorization');
      const apiKey = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
      const parsed = parseJson(raw);
      if (!parsed) return openAiError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
      const body = parsed.value;
      calls.record({ method: req.method, path, headers: req.headers, apiKey, body });

      if (options.apiKey !== undefined && apiKey !== options.apiKey) return unauthorized(res, apiKey, false);
      const step = calls.next() ?? { kind: images ? 'image' : 'deck' };
      const asked = options.slideCount ?? askedSlideCount(body) ?? 5;
      respond(res, step, asked, String(body?.model ?? 'fake-model'), apiKey, body?.size);
    }),
  );

  return calls.expose({ baseUrl: `${server.origin}/v1`, close: server.close });
}

function respond(res: ServerResponse, step: FakeOpenAiStep, asked: number, model: string, apiKey: string | undefined, size?: string): void {
  switch (step.kind) {
    case 'image': {
      const { width, height } = fakeSizeFromDimensions(size);
      return imagesReply(res, [fakePicture(width, height, step.format ?? 'png')]);
    }
    case 'no_image':
      return imagesReply(res, []);
    case 'garbage_image':
      return imagesReply(res, [NOT_AN_IMAGE]);
    case 'moderation_blocked':
      return openAiError(
        res,
        400,
        'Your request was rejected as a result of our safety system. Your request may contain content that is not allowed by our safety system.',
        'image_generation_user_error',
        'moderation_blocked',
      );
    case 'deck':
    case 'text':
    case 'invalid_json':
    case 'wrong_count': {
      const reply = deckReply(step, asked);
      return completion(res, model, reply.text, reply.usage);
    }
    case 'rate_limited': {
      const after = step.retryAfter === undefined ? '7' : step.retryAfter;
      const headers: Record<string, string> = { 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '0' };
      if (after !== null) headers['retry-after'] = after;
      return openAiError(
        res,
        429,
        `Rate limit reached for ${model} on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${after ?? 'a few'}s.`,
        'requests',
        'rate_limit_exceeded',
        headers,
      );
    }
    case 'insufficient_quota':
      return openAiError(
        res,
        429,
        'You exceeded your current quota, please check your plan and billing details.',
        'insufficient_quota',
        'insufficient_quota',
      );
    case 'server_error':
      return openAiError(res, step.status ?? 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
    case 'bad_request':
      return openAiError(res, 400, step.message ?? "Invalid schema for response_format 'slide_deck'.", 'invalid_request_error', null);
    case 'unauthorized':
      return unauthorized(res, apiKey, step.echoKey ?? false);
    case 'forbidden':
      return openAiError(res, 403, 'You are not allowed to sample from this model', 'invalid_request_error', 'model_not_found');
    case 'model_not_found':
      return json(res, 404, { error: `model "${model}" not found, try pulling it first` });
    case 'refusal':
      return completion(res, model, null, FAKE_USAGE, { refusal: step.refusal ?? "I'm sorry, I can't help with that request." });
    case 'content_filter':
      return completion(res, model, null, FAKE_USAGE, { finishReason: 'content_filter' });
    case 'hang':
    case 'reset':
      transportFailure(res, step.kind);
  }
}

function completion(
  res: ServerResponse,
  model: string,
  content: string | null,
  usage: FakeUsage = FAKE_USAGE,
  extra: { refusal?: string; finishReason?: string } = {},
): void {
  json(res, 200, {
    id: `chatcmpl-fake${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: extra.refusal ?? null, annotations: [] },
        logprobs: null,
        finish_reason: extra.finishReason ?? 'stop',
      },
    ],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
    system_fingerprint: 'fp_fake',
  });
}

/** The Images API's answer (gpt-image-1: always base64, with token usage). */
function imagesReply(res: ServerResponse, pictures: Buffer[]): void {
  json(res, 200, {
    created: Math.floor(Date.now() / 1000),
    data: pictures.map((p) => ({ b64_json: p.toString('base64') })),
    usage: { input_tokens: 40, output_tokens: 4160, total_tokens: 4200, input_tokens_details: { text_tokens: 40, image_tokens: 0 } },
  });
}

function unauthorized(res: ServerResponse, apiKey: string | undefined, echoKey: boolean): void {
  const shown = !apiKey ? '' : echoKey ? apiKey : `${apiKey.slice(0, 3)}***${apiKey.slice(-4)}`;
  openAiError(
    res,
    401,
    `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    'invalid_api_key',
  );
}

function openAiError(res: ServerResponse, status: number, message: string, type: string, code: string | null, headers: Record<string, string> = {}): void {
  json(res, status, { error: { message, type, param: null, code } }, headers);
}

function askedSlideCount(body: any): number | undefined {
  const fromSchema = Number(body?.response_format?.json_schema?.schema?.properties?.slides?.minItems);
  if (Number.isInteger(fromSchema) && fromSchema > 0) return fromSchema;
  return slideCountInText(JSON.stringify(body?.messages ?? []));
}
