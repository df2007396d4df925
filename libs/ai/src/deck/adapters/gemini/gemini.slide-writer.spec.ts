import { FAKE_USAGE, type FakeGemini, type FakeGeminiStep, startFakeGemini } from '../../../../../../test/fakes/fake-gemini.server.js';
import { DECK_TEMPLATE_VERSION } from '../../deck.prompt.js';
import type { DeckRequest } from '../../deck.types.js';
import { GeminiSlideWriter } from './gemini.slide-writer.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { everything, failure } from '../../../../../../test/support/provider-error.js';

const KEY = 'AIzaSyFAKE-key-for-tests-0123456789abcd';
const MODEL = 'gemini-test-flash';

let fake: FakeGemini;

const writer = (requestTimeoutMs = 10_000) =>
  new GeminiSlideWriter({ gemini: { apiKey: KEY, model: MODEL, baseUrl: fake.baseUrl }, requestTimeoutMs });

const request = (over: Partial<DeckRequest> = {}): DeckRequest => ({
  prompt: 'How photosynthesis works',
  slideCount: 4,
  language: 'de-DE',
  ...over,
});

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('GeminiSlideWriter', () => {
  it('asks for structured JSON in the language and slide count, and returns the validated deck with usage', async () => {
    const w = writer();
    const result = await w.write(request());

    expect([w.provider, w.model, w.templateVersion]).toEqual(['gemini', MODEL, DECK_TEMPLATE_VERSION]);
    expect(result.deck.slides).toHaveLength(4);
    expect(result.deck.slides[0]).toEqual({ title: 'Part 1', bullets: ['Key idea 1', 'Example 1'], narration: expect.stringContaining('slide 1 of 4') });
    expect(result).toMatchObject({ inputTokens: FAKE_USAGE.input, outputTokens: FAKE_USAGE.output });

    expect(fake.calls).toBe(1);
    const sent = fake.lastRequest!;
    expect(sent.path).toMatch(new RegExp(`^/v1(beta)?/models/${MODEL}:generateContent$`));
    expect(sent.apiKey).toBe(KEY);
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    const config = sent.body.generationConfig;
    expect(config.responseMimeType).toBe('application/json');
    expect(config.responseJsonSchema).toMatchObject({
      type: 'object',
      required: ['title', 'slides'],
      properties: { slides: { type: 'array', minItems: 4, maxItems: 4, items: { required: ['title', 'bullets', 'narration'] } } },
    });
    expect(sent.body.systemInstruction.parts[0].text).toMatch(/spoken aloud/);
    const prompt = sent.body.contents[0].parts[0].text as string;
    expect(prompt).toContain('exactly 4 slides');
    expect(prompt).toContain('German (Germany) (de-DE)');
    expect(prompt).toContain('How photosynthesis works');
  });

  it('repairs an invalid JSON reply once, sending the reply and the problem back', async () => {
    fake.script('invalid_json', 'deck');
    const result = await writer().write(request());

    expect(result.deck.slides).toHaveLength(4);
    expect(result).toMatchObject({ inputTokens: 2 * FAKE_USAGE.input, outputTokens: 2 * FAKE_USAGE.output });
    expect(fake.calls).toBe(2);
    const [first, previous, repair] = fake.lastRequest!.body.contents;
    expect(first.parts[0].text).toContain('exactly 4 slides');
    expect(previous).toEqual({ role: 'model', parts: [{ text: expect.stringContaining('Half a deck') }] });
    expect(repair.role).toBe('user');
    expect(repair.parts[0].text).toMatch(/not valid JSON/);
    // The repair call still carries the schema.
    expect(fake.lastRequest!.body.generationConfig.responseJsonSchema.properties.slides.minItems).toBe(4);
  });

  it('repairs a deck with the wrong slide count, naming the path', async () => {
    fake.script('wrong_count', 'deck');
    const result = await writer().write(request());
    expect(result.deck.slides).toHaveLength(4);
    expect(fake.lastRequest!.body.contents[2].parts[0].text).toContain('slides: expected exactly 4 slides, got 5');
  });

  it('gives up after one failed repair with a permanent error listing the problems', async () => {
    fake.script('invalid_json', 'wrong_count');
    const e = await failure(writer().write(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(/^Gemini: the model did not return a usable deck, even after one repair attempt: .*expected exactly 4 slides, got 5/);
    expect(fake.calls).toBe(2);
  });

  it.each<[string, FakeGeminiStep, Partial<ProviderError>, RegExp]>([
    ['429 with RetryInfo', { kind: 'rate_limited' }, { kind: 'rate_limited', retryAfterMs: 7000 }, /rate limit or quota reached \(HTTP 429 RESOURCE_EXHAUSTED\); the server asked to wait 7 s/],
    ['429 without RetryInfo', { kind: 'rate_limited', retryDelay: null }, { kind: 'rate_limited', retryAfterMs: undefined }, /rate limit/],
    ['500', { kind: 'server_error' }, { kind: 'transient' }, /HTTP 500 INTERNAL/],
    ['503 overloaded', { kind: 'server_error', status: 503 }, { kind: 'transient' }, /HTTP 503 UNAVAILABLE.*overloaded/],
    ['connection reset', { kind: 'reset' }, { kind: 'transient' }, /could not reach the server/],
    ['400', { kind: 'bad_request', message: 'Unknown name "foo"' }, { kind: 'permanent' }, /the request was rejected \(HTTP 400 INVALID_ARGUMENT\): Unknown name "foo"/],
    ['a wrong key (400 API_KEY_INVALID)', { kind: 'invalid_key' }, { kind: 'permanent' }, /^Gemini: the API key was rejected \(HTTP 400 INVALID_ARGUMENT API_KEY_INVALID\).*check GOOGLE_GEMINI_API_KEY$/],
    ['401', { kind: 'unauthorized' }, { kind: 'permanent' }, /^Gemini: the API key was rejected \(HTTP 401/],
    ['403', { kind: 'forbidden' }, { kind: 'permanent' }, /^Gemini: the API key was rejected or lacks permission \(HTTP 403.*leaked/],
    ['a blocked prompt', { kind: 'blocked_prompt' }, { kind: 'permanent' }, /^Gemini: Gemini blocked this prompt \(SAFETY\)/],
    ['a blocked reply', { kind: 'blocked_reply', finishReason: 'PROHIBITED_CONTENT' }, { kind: 'permanent' }, /Gemini blocked the reply to this prompt \(PROHIBITED_CONTENT\)/],
  ])('classifies %s, in one call (no SDK retry, no repair)', async (_name, step, expected, message) => {
    fake.script(step);
    const e = await failure(writer().write(request()));
    expect(e).toMatchObject({ provider: 'Gemini', ...expected });
    expect(e.message).toMatch(message);
    expect(fake.calls).toBe(1);
  });

  it('never puts the key in a message or a cause, even when the server echoes it', async () => {
    const errors: unknown[] = [];
    for (const step of [
      { kind: 'invalid_key', echoKey: true },
      { kind: 'unauthorized', echoKey: true },
      { kind: 'forbidden', echoKey: true },
      { kind: 'reset' },
      { kind: 'hang' },
    ] as FakeGeminiStep[]) {
      fake.script(step);
      errors.push(await failure(writer(300).write(request())));
    }
    // The fake did echo it, so the redaction was tested rather than assumed.
    expect(fake.calls).toBe(5);
    for (const e of errors) {
      expect(everything(e)).not.toContain(KEY);
      expect(everything(e)).not.toContain(KEY.slice(8));
    }
    expect((errors[0] as ProviderError).message).toContain('[redacted]');
  });

  it('times out a hanging call after AI_REQUEST_TIMEOUT_MS as transient', async () => {
    fake.script('hang');
    const started = Date.now();
    const e = await failure(writer(300).write(request()));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e).toMatchObject({ kind: 'transient' });
    expect(e.message).toBe('Gemini: no reply within 300 ms (timed out)');
  });

  it('stops a hanging call promptly when request.signal fires', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const pending = writer(60_000).write(request({ signal: controller.signal }));
    // Abort once the fake holds the request, not on a timer.
    await until(() => fake.calls === 1);
    const started = Date.now();
    controller.abort();
    const e = await failure(pending);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(e).toMatchObject({ kind: 'permanent', message: 'Gemini: the request was cancelled' });
  });

  it('does not call at all with an already aborted signal or an impossible slide count', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(writer().write(request({ signal: controller.signal })))).message).toMatch(/cancelled/);
    expect((await failure(writer().write(request({ slideCount: 50 })))).message).toMatch(/slide count must be a whole number from 3 to 20, got 50/);
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
