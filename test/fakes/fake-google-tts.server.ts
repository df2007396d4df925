/**
 * A stand-in for Google Cloud Text-to-Speech on 127.0.0.1, speaking the REST
 * wire protocol the real SDK uses in its HTTP/1.1 mode
 * (`POST /v1/text:synthesize` or `/v1beta1/text:synthesize`, JSON in, `{audioContent: base64}`
 * out, plus `timepoints` of the SSML `<mark>`s on v1beta1 when `enableTimePointing` asks; errors as
 * `{error: {code, message, status, details}}`). It returns real audio: a sine
 * WAV for LINEAR16, an ffmpeg-made MP3 otherwise, lasting `secondsPerChar` per
 * spoken character divided by the speaking rate, so durations can be checked.
 *
 * Point a client at it with TTS_API_ENDPOINT=<endpoint> (an http:// URL selects
 * the SDK's REST transport) and any GOOGLE_TTS_API_KEY unless `apiKey` is set.
 * With `transport: 'grpc'` it serves the same behaviour as the gRPC service over
 * TLS instead (errors carry google.rpc.Status in grpc-status-details-bin).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { sineMp3, sineWav } from './fake-audio.js';
import { googleError, json, listenLocal, parseJson, type ScriptedView, scripted, sleep, transportFailure, withBody } from './fake-http.js';
import { type Answer, type Failure, type Front, serveGrpc, type Synthesize, type Timepoint } from './fake-google-tts.grpc.js';

// Kept here for the specs that import them from this file.
export { sineMp3, sineWav };

/** What one scripted call does; unscripted calls succeed. */
export type FakeTtsStep =
  | 'ok'
  /** 429 RESOURCE_EXHAUSTED, with a RetryInfo detail when retryDelayMs is given. */
  | { kind: 'rate_limited'; retryDelayMs?: number }
  | 'internal' // 500 INTERNAL
  | 'unavailable' // 503 UNAVAILABLE
  | { kind: 'invalid_argument'; message?: string } // 400
  | 'bad_api_key' // 400 INVALID_ARGUMENT, ErrorInfo reason API_KEY_INVALID (what Google really sends)
  | 'unauthenticated' // 401
  | 'permission_denied' // 403
  | 'hang' // read the request, never answer
  | 'reset'; // destroy the socket without a response

export interface FakeTtsRequest {
  /** HTTP headers, or gRPC metadata as strings. */
  headers: IncomingHttpHeaders;
  /** The decoded request (JSON body, or the gRPC message as an object). */
  body: any;
  ssml?: string;
  text?: string;
  /** UTF-8 bytes of input.ssml or input.text, what Google's 5000-byte limit is on. */
  inputBytes: number;
  languageCode?: string;
  voiceName?: string;
  audioEncoding: 'MP3' | 'LINEAR16' | string;
  speakingRate: number;
  /** API version the call came in on: only v1beta1 reports mark timepoints. */
  version: 'v1' | 'v1beta1';
  /** enableTimePointing asked for SSML_MARK (by name, or as the number REST sends). */
  timePointing: boolean;
  /** What the fake answered. */
  outcome: string;
}

/** Scripted steps as the fake keeps them: bare names become `{kind}`. */
type Step = Exclude<FakeTtsStep, string> | { kind: Extract<FakeTtsStep, string> };

export interface FakeGoogleTts extends ScriptedView<Step, FakeTtsRequest> {
  /** e.g. `http://127.0.0.1:41234` (REST) or `127.0.0.1:41234` (gRPC): a value for TTS_API_ENDPOINT. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export interface FakeGoogleTtsOptions {
  /** When set, any other x-goog-api-key is answered like Google answers a bad key. */
  apiKey?: string;
  /**
   * `rest` (default): plain HTTP/1.1 JSON, endpoint `http://127.0.0.1:port`.
   * `grpc`: the gRPC service over TLS with `tls` as its certificate, endpoint
   * `127.0.0.1:port` (the SDK's default transport, as used against Google).
   */
  transport?: 'rest' | 'grpc';
  tls?: { key: string; cert: string };
  /** Audio length per spoken character at rate 1.0 (default 0.02 s, fast speech, small fixtures). */
  secondsPerChar?: number;
  port?: number;
  /** Answer after this long, as real synthesis takes a moment (default 0). */
  latencyMs?: number;
}

// REST sends enums as numbers when the SDK asks for `enum-encoding=int`.
const ENCODINGS: Record<number, string> = { 0: 'AUDIO_ENCODING_UNSPECIFIED', 1: 'LINEAR16', 2: 'MP3', 3: 'OGG_OPUS', 5: 'MULAW', 6: 'ALAW' };

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

const fail = (http: number, status: Failure['status'], message: string, details?: Failure['details']) => ({
  error: { http, status, message, details },
});

function sendError(res: ServerResponse, f: Failure): void {
  googleError(res, f.http, f.status, f.message, f.details ?? []);
}

export async function startFakeGoogleTts(options: FakeGoogleTtsOptions = {}): Promise<FakeGoogleTts> {
  const secondsPerChar = options.secondsPerChar ?? 0.02;
  const calls = scripted<Step, FakeTtsRequest>();

  async function synthesize(headers: IncomingHttpHeaders, body: any, version: 'v1' | 'v1beta1'): Promise<Answer> {
    const ssml: string | undefined = body?.input?.ssml || undefined;
    const text: string | undefined = body?.input?.text || undefined;
    const encRaw = body?.audioConfig?.audioEncoding;
    const record: FakeTtsRequest = {
      headers,
      body,
      ssml,
      text,
      inputBytes: Buffer.byteLength(ssml ?? text ?? '', 'utf8'),
      languageCode: body?.voice?.languageCode || undefined,
      voiceName: body?.voice?.name || undefined,
      audioEncoding: typeof encRaw === 'number' ? (ENCODINGS[encRaw] ?? String(encRaw)) : String(encRaw ?? ''),
      speakingRate: Number(body?.audioConfig?.speakingRate) || 1,
      version,
      timePointing: Array.isArray(body?.enableTimePointing) && body.enableTimePointing.some((t: unknown) => t === 'SSML_MARK' || t === 1),
      outcome: 'ok',
    };
    calls.record(record);

    const step = calls.next() ?? { kind: 'ok' };
    record.outcome = step.kind;
    switch (step.kind) {
      case 'hang':
      case 'reset':
        return step.kind;
      case 'internal':
        return fail(500, 'INTERNAL', 'Internal error encountered.');
      case 'unavailable':
        return fail(503, 'UNAVAILABLE', 'The service is currently unavailable.');
      case 'unauthenticated':
        return fail(
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      case 'permission_denied':
        return fail(403, 'PERMISSION_DENIED', 'Cloud Text-to-Speech API has not been used in project 0 before or it is disabled.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', domain: 'googleapis.com' },
        ]);
      default:
        break; // answered below: they depend on the request, not only on the script
    }
    if (step.kind === 'bad_api_key' || (options.apiKey !== undefined && headers['x-goog-api-key'] !== options.apiKey && !headers.authorization)) {
      record.outcome = 'bad_api_key';
      return fail(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
      ]);
    }
    if (step.kind === 'rate_limited') {
      const details =
        step.retryDelayMs === undefined
          ? []
          : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${(step.retryDelayMs / 1000).toFixed(3)}s` }];
      return fail(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Requests' of service 'texttospeech.googleapis.com'.", details);
    }
    if (step.kind === 'invalid_argument') return fail(400, 'INVALID_ARGUMENT', step.message ?? 'Invalid argument.');

    // What Google itself validates, so an adapter bug shows up as it would in production.
    if (ssml === undefined && text === undefined) return fail(400, 'INVALID_ARGUMENT', 'Input is empty.');
    if (record.inputBytes > 5000) {
      record.outcome = 'too_long';
      return fail(
        400,
        'INVALID_ARGUMENT',
        'Either `input.text` or `input.ssml` is longer than the limit of 5000 bytes. This limit is different from quotas.',
      );
    }
    if (!record.languageCode) return fail(400, 'INVALID_ARGUMENT', 'Voice language code is required.');
    if (record.voiceName && !record.voiceName.toLowerCase().startsWith(record.languageCode.toLowerCase())) {
      record.outcome = 'bad_voice';
      return fail(400, 'INVALID_ARGUMENT', `Voice '${record.voiceName}' does not exist. Is it misspelled?`);
    }
    if (ssml !== undefined && !/^\s*<speak>[\s\S]*<\/speak>\s*$/.test(ssml)) {
      record.outcome = 'bad_ssml';
      return fail(400, 'INVALID_ARGUMENT', 'Invalid SSML: the input must be enclosed in <speak> tags.');
    }
    if (ssml !== undefined && /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(ssml)) {
      record.outcome = 'bad_ssml';
      return fail(400, 'INVALID_ARGUMENT', 'Invalid SSML: unescaped ampersand.');
    }
    if (record.audioEncoding !== 'MP3' && record.audioEncoding !== 'LINEAR16') {
      return fail(400, 'INVALID_ARGUMENT', `The fake supports MP3 and LINEAR16, not ${record.audioEncoding}.`);
    }

    const spoken = ssml !== undefined ? unescapeXml(ssml.replace(/<[^>]*>/g, '')) : text!;
    const seconds = Math.max(0.1, ([...spoken.trim()].length * secondsPerChar) / record.speakingRate);
    const audio = record.audioEncoding === 'MP3' ? await sineMp3(seconds) : sineWav(seconds);
    const timepoints =
      version === 'v1beta1' && record.timePointing && ssml !== undefined ? markTimes(ssml, seconds, secondsPerChar / record.speakingRate) : undefined;
    return { audio, timepoints };
  }

  const front = options.transport === 'grpc' ? await serveGrpc(synthesize, options) : await serveRest(synthesize, options);
  return calls.expose({ endpoint: front.endpoint, port: front.port, close: front.close });
}

/**
 * When each `<mark>` is reached, as Google reports it: the time of the characters spoken
 * before it (leading whitespace is not spoken), never past the end of the audio.
 */
function markTimes(ssml: string, audioSeconds: number, secondsPerChar: number): Timepoint[] {
  const timepoints: Timepoint[] = [];
  let before = '';
  for (const part of ssml.split(/(<mark\s+name="[^"]*"\s*\/>)/)) {
    const mark = /^<mark\s+name="([^"]*)"/.exec(part);
    if (mark) {
      const seconds = Math.min(audioSeconds, [...before.trimStart()].length * secondsPerChar);
      timepoints.push({ markName: unescapeXml(mark[1]!), timeSeconds: Math.round(seconds * 1e6) / 1e6 });
    } else {
      before += unescapeXml(part.replace(/<[^>]*>/g, ''));
    }
  }
  return timepoints;
}

/** The SDK's HTTP/1.1 REST mode: `POST /v1/text:synthesize`, JSON in, `{audioContent: base64}` out. */
async function serveRest(synthesize: Synthesize, options: FakeGoogleTtsOptions): Promise<Front> {
  const onError = (res: ServerResponse, e: Error) => sendError(res, fail(500, 'INTERNAL', `fake failed: ${e.message}`).error);
  const server = await listenLocal(
    withBody(async (req, res, raw) => {
      const path = (req.url ?? '').split('?')[0];
      const version = /^\/(v1|v1beta1)\/text:synthesize$/.exec(path ?? '')?.[1] as 'v1' | 'v1beta1' | undefined;
      if (req.method !== 'POST' || !version) {
        return sendError(res, fail(404, 'NOT_FOUND', `The fake serves only POST /v1(beta1)/text:synthesize, not ${req.method} ${path}`).error);
      }
      const parsed = parseJson(raw);
      if (!parsed) return sendError(res, fail(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.').error);
      const answer = await synthesize(req.headers, parsed.value, version);
      if (options.latencyMs && answer !== 'hang') await sleep(options.latencyMs);
      if (answer === 'hang' || answer === 'reset') return void transportFailure(res, answer);
      if ('error' in answer) return sendError(res, answer.error);
      json(res, 200, { audioContent: answer.audio.toString('base64'), ...(answer.timepoints ? { timepoints: answer.timepoints } : {}) });
    }, onError),
    options.port,
  );
  return { endpoint: server.origin, port: server.port, close: server.close };
}
