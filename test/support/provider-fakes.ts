import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type FakeGemini, startFakeGemini } from '../fakes/fake-gemini.server.js';
import { type FakeGoogleTts, startFakeGoogleTts } from '../fakes/fake-google-tts.server.js';
import { type GatedProxy, startGatedProxy } from './gated-proxy.js';
import type { ApiHarness } from './api-harness.js';
import { type PipelineHarness, startPipeline } from './pipeline-harness.js';
import { waitFor } from './wait.js';

/** Shaped like real keys and long enough (≥ 8 characters) for the adapters to redact them. */
export const GEMINI_KEY = 'AIzaSyE2E-gemini-3f9c1d7a5b2e8046c1d9';
export const TTS_KEY = 'AIzaSyE2E-tts-8d2b6f0e4a1c7395e2f4';
export const GEMINI_MODEL = 'gemini-e2e-flash';

/** Retries in seconds, not tens of seconds: the first backoff is 100 ms instead of 2 s. */
export const FAST_RETRIES = { JOB_BACKOFF_MS: '100' };

export interface GoogleFakes {
  gemini: FakeGemini;
  /** In front of the Gemini fake: what the worker talks to. */
  geminiProxy: GatedProxy;
  tts: FakeGoogleTts;
  close(): Promise<void>;
}

/**
 * The Gemini and Text-to-Speech fakes, each accepting only its own test key.
 * `latency` makes them answer as slowly as real providers do, for timing assertions.
 */
export async function startGoogleFakes(latency: { geminiMs?: number; ttsMs?: number } = {}): Promise<GoogleFakes> {
  const gemini = await startFakeGemini({ apiKey: GEMINI_KEY, latencyMs: latency.geminiMs });
  const geminiProxy = await startGatedProxy(gemini.baseUrl);
  const tts = await startFakeGoogleTts({ apiKey: TTS_KEY, latencyMs: latency.ttsMs });
  return {
    gemini,
    geminiProxy,
    tts,
    close: async () => {
      await geminiProxy.close();
      await gemini.close();
      await tts.close();
    },
  };
}

export interface GoogleStack {
  fakes: GoogleFakes;
  pipeline: PipelineHarness;
  close(): Promise<void>;
}

/** The Google fakes and the whole stack configured for them; close() stops the stack, then the fakes. */
export async function startGoogleStack(
  options: { latency?: Parameters<typeof startGoogleFakes>[0]; sharedEnv?: Record<string, string> } = {},
): Promise<GoogleStack> {
  const fakes = await startGoogleFakes(options.latency);
  let pipeline: PipelineHarness;
  try {
    pipeline = await startPipeline(googleWorkerEnv(fakes), { sharedEnv: options.sharedEnv });
  } catch (e) {
    await fakes.close();
    throw e;
  }
  return {
    fakes,
    pipeline,
    close: async () => {
      try {
        await pipeline.close();
      } finally {
        await fakes.close();
      }
    },
  };
}

/** What a deployment sets to use Gemini and Google TTS, pointed at the fakes. */
export function googleWorkerEnv(f: GoogleFakes, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LLM_PROVIDER: 'gemini',
    GOOGLE_GEMINI_API_KEY: GEMINI_KEY,
    GEMINI_MODEL,
    GEMINI_BASE_URL: f.geminiProxy.baseUrl,
    TTS_PROVIDER: 'google',
    GOOGLE_TTS_API_KEY: TTS_KEY,
    TTS_API_ENDPOINT: f.tts.endpoint,
    ...extra,
  };
}

/** Gemini calls whose prompt contains `marker` (each test uses its own prompt). */
export function geminiCallsFor(gemini: FakeGemini, marker: string): number {
  return gemini.requests.filter((r) => JSON.stringify(r.body?.contents ?? []).includes(marker)).length;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** What a Text-to-Speech request says aloud: its SSML without tags (the word marks among them), entities decoded. */
export function spokenText(request: { ssml?: string; text?: string }): string {
  const raw = request.ssml ? request.ssml.replace(/<[^>]*>/g, '').replace(/&(\w+);/g, (m, e: string) => ENTITIES[e] ?? m) : (request.text ?? '');
  return raw.replace(/\s+/g, ' ').trim();
}

/** Whether a request speaks `text` (compared with whitespace collapsed). */
export function speaks(request: { ssml?: string; text?: string }, text: string): boolean {
  return spokenText(request).includes(text.replace(/\s+/g, ' ').trim());
}

/** Text-to-Speech calls that speak `text`. */
export function ttsCallsFor(tts: FakeGoogleTts, text: string): number {
  return tts.requests.filter((r) => speaks(r, text)).length;
}

export function sql<T = any>(api: ApiHarness, query: string, params: unknown[] = []): Promise<T[]> {
  return api.db.query<T>(query, params);
}

/** The deck as the worker stored it for a video. */
export async function storedDeck(api: ApiHarness, videoId: string) {
  const rows = await sql<{ title: string; bullets: string[]; text: string; visual: { keywords: string[]; prompt: string } }>(
    api,
    `SELECT s.title, s.bullets, s.text, s.visual FROM slides s JOIN videos v ON v.prompt_id = s.prompt_id WHERE v.id = $1 ORDER BY s.slide_number`,
    [videoId],
  );
  return rows.map((r) => ({ title: r.title, bullets: r.bullets, narration: r.text, visual: r.visual }));
}

/** A BullMQ job's state as the queue sees it: proves no retry is still pending. */
export async function jobState(h: Pick<PipelineHarness, 'env'>, queueName: string, jobId: string) {
  const connection = new Redis(h.env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix: h.env.QUEUE_PREFIX });
  try {
    const job = await queue.getJob(jobId);
    return job ? { state: await job.getState(), attemptsMade: job.attemptsMade, failedReason: job.failedReason ?? '' } : undefined;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/**
 * A job's state once BullMQ has settled it (completed or failed). A stage records the
 * video's outcome inside its processor and BullMQ moves the job only after the processor
 * returns, so a test that has just seen the video finish can still find its last job active.
 */
export function settledJobState(h: Pick<PipelineHarness, 'env'>, queueName: string, jobId: string, timeoutMs = 15_000) {
  return waitFor(
    () => jobState(h, queueName, jobId),
    (s) => s?.state === 'completed' || s?.state === 'failed',
    timeoutMs,
    `${queueName} job ${jobId} to settle`,
  );
}

/** Submits a video and returns its id, failing loudly on anything but 202. */
export async function generate(api: ApiHarness, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await api.http.post('/api/v1/videos/generate', body, token);
  if (res.status !== 202) throw new Error(`generate: ${res.status} ${res.text}`);
  return res.body.id as string;
}
