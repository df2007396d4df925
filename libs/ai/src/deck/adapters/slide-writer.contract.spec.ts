// One contract for every SlideWriter that calls a model over HTTP: the same cases run
// against each writer and its fake server (as Twenty runs one spec over its storage
// drivers). What only one wire protocol has stays in that writer's own spec.
import { FAKE_USAGE, type FakeGeminiStep, startFakeGemini } from '@test/fakes/fake-gemini.server.js';
import { type FakeOpenAiStep, startFakeOpenAi } from '@test/fakes/fake-openai.server.js';
import { everything, failure } from '@test/support/provider-error.js';
import type { ProviderError } from '../../errors/provider.error.js';
import { DECK_TEMPLATE_VERSION } from '../deck.prompt.js';
import type { DeckRequest } from '../deck.types.js';
import type { SlideWriter } from '../slide-writer.port.js';
import { GeminiSlideWriter } from './gemini/gemini.slide-writer.js';
import { OpenAiSlideWriter } from './openai/openai.slide-writer.js';

/** A writer pointed at its fake server, and what the fake recorded, in the contract's terms. */
interface Harness {
  writer(requestTimeoutMs?: number): SlideWriter;
  script(...steps: unknown[]): void;
  readonly calls: number;
  /** The instructions and the user's turn of the last request. */
  firstTurn(): { system: string; user: string };
  /** The repair turn (problems sent back) of the last request. */
  repairText(): string;
  reset(): void;
  close(): Promise<void>;
}

type FailureCase = [name: string, step: unknown, expected: Partial<ProviderError>, message: RegExp];

interface Driver {
  name: string;
  provider: string;
  model: string;
  key: string;
  /** What every message starts with (a pattern: the OpenAI label names the server's port). */
  label: string;
  /** Fields every ProviderError of this writer has. */
  errorFields: Partial<ProviderError>;
  request: DeckRequest;
  /** How the prompt names the request's language. */
  languageName: string;
  start(): Promise<Harness>;
  failures: FailureCase[];
  /** Failures after which no error may hold the key (the first echoes it). */
  leakSteps: unknown[];
  /** What the first leak step's message says where the key was. */
  redactedEcho: string;
}

const GEMINI_KEY = 'AIzaSyFAKE-key-for-tests-0123456789abcd';
const OPENAI_KEY = 'sk-proj-FAKEkeyForTests0123456789abcdefXYZ';

const gemini: Driver = {
  name: 'GeminiSlideWriter',
  provider: 'gemini',
  model: 'gemini-test-flash',
  key: GEMINI_KEY,
  label: 'Gemini',
  errorFields: { provider: 'Gemini' },
  request: { prompt: 'How photosynthesis works', slideCount: 4, language: 'de-DE' },
  languageName: 'German (Germany) (de-DE)',
  async start() {
    const fake = await startFakeGemini();
    return {
      writer: (requestTimeoutMs = 10_000) =>
        new GeminiSlideWriter({ gemini: { apiKey: GEMINI_KEY, model: gemini.model, baseUrl: fake.baseUrl }, requestTimeoutMs }),
      script: (...steps) => fake.script(...(steps as FakeGeminiStep[])),
      get calls() {
        return fake.calls;
      },
      firstTurn: () => ({
        system: fake.lastRequest!.body.systemInstruction.parts[0].text,
        user: fake.lastRequest!.body.contents[0].parts[0].text,
      }),
      repairText: () => fake.lastRequest!.body.contents[2].parts[0].text,
      reset: () => fake.reset(),
      close: () => fake.close(),
    };
  },
  failures: [
    [
      '429 with RetryInfo',
      { kind: 'rate_limited' },
      { kind: 'rate_limited', retryAfterMs: 7000 },
      /rate limit or quota reached \(HTTP 429 RESOURCE_EXHAUSTED\); the server asked to wait 7 s/,
    ],
    ['429 without RetryInfo', { kind: 'rate_limited', retryDelay: null }, { kind: 'rate_limited', retryAfterMs: undefined }, /rate limit/],
    ['500', { kind: 'server_error' }, { kind: 'transient' }, /HTTP 500 INTERNAL/],
    ['503 overloaded', { kind: 'server_error', status: 503 }, { kind: 'transient' }, /HTTP 503 UNAVAILABLE.*overloaded/],
    ['connection reset', { kind: 'reset' }, { kind: 'transient' }, /could not reach the server/],
    [
      '400',
      { kind: 'bad_request', message: 'Unknown name "foo"' },
      { kind: 'permanent' },
      /the request was rejected \(HTTP 400 INVALID_ARGUMENT\): Unknown name "foo"/,
    ],
    [
      'a wrong key (400 API_KEY_INVALID)',
      { kind: 'invalid_key' },
      { kind: 'permanent' },
      /^Gemini: the API key was rejected \(HTTP 400 INVALID_ARGUMENT API_KEY_INVALID\).*check GOOGLE_GEMINI_API_KEY$/,
    ],
    ['401', { kind: 'unauthorized' }, { kind: 'permanent' }, /^Gemini: the API key was rejected \(HTTP 401/],
    ['403', { kind: 'forbidden' }, { kind: 'permanent' }, /^Gemini: the API key was rejected or lacks permission \(HTTP 403.*leaked/],
    ['a blocked prompt', { kind: 'blocked_prompt' }, { kind: 'permanent' }, /^Gemini: Gemini blocked this prompt \(SAFETY\)/],
    [
      'a blocked reply',
      { kind: 'blocked_reply', finishReason: 'PROHIBITED_CONTENT' },
      { kind: 'permanent' },
      /Gemini blocked the reply to this prompt \(PROHIBITED_CONTENT\)/,
    ],
  ],
  leakSteps: [
    { kind: 'invalid_key', echoKey: true },
    { kind: 'unauthorized', echoKey: true },
    { kind: 'forbidden', echoKey: true },
    { kind: 'reset' },
    { kind: 'hang' },
  ],
  redactedEcho: '[redacted]',
};

const openai: Driver = {
  name: 'OpenAiSlideWriter',
  provider: 'openai',
  model: 'llama3.1:8b',
  key: OPENAI_KEY,
  label: String.raw`OpenAI-compatible server at 127\.0\.0\.1:\d+`,
  errorFields: {},
  request: { prompt: 'The water cycle', slideCount: 3, language: 'fr-FR' },
  languageName: 'French (France) (fr-FR)',
  async start() {
    const fake = await startFakeOpenAi();
    return {
      writer: (requestTimeoutMs = 10_000) =>
        new OpenAiSlideWriter({ openai: { baseUrl: fake.baseUrl, apiKey: OPENAI_KEY, model: openai.model }, requestTimeoutMs }),
      script: (...steps) => fake.script(...(steps as FakeOpenAiStep[])),
      get calls() {
        return fake.calls;
      },
      firstTurn: () => ({ system: fake.lastRequest!.body.messages[0].content, user: fake.lastRequest!.body.messages[1].content }),
      repairText: () => fake.lastRequest!.body.messages[3].content,
      reset: () => fake.reset(),
      close: () => fake.close(),
    };
  },
  failures: [
    [
      '429 with Retry-After',
      { kind: 'rate_limited' },
      { kind: 'rate_limited', retryAfterMs: 7000 },
      /rate limit or quota reached \(HTTP 429\); the server asked to wait 7 s/,
    ],
    ['429 without Retry-After', { kind: 'rate_limited', retryAfter: null }, { kind: 'rate_limited', retryAfterMs: undefined }, /rate limit/],
    ['429 insufficient_quota', { kind: 'insufficient_quota' }, { kind: 'permanent' }, /no quota left/],
    ['500', { kind: 'server_error' }, { kind: 'transient' }, /HTTP 500/],
    ['502', { kind: 'server_error', status: 502 }, { kind: 'transient' }, /HTTP 502/],
    ['connection reset', { kind: 'reset' }, { kind: 'transient' }, /could not reach the server/],
    ['400', { kind: 'bad_request' }, { kind: 'permanent' }, /the request was rejected \(HTTP 400\): Invalid schema/],
    ['401', { kind: 'unauthorized' }, { kind: 'permanent' }, /: the API key was rejected \(HTTP 401\).*check OPENAI_API_KEY$/],
    ['403', { kind: 'forbidden' }, { kind: 'permanent' }, /rejected or lacks permission \(HTTP 403\)/],
    ['a model that is not pulled', { kind: 'model_not_found' }, { kind: 'permanent' }, /not found \(HTTP 404\): model "llama3.1:8b" not found/],
    ['a refusal', { kind: 'refusal' }, { kind: 'permanent' }, /the model refused this prompt \("I'm sorry/],
    ['a content filter stop', { kind: 'content_filter' }, { kind: 'permanent' }, /content filter blocked this prompt/],
  ],
  leakSteps: [{ kind: 'unauthorized', echoKey: true }, { kind: 'reset' }, { kind: 'hang' }],
  redactedEcho: 'Incorrect API key provided: [redacted]',
};

describe.each([gemini, openai])('$name (SlideWriter contract)', (driver) => {
  let fake: Harness;
  const n = driver.request.slideCount;
  const request = (over: Partial<DeckRequest> = {}): DeckRequest => ({ ...driver.request, ...over });
  const startsWithLabel = (rest: string) => new RegExp(`^${driver.label}: ${rest}`);

  beforeAll(async () => {
    fake = await driver.start();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('asks in the language and slide count, and returns the validated deck with usage, in one call', async () => {
    const w = fake.writer();
    const result = await w.write(request());

    expect([w.provider, w.model, w.templateVersion]).toEqual([driver.provider, driver.model, DECK_TEMPLATE_VERSION]);
    expect(result.deck.slides).toHaveLength(n);
    expect(result).toMatchObject({ inputTokens: FAKE_USAGE.input, outputTokens: FAKE_USAGE.output });
    expect(fake.calls).toBe(1);
    const { system, user } = fake.firstTurn();
    expect(system).toMatch(/spoken aloud/);
    expect(user).toContain(`exactly ${n} slides`);
    expect(user).toContain(driver.languageName);
    expect(user).toContain(driver.request.prompt);
  });

  it.each([
    ['invalid JSON', 'invalid_json', /not valid JSON/],
    ['a wrong slide count (the path named)', 'wrong_count', new RegExp(`slides: expected exactly ${n} slides, got ${n + 1}`)],
  ])('repairs once after %s, sending the problem back and counting both calls', async (_name, step, problem) => {
    fake.script(step, 'deck');
    const result = await fake.writer().write(request());

    expect(result.deck.slides).toHaveLength(n);
    expect(result).toMatchObject({ inputTokens: 2 * FAKE_USAGE.input, outputTokens: 2 * FAKE_USAGE.output });
    expect(fake.calls).toBe(2);
    expect(fake.repairText()).toMatch(problem);
  });

  it.each([
    ['invalid JSON, then the wrong count', ['invalid_json', 'wrong_count'], new RegExp(`: .*expected exactly ${n} slides, got ${n + 1}`)],
    ['invalid JSON twice', ['invalid_json', 'invalid_json'], /: the reply is not valid JSON/],
  ])('gives up after one failed repair (%s) with a permanent error listing the problems', async (_name, steps, problems) => {
    fake.script(...steps);
    const e = await failure(fake.writer().write(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(startsWithLabel('the model did not return a usable deck, even after one repair attempt'));
    expect(e.message).toMatch(problems);
    expect(fake.calls).toBe(2);
  });

  it.each(driver.failures)('classifies %s, in one call (no SDK retry, no repair)', async (_name, step, expected, message) => {
    fake.script(step);
    const e = await failure(fake.writer().write(request()));
    expect(e).toMatchObject({ ...driver.errorFields, ...expected });
    expect(e.message).toMatch(message);
    expect(fake.calls).toBe(1);
  });

  it('never puts the key in a message or a cause, even when the server echoes it', async () => {
    const errors: unknown[] = [];
    for (const step of driver.leakSteps) {
      fake.script(step);
      errors.push(await failure(fake.writer(300).write(request())));
    }
    // The fake did echo it, so the redaction was tested rather than assumed.
    expect(fake.calls).toBe(driver.leakSteps.length);
    for (const e of errors) {
      expect(everything(e)).not.toContain(driver.key);
      expect(everything(e)).not.toContain(driver.key.slice(8));
    }
    expect((errors[0] as ProviderError).message).toContain(driver.redactedEcho);
  });

  it('times out a hanging call after AI_REQUEST_TIMEOUT_MS as transient', async () => {
    fake.script('hang');
    const started = Date.now();
    const e = await failure(fake.writer(300).write(request()));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e).toMatchObject({ kind: 'transient' });
    expect(e.message).toMatch(startsWithLabel(String.raw`no reply within 300 ms \(timed out\)$`));
  });

  it('stops a hanging call promptly when request.signal fires', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const pending = fake.writer(60_000).write(request({ signal: controller.signal }));
    // Abort once the fake holds the request, not on a timer.
    await until(() => fake.calls === 1);
    const started = Date.now();
    controller.abort();
    const e = await failure(pending);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(e).toMatchObject({ kind: 'permanent' });
    expect(e.message).toMatch(startsWithLabel('the request was cancelled$'));
  });

  it('does not call at all with an already aborted signal or an impossible slide count', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(fake.writer().write(request({ signal: controller.signal })))).message).toMatch(/cancelled/);
    expect((await failure(fake.writer().write(request({ slideCount: 50 })))).message).toMatch(/slide count must be a whole number from 3 to 20, got 50/);
    expect(fake.calls).toBe(0);
  });
});

async function until(condition: () => boolean, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
