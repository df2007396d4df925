import type { FakeGeminiStep } from './fakes/fake-gemini.server.js';
import { type PipelineHarness, registerUser, waitForVideo } from './support/pipeline-harness.js';
import {
  FAST_RETRIES,
  GEMINI_KEY,
  type GoogleFakes,
  type GoogleStack,
  TTS_KEY,
  generate,
  geminiCallsFor,
  googleWorkerEnv,
  settledJobState,
  startGoogleStack,
  storedDeck,
  ttsCallsFor,
} from './support/provider-fakes.js';

/**
 * Issue #4, failures: what a real provider does wrong, through the real SDKs,
 * the StageRunner's classification and BullMQ. Rate limits wait, transient
 * failures retry a bounded number of times, permanent ones fail at once, hung
 * calls time out, and no message or log line carries an API key.
 * Every test uses its own prompt, so calls are counted per test.
 */
let stack: GoogleStack;
let h: PipelineHarness;
let f: GoogleFakes;
let token: string;
/** The default deck's narrations, voiced once in beforeAll and cached from then on. */
let baseline: Awaited<ReturnType<typeof storedDeck>>;

const SLIDES_ATTEMPTS = 4; // libs/jobs/src/job-options.ts

beforeAll(async () => {
  stack = await startGoogleStack({ sharedEnv: FAST_RETRIES });
  ({ pipeline: h, fakes: f } = stack);
  token = await registerUser(h.api, 'fiona');
  const id = await generate(h.api, token, { prompt: 'Baseline: the water cycle.', slideCount: 3 });
  const { video } = await waitForVideo(h.api, token, id, 60_000);
  expect(video.status).toBe('completed');
  baseline = await storedDeck(h.api, id);
}, 90_000);

afterAll(() => stack?.close());

/** The baseline deck with slide 2's narration replaced: only that slide needs a TTS call. */
function deckWithNewSlide2(narration: string) {
  return { title: 'A deck with one new narration', slides: baseline.map((s, i) => (i === 1 ? { ...s, narration } : s)) };
}

describe('Gemini', () => {
  it('rate-limited (429 with RetryInfo 1s) once: the queue waits that long, then the video completes', async () => {
    const prompt = 'Rate limits: why APIs ask clients to slow down.';
    f.gemini.script({ kind: 'rate_limited', retryDelay: '1s' });
    const before = f.geminiProxy.arrivals.length;
    const id = await generate(h.api, token, { prompt, slideCount: 3 });
    const { video, seen } = await waitForVideo(h.api, token, id, 30_000);

    expect(video).toMatchObject({ status: 'completed', error: null, providers: { llm: 'gemini' } });
    expect(seen.map((s) => s.status)).not.toContain('failed');
    expect(geminiCallsFor(f.gemini, prompt)).toBe(2);
    const [first, second] = f.geminiProxy.arrivals.slice(before);
    expect(second! - first!).toBeGreaterThanOrEqual(900); // the server's 1 s, not the 100 ms backoff
    // Waiting is not failing: the 429 used up none of the job's attempts.
    expect(await settledJobState(h, 'slides', `slides-${id}`)).toMatchObject({ state: 'completed', attemptsMade: 1 });
    // Tokens of the one call that answered, nothing for the 429.
    expect(video.usage).toMatchObject({ llmInputTokens: 120, llmOutputTokens: 340 });
  }, 40_000);

  it(`failing with 500 on every call: ${SLIDES_ATTEMPTS} attempts, then the video fails naming stage, provider and cause`, async () => {
    const prompt = 'Outages: what a server error means for a client.';
    f.gemini.script(...Array.from({ length: SLIDES_ATTEMPTS }, (): FakeGeminiStep => ({ kind: 'server_error', status: 500 })));
    const id = await generate(h.api, token, { prompt, slideCount: 3 });
    const { video, seen } = await waitForVideo(h.api, token, id, 30_000);

    expect(video.status).toBe('failed');
    expect(video.error).toMatch(
      new RegExp(
        `^Writing the slides failed after ${SLIDES_ATTEMPTS} attempts: Gemini: the server failed or is unavailable \\(HTTP 500 INTERNAL\\): An internal error`,
      ),
    );
    // Failed only at the end: the earlier attempts were retries, not failures.
    expect(seen.slice(0, -1).map((s) => s.status)).not.toContain('failed');
    const job = await settledJobState(h, 'slides', `slides-${id}`);
    expect(job).toMatchObject({ state: 'failed', attemptsMade: SLIDES_ATTEMPTS });
    expect(geminiCallsFor(f.gemini, prompt)).toBe(SLIDES_ATTEMPTS);
  }, 40_000);

  it.each<[string, FakeGeminiStep, RegExp]>([
    [
      'a 400 INVALID_ARGUMENT',
      { kind: 'bad_request', message: 'Request contains an invalid argument.' },
      /Gemini: the request was rejected \(HTTP 400 INVALID_ARGUMENT\): Request contains an invalid argument/,
    ],
    [
      'an invalid key (echoed back)',
      { kind: 'invalid_key', echoKey: true },
      /Gemini: the API key was rejected \(HTTP 400 INVALID_ARGUMENT API_KEY_INVALID\).*; check GOOGLE_GEMINI_API_KEY$/,
    ],
    [
      'a 401 (key echoed back)',
      { kind: 'unauthorized', echoKey: true },
      /Gemini: the API key was rejected \(HTTP 401 UNAUTHENTICATED\).*; check GOOGLE_GEMINI_API_KEY$/,
    ],
    [
      'a leaked-key 403 (key echoed back)',
      { kind: 'forbidden', echoKey: true },
      /Gemini: the API key was rejected or lacks permission \(HTTP 403 PERMISSION_DENIED\): Your API key was reported as leaked.*; check GOOGLE_GEMINI_API_KEY$/,
    ],
    [
      'a blocked prompt',
      { kind: 'blocked_prompt', reason: 'PROHIBITED_CONTENT' },
      /Gemini blocked this prompt \(PROHIBITED_CONTENT\); rephrase the topic$/,
    ],
    ['a blocked reply', { kind: 'blocked_reply' }, /Gemini blocked the reply to this prompt \(SAFETY\); rephrase the topic$/],
  ])(
    'answering %s: the video fails at once, after one call, with an actionable message and no key',
    async (name, step, message) => {
      const prompt = `Permanent failure: ${name}.`;
      f.gemini.script(step);
      const id = await generate(h.api, token, { prompt, slideCount: 3 });
      const { video } = await waitForVideo(h.api, token, id, 20_000);

      expect(video.status).toBe('failed');
      expect(video.error).toMatch(/^Writing the slides failed: /); // no "after N attempts"
      expect(video.error).toMatch(message);
      const job = await settledJobState(h, 'slides', `slides-${id}`);
      expect(job).toMatchObject({ state: 'failed', attemptsMade: 1 });
      expect(geminiCallsFor(f.gemini, prompt)).toBe(1);
      expect(video.error).not.toContain(GEMINI_KEY);
      expect(job!.failedReason).not.toContain(GEMINI_KEY); // what BullMQ keeps in Redis
      expect(h.workers[0]!.output()).not.toContain(GEMINI_KEY);
    },
    30_000,
  );
});

describe('Google Text-to-Speech', () => {
  it('unavailable (503) twice for one slide, then answering: the slide is retried and the video completes', async () => {
    const narration = 'Sometimes a service is briefly unavailable, and a patient client simply tries again a moment later.';
    f.gemini.script({ kind: 'deck', deck: deckWithNewSlide2(narration) });
    f.tts.script('unavailable', 'unavailable');
    const before = f.tts.calls;
    const id = await generate(h.api, token, { prompt: 'Retries: trying again after a 503.', slideCount: 3 });
    const { video, seen } = await waitForVideo(h.api, token, id, 30_000);

    expect(video).toMatchObject({ status: 'completed', error: null, providers: { tts: 'google' } });
    expect(seen.map((s) => s.status)).not.toContain('failed');
    // Slides 1 and 3 come from the cache; slide 2 was asked three times.
    expect(f.tts.calls - before).toBe(3);
    expect(ttsCallsFor(f.tts, narration)).toBe(3);
    expect(f.tts.requests.slice(before).map((r) => r.outcome)).toEqual(['unavailable', 'unavailable', 'ok']);
    expect(await settledJobState(h, 'voice', `voice-${id}-2`)).toMatchObject({ state: 'completed' });
    expect(video.usage).toMatchObject({ cacheHits: 2, cacheMisses: 2 });
  }, 40_000);
});

describe('a provider that never answers, with AI_REQUEST_TIMEOUT_MS=1000', () => {
  beforeAll(async () => {
    // Same providers, a short deadline (still 10× what the fakes take to answer).
    await h.workers[0]!.stop();
    await h.addWorker(googleWorkerEnv(f, { AI_REQUEST_TIMEOUT_MS: '1000' }));
  }, 30_000);

  it('Gemini hanging once: the attempt times out, the retry answers, the video completes', async () => {
    const prompt = 'Timeouts: a hung call once.';
    f.gemini.script('hang');
    const id = await generate(h.api, token, { prompt, slideCount: 3 });
    const { video, seen } = await waitForVideo(h.api, token, id, 30_000);
    expect(video).toMatchObject({ status: 'completed', error: null });
    expect(seen.map((s) => s.status)).not.toContain('failed');
    expect(geminiCallsFor(f.gemini, prompt)).toBe(2);
  }, 40_000);

  it(`Gemini hanging every time: each attempt times out and after ${SLIDES_ATTEMPTS} the video fails saying so`, async () => {
    const prompt = 'Timeouts: a hung call every time.';
    f.gemini.script(...Array.from({ length: SLIDES_ATTEMPTS }, () => 'hang' as const));
    const started = Date.now();
    const id = await generate(h.api, token, { prompt, slideCount: 3 });
    const { video } = await waitForVideo(h.api, token, id, 30_000);
    expect(video.status).toBe('failed');
    expect(video.error).toBe(`Writing the slides failed after ${SLIDES_ATTEMPTS} attempts: Gemini: no reply within 1000 ms (timed out)`);
    expect(await settledJobState(h, 'slides', `slides-${id}`)).toMatchObject({ state: 'failed', attemptsMade: SLIDES_ATTEMPTS });
    expect(geminiCallsFor(f.gemini, prompt)).toBe(SLIDES_ATTEMPTS);
    // Four 1 s deadlines plus short backoffs, not a wait for a reply that never comes.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 40_000);

  it('Google TTS hanging once on a slide: that call times out, the retry answers, the video completes', async () => {
    const narration = 'A call that never returns is cut off by a deadline, and the job is simply tried again.';
    f.gemini.script({ kind: 'deck', deck: deckWithNewSlide2(narration) });
    f.tts.script('hang');
    const id = await generate(h.api, token, { prompt: 'Timeouts: a hung speech call.', slideCount: 3 });
    const { video, seen } = await waitForVideo(h.api, token, id, 30_000);
    expect(video).toMatchObject({ status: 'completed', error: null });
    expect(seen.map((s) => s.status)).not.toContain('failed');
    expect(ttsCallsFor(f.tts, narration)).toBe(2);
  }, 40_000);
});

describe('after all of the above', () => {
  it('no worker printed an API key', () => {
    const output = h.workers.map((w) => w.output()).join('\n');
    expect(output).toContain('is unavailable or failed'); // the failures above were logged: there is output to search
    expect(output).not.toContain(GEMINI_KEY);
    expect(output).not.toContain(TTS_KEY);
  });
});
