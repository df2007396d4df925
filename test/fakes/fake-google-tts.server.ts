/**
 * A stand-in for Google Cloud Text-to-Speech on 127.0.0.1, speaking the REST
 * wire protocol the real SDK uses in its HTTP/1.1 mode
 * (`POST /v1/text:synthesize`, JSON in, `{audioContent: base64}` out, errors as
 * `{error: {code, message, status, details}}`). It returns real audio: a sine
 * WAV for LINEAR16, an ffmpeg-made MP3 otherwise, lasting `secondsPerChar` per
 * spoken character divided by the speaking rate, so durations can be checked.
 *
 * Point a client at it with TTS_API_ENDPOINT=<endpoint> (an http:// URL selects
 * the SDK's REST transport) and any GOOGLE_TTS_API_KEY unless `apiKey` is set.
 * With `transport: 'grpc'` it serves the same behaviour as the gRPC service over
 * TLS instead (errors carry google.rpc.Status in grpc-status-details-bin).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { writePcmWav } from '../../libs/ai/src/narration/wav.js';

const run = promisify(execFile);

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
  /** What the fake answered. */
  outcome: string;
}

export interface FakeGoogleTts {
  /** e.g. `http://127.0.0.1:41234` (REST) or `127.0.0.1:41234` (gRPC): a value for TTS_API_ENDPOINT. */
  endpoint: string;
  port: number;
  /** SynthesizeSpeech calls received (including failed ones). */
  readonly calls: number;
  readonly requests: FakeTtsRequest[];
  /** Queues behaviours for the next calls, in order. */
  script(...steps: FakeTtsStep[]): void;
  /** Resolves once `n` calls have arrived (for acting while a call is in flight, without sleeping). */
  waitForCalls(n: number): Promise<void>;
  /** Forgets calls, requests and any unused script. */
  reset(): void;
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

const SAMPLE_RATE = 24000; // what Google's standard voices produce

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

/** A 16-bit mono 400 Hz sine WAV at 24 kHz, quiet, lasting `seconds`. */
export function sineWav(seconds: number): Buffer {
  const samples = Math.max(1, Math.round(seconds * SAMPLE_RATE));
  // 400 Hz is exactly 60 samples at 24 kHz: build one period and let fill() repeat it.
  const period = Buffer.alloc(120);
  for (let i = 0; i < 60; i++) period.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * i) / 60)), i * 2);
  return writePcmWav({ sampleRate: SAMPLE_RATE, channels: 1, bitsPerSample: 16, pcm: Buffer.alloc(samples * 2).fill(period) });
}

/** An MP3 (ID3 tag + Xing header, as encoders write them) lasting about `seconds`. */
export async function sineMp3(seconds: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-tts-'));
  try {
    const out = join(dir, 'a.mp3');
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'lavfi', '-i', `sine=frequency=400:sample_rate=${SAMPLE_RATE}:duration=${seconds.toFixed(3)}`,
      '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '32k', '-y', out,
    ]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Failure {
  http: number;
  status: keyof typeof GRPC_CODES;
  message: string;
  details?: ({ '@type': string } & Record<string, unknown>)[];
}
type Answer = { audio: Buffer } | { error: Failure } | 'hang' | 'reset';

const GRPC_CODES = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const fail = (http: number, status: Failure['status'], message: string, details?: Failure['details']) => ({
  error: { http, status, message, details },
});

function sendError(res: ServerResponse, f: Failure): void {
  res.writeHead(f.http, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ error: { code: f.http, message: f.message, status: f.status, details: f.details ?? [] } }));
}

const require = createRequire(import.meta.url);
/** Reads a JSON file shipped inside a package, past its `exports` map. */
function packageJson(pkg: string, relative: string): any {
  return JSON.parse(readFileSync(join(dirname(require.resolve(pkg)), relative), 'utf8'));
}

/** google.rpc.Status with its details as Any, the way Google sends it in grpc-status-details-bin. */
function statusDetailsBin(f: Failure): Buffer {
  const root = protobuf.Root.fromJSON(packageJson('google-gax', '../protos/status.json'));
  const Status = root.lookupType('google.rpc.Status');
  const details = (f.details ?? []).map(({ '@type': type, ...fields }) => {
    const T = root.lookupType(type.replace('type.googleapis.com/', ''));
    const value = { ...fields };
    if (typeof value.retryDelay === 'string') {
      const secs = Number(value.retryDelay.replace(/s$/, ''));
      value.retryDelay = { seconds: Math.floor(secs), nanos: Math.round((secs % 1) * 1e9) };
    }
    return { type_url: type, value: T.encode(T.fromObject(value)).finish() };
  });
  return Buffer.from(Status.encode(Status.fromObject({ code: GRPC_CODES[f.status], message: f.message, details })).finish());
}

export async function startFakeGoogleTts(options: FakeGoogleTtsOptions = {}): Promise<FakeGoogleTts> {
  const secondsPerChar = options.secondsPerChar ?? 0.02;
  let steps: FakeTtsStep[] = [];
  let requests: FakeTtsRequest[] = [];
  let calls = 0;
  let waiters: { n: number; resolve: () => void }[] = [];

  /** Records one SynthesizeSpeech call and decides its answer, whatever the transport. */
  async function synthesize(headers: IncomingHttpHeaders, body: any): Promise<Answer> {
    calls++;
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
      outcome: 'ok',
    };
    requests.push(record);
    waiters = waiters.filter((w) => (calls >= w.n ? (w.resolve(), false) : true));

    const step = steps.shift() ?? 'ok';
    record.outcome = typeof step === 'string' ? step : step.kind;
    if (step === 'hang' || step === 'reset') return step;
    if (step === 'internal') return fail(500, 'INTERNAL', 'Internal error encountered.');
    if (step === 'unavailable') return fail(503, 'UNAVAILABLE', 'The service is currently unavailable.');
    if (step === 'unauthenticated') {
      return fail(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
    }
    if (step === 'permission_denied') {
      return fail(403, 'PERMISSION_DENIED', 'Cloud Text-to-Speech API has not been used in project 0 before or it is disabled.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', domain: 'googleapis.com' },
      ]);
    }
    if (step === 'bad_api_key' || (options.apiKey !== undefined && headers['x-goog-api-key'] !== options.apiKey && !headers.authorization)) {
      record.outcome = 'bad_api_key';
      return fail(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
      ]);
    }
    if (typeof step === 'object' && step.kind === 'rate_limited') {
      const details =
        step.retryDelayMs === undefined
          ? []
          : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${(step.retryDelayMs / 1000).toFixed(3)}s` }];
      return fail(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Requests' of service 'texttospeech.googleapis.com'.", details);
    }
    if (typeof step === 'object' && step.kind === 'invalid_argument') {
      return fail(400, 'INVALID_ARGUMENT', step.message ?? 'Invalid argument.');
    }

    // What Google itself validates, so an adapter bug shows up as it would in production.
    if (ssml === undefined && text === undefined) return fail(400, 'INVALID_ARGUMENT', 'Input is empty.');
    if (record.inputBytes > 5000) {
      record.outcome = 'too_long';
      return fail(400, 'INVALID_ARGUMENT', 'Either `input.text` or `input.ssml` is longer than the limit of 5000 bytes. This limit is different from quotas.');
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
    return { audio: record.audioEncoding === 'MP3' ? await sineMp3(seconds) : sineWav(seconds) };
  }

  const front = options.transport === 'grpc' ? await serveGrpc(synthesize, options) : await serveRest(synthesize, options);

  return {
    endpoint: front.endpoint,
    port: front.port,
    get calls() {
      return calls;
    },
    get requests() {
      return requests;
    },
    script(...more) {
      steps.push(...more);
    },
    waitForCalls(n) {
      return calls >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
    reset() {
      steps = [];
      requests = [];
      calls = 0;
    },
    close: front.close,
  };
}

type Synthesize = (headers: IncomingHttpHeaders, body: any) => Promise<Answer>;
interface Front {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

async function serveRest(synthesize: Synthesize, options: FakeGoogleTtsOptions): Promise<Front> {
  const sockets = new Set<Socket>();
  async function handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/text:synthesize') {
      return sendError(res, fail(404, 'NOT_FOUND', `The fake serves only POST /v1/text:synthesize, not ${req.method} ${path}`).error);
    }
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(res, fail(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.').error);
    }
    const answer = await synthesize(req.headers, body);
    if (options.latencyMs && answer !== 'hang') await new Promise((r) => setTimeout(r, options.latencyMs));
    if (answer === 'hang') return; // the socket stays open until the client gives up or close()
    if (answer === 'reset') {
      req.socket.destroy();
      return;
    }
    if ('error' in answer) return sendError(res, answer.error);
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify({ audioContent: answer.audio.toString('base64') }));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e: unknown) => {
        if (!res.headersSent) sendError(res, fail(500, 'INTERNAL', `fake failed: ${(e as Error).message}`).error);
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveGrpc(synthesize: Synthesize, options: FakeGoogleTtsOptions): Promise<Front> {
  if (!options.tls) throw new Error('the gRPC fake needs tls: {key, cert} (the SDK only sends credentials over TLS)');
  const definition = protoLoader.fromJSON(packageJson('@google-cloud/text-to-speech', '../protos/protos.json'), {
    keepCase: false,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as any;
  const service = loaded.google.cloud.texttospeech.v1.TextToSpeech.service as grpc.ServiceDefinition;
  const server = new grpc.Server();
  const hanging = new Set<grpc.ServerUnaryCall<any, any>>();
  server.addService(service, {
    synthesizeSpeech(call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) {
      const headers = Object.fromEntries(Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)]));
      synthesize(headers, call.request).then(
        (answer) => {
          if (answer === 'hang') {
            hanging.add(call);
            call.on('cancelled', () => hanging.delete(call));
            return;
          }
          if (answer === 'reset') return callback({ code: grpc.status.UNAVAILABLE, details: 'Connection reset by fake' });
          if ('error' in answer) {
            const metadata = new grpc.Metadata();
            metadata.set('grpc-status-details-bin', statusDetailsBin(answer.error));
            return callback({ code: GRPC_CODES[answer.error.status], details: answer.error.message, metadata });
          }
          callback(null, { audioContent: answer.audio });
        },
        (e: unknown) => callback({ code: grpc.status.INTERNAL, details: `fake failed: ${(e as Error).message}` }),
      );
    },
  });
  const creds = grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) }]);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    close() {
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}
