import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DeckStep, FAKE_USAGE, type FakeDeck, type FakeUsage, deckReply, fakeDeck, slideCountInText } from './fake-deck.js';
import { fakePicture, fakeSizeFor, NOT_AN_IMAGE } from './fake-image.js';
import { googleError, header, json, listenLocal, parseJson, type ScriptedView, scripted, sleep, transportFailure, withBody } from './fake-http.js';

// Kept here for the specs that import them from this file.
export { FAKE_USAGE, fakeDeck, slideCountInText };
export type { FakeDeck, FakeUsage };

/**
 * A fake of the Gemini API's generateContent (REST, as @google/genai 3.x sends it:
 * `POST {base}/v1/models/{model}:generateContent`, key in `x-goog-api-key`; v1beta and
 * `?key=` are accepted too), on 127.0.0.1, for unit and end-to-end tests. Point the
 * real SDK at it with `httpOptions.baseUrl` (GEMINI_BASE_URL=fake.baseUrl).
 *
 * Each call takes the next scripted step, or the default (a valid deck with as many
 * slides as the request asked for; for a request with responseModalities IMAGE, as
 * image models such as gemini-2.5-flash-image get, a PNG of the asked aspect ratio as
 * inlineData). Error bodies copy Google's real envelopes.
 */

export type FakeGeminiStep =
  /** deck, text, invalid_json, wrong_count: the reply as a candidate's text. */
  | DeckStep
  /** 429 RESOURCE_EXHAUSTED with google.rpc.RetryInfo (retryDelay "7s" unless null). */
  | { kind: 'rate_limited'; retryDelay?: string | null }
  | { kind: 'server_error'; status?: 500 | 503 }
  | { kind: 'bad_request'; message?: string }
  /** What Gemini really sends for a wrong key: 400 INVALID_ARGUMENT, ErrorInfo API_KEY_INVALID. */
  | { kind: 'invalid_key'; echoKey?: boolean }
  | { kind: 'unauthorized'; echoKey?: boolean }
  | { kind: 'forbidden'; echoKey?: boolean }
  /** 200 with promptFeedback.blockReason and no candidates. */
  | { kind: 'blocked_prompt'; reason?: string }
  /** 200 with a candidate stopped for a safety reason and no content. */
  | { kind: 'blocked_reply'; finishReason?: string }
  /** An image model's answer: inlineData PNG (or JPEG) shaped by imageConfig.aspectRatio. */
  | { kind: 'image'; format?: 'png' | 'jpeg' }
  /** An image model answering in words only, with no inlineData part. */
  | { kind: 'no_image'; text?: string }
  /** inlineData that claims image/png but holds bytes of no image format. */
  | { kind: 'garbage_image' }
  /** Never answers; the connection stays open until the client gives up or close(). */
  | { kind: 'hang' }
  /** Destroys the socket without a response (the client sees a connection reset). */
  | { kind: 'reset' };

export type FakeGeminiStepName = FakeGeminiStep['kind'];

export interface RecordedGeminiRequest {
  method: string;
  path: string;
  /** The model id from the path, e.g. gemini-3.8-flash. */
  model?: string;
  headers: IncomingMessage['headers'];
  apiKey?: string;
  /** The parsed JSON body (contents, systemInstruction, generationConfig…). */
  body: any;
}

export interface FakeGeminiOptions {
  /** When set, any other key gets Gemini's 400 API_KEY_INVALID. */
  apiKey?: string;
  /** Slide count for default decks when the request does not say (schema or prompt). */
  slideCount?: number;
  /** Answer after this long, as a real model takes seconds to write a deck (default 0). */
  latencyMs?: number;
}

export interface FakeGemini extends ScriptedView<FakeGeminiStep, RecordedGeminiRequest> {
  /** For httpOptions.baseUrl / GEMINI_BASE_URL, e.g. http://127.0.0.1:40123 (no version). */
  readonly baseUrl: string;
  close(): Promise<void>;
}

const GENERATE = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):generateContent$/;

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const calls = scripted<FakeGeminiStep, RecordedGeminiRequest>();

  const server = await listenLocal(
    withBody(async (req, res, raw) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const match = GENERATE.exec(url.pathname);
      if (req.method !== 'POST' || !match) {
        return googleError(res, 404, 'NOT_FOUND', `Method or path not found: ${req.method} ${url.pathname}`);
      }
      const apiKey = header(req, 'x-goog-api-key') ?? url.searchParams.get('key') ?? undefined;
      const parsed = parseJson(raw);
      if (!parsed) return googleError(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      calls.record({ method: req.method, path: url.pathname, model: match[2], headers: req.headers, apiKey, body: parsed.value });

      if (!apiKey) {
        return googleError(
          res,
          403,
          'PERMISSION_DENIED',
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        );
      }
      if (options.apiKey !== undefined && apiKey !== options.apiKey) return invalidKey(res, apiKey, false);

      const config = parsed.value?.generationConfig ?? {};
      const wantsImage = Array.isArray(config.responseModalities) && config.responseModalities.includes('IMAGE');
      const step = calls.next() ?? { kind: wantsImage ? 'image' : 'deck' };
      const asked = options.slideCount ?? askedSlideCount(parsed.value) ?? 5;
      if (options.latencyMs) await sleep(options.latencyMs);
      respond(res, step, asked, apiKey, config.imageConfig?.aspectRatio);
    }),
  );

  return calls.expose({ baseUrl: server.origin, close: server.close });
}

function respond(res: ServerResponse, step: FakeGeminiStep, asked: number, apiKey: string, aspectRatio?: string): void {
  switch (step.kind) {
    case 'image': {
      const { width, height } = fakeSizeFor(aspectRatio);
      const format = step.format ?? 'png';
      return imageCandidate(res, [
        { text: 'Here is the picture.' },
        { inlineData: { mimeType: `image/${format}`, data: fakePicture(width, height, format).toString('base64') } },
      ]);
    }
    case 'no_image':
      return imageCandidate(res, [{ text: step.text ?? "I can't create an image of that." }]);
    case 'garbage_image':
      return imageCandidate(res, [{ inlineData: { mimeType: 'image/png', data: NOT_AN_IMAGE.toString('base64') } }]);
    case 'deck':
    case 'text':
    case 'invalid_json':
    case 'wrong_count': {
      const reply = deckReply(step, asked);
      return candidate(res, reply.text, reply.usage);
    }
    case 'rate_limited': {
      const details: object[] = [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
              quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
            },
          ],
        },
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
        },
      ];
      const delay = step.retryDelay === undefined ? '7s' : step.retryDelay;
      if (delay !== null) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay });
      return googleError(res, 429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', details);
    }
    case 'server_error':
      return step.status === 503
        ? googleError(res, 503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
        : googleError(
            res,
            500,
            'INTERNAL',
            'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
          );
    case 'bad_request':
      return googleError(res, 400, 'INVALID_ARGUMENT', step.message ?? 'Request contains an invalid argument.');
    case 'invalid_key':
      return invalidKey(res, apiKey, step.echoKey ?? false);
    case 'unauthorized':
      return googleError(res, 401, 'UNAUTHENTICATED', `Request had invalid authentication credentials${step.echoKey ? ` (key ${apiKey})` : ''}.`);
    case 'forbidden':
      return googleError(
        res,
        403,
        'PERMISSION_DENIED',
        `Your API key was reported as leaked. Please use another API key.${step.echoKey ? ` (${apiKey})` : ''}`,
      );
    case 'blocked_prompt':
      return json(res, 200, {
        promptFeedback: {
          blockReason: step.reason ?? 'SAFETY',
          safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }],
        },
        usageMetadata: { promptTokenCount: FAKE_USAGE.input, totalTokenCount: FAKE_USAGE.input },
        modelVersion: 'fake',
      });
    case 'blocked_reply':
      return json(res, 200, {
        candidates: [
          {
            finishReason: step.finishReason ?? 'SAFETY',
            index: 0,
            safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }],
          },
        ],
        usageMetadata: { promptTokenCount: FAKE_USAGE.input, totalTokenCount: FAKE_USAGE.input },
        modelVersion: 'fake',
      });
    case 'hang':
    case 'reset':
      transportFailure(res, step.kind);
  }
}

function candidate(res: ServerResponse, text: string, usage: FakeUsage = FAKE_USAGE): void {
  json(res, 200, {
    candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: usage.input,
      candidatesTokenCount: usage.output,
      totalTokenCount: usage.input + usage.output,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.input }],
    },
    modelVersion: 'fake',
    responseId: `fake-${Date.now()}`,
  });
}

/** An image model's reply: its parts as given, image tokens counted as Gemini does. */
function imageCandidate(res: ServerResponse, parts: object[]): void {
  json(res, 200, {
    candidates: [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: 30,
      candidatesTokenCount: 1290,
      totalTokenCount: 1320,
      candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1290 }],
    },
    modelVersion: 'fake-image',
    responseId: `fake-${Date.now()}`,
  });
}

function invalidKey(res: ServerResponse, apiKey: string, echoKey: boolean): void {
  googleError(res, 400, 'INVALID_ARGUMENT', `API key not valid. Please pass a valid API key.${echoKey ? ` (got ${apiKey})` : ''}`, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
  ]);
}

/** What the writer asked for: the schema's slide bounds, else "exactly N slides" in the prompt. */
function askedSlideCount(body: any): number | undefined {
  const config = body?.generationConfig ?? {};
  const schema = config.responseJsonSchema ?? config.responseSchema;
  const fromSchema = Number(schema?.properties?.slides?.minItems);
  if (Number.isInteger(fromSchema) && fromSchema > 0) return fromSchema;
  const text = JSON.stringify(body?.contents ?? []);
  return slideCountInText(text);
}
