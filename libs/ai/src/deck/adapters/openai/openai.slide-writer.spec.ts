import { FAKE_USAGE } from '../../../../../../test/fakes/fake-gemini.server.js';
import { type FakeOpenAi, type FakeOpenAiStep, startFakeOpenAi } from '../../../../../../test/fakes/fake-openai.server.js';
import { DECK_SCHEMA_NAME, DECK_TEMPLATE_VERSION } from '../../deck.prompt.js';
import type { DeckRequest } from '../../deck.types.js';
import { OpenAiSlideWriter } from './openai.slide-writer.js';
import { ProviderError } from '../../../errors/provider.error.js';
import { everything, failure } from '../../../../../../test/support/provider-error.js';

const KEY = 'sk-proj-FAKEkeyForTests0123456789abcdefXYZ';
const MODEL = 'llama3.1:8b';

let fake: FakeOpenAi;

const writer = (requestTimeoutMs = 10_000, apiKey: string | null = KEY) =>
  new OpenAiSlideWriter({ openai: { baseUrl: fake.baseUrl, apiKey: apiKey ?? undefined, model: MODEL }, requestTimeoutMs });

const request = (over: Partial<DeckRequest> = {}): DeckRequest => ({
  prompt: 'The water cycle',
  slideCount: 3,
  language: 'fr-FR',
  ...over,
});

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('OpenAiSlideWriter', () => {
  it('posts a strict json_schema chat completion in the language and slide count, and returns the deck with usage', async () => {
    const w = writer();
    const result = await w.write(request());

    expect([w.provider, w.model, w.templateVersion]).toEqual(['openai', MODEL, DECK_TEMPLATE_VERSION]);
    expect(result.deck.slides).toHaveLength(3);
    expect(result).toMatchObject({ inputTokens: FAKE_USAGE.input, outputTokens: FAKE_USAGE.output });

    expect(fake.calls).toBe(1);
    const sent = fake.lastRequest!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body.model).toBe(MODEL);
    expect(sent.body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: {
        name: DECK_SCHEMA_NAME,
        strict: true,
        schema: { additionalProperties: false, properties: { slides: { minItems: 3, maxItems: 3 } } },
      },
    });
    const [system, user] = sent.body.messages;
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/spoken aloud/);
    expect(user.role).toBe('user');
    expect(user.content).toContain('exactly 3 slides');
    expect(user.content).toContain('French (France) (fr-FR)');
  });

  it('sends no Authorization header without a key (Ollama, vLLM)', async () => {
    await writer(10_000, null).write(request());
    expect(fake.lastRequest!.headers.authorization).toBeUndefined();
  });

  it('repairs once with the previous reply as the assistant turn', async () => {
    fake.script('wrong_count', 'deck');
    const result = await writer().write(request());
    expect(result.deck.slides).toHaveLength(3);
    expect(result).toMatchObject({ inputTokens: 2 * FAKE_USAGE.input, outputTokens: 2 * FAKE_USAGE.output });
    expect(fake.calls).toBe(2);
    const messages = fake.lastRequest!.body.messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.parse(messages[2].content).slides).toHaveLength(4);
    expect(messages[3].content).toContain('slides: expected exactly 3 slides, got 4');
  });

  it('accepts a deck wrapped in a Markdown code fence', async () => {
    fake.script({ kind: 'text', text: '```json\n' + JSON.stringify({ title: 'T', slides: [1, 2, 3].map((n) => ({ title: `S${n}`, bullets: [], narration: `N${n}.` })) }) + '\n```' });
    expect((await writer().write(request())).deck.slides).toHaveLength(3);
    expect(fake.calls).toBe(1);
  });

  it('gives up after one failed repair', async () => {
    fake.script('invalid_json', 'invalid_json');
    const e = await failure(writer().write(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(/^OpenAI-compatible server at 127\.0\.0\.1:\d+: the model did not return a usable deck, even after one repair attempt: the reply is not valid JSON/);
    expect(fake.calls).toBe(2);
  });

  it.each<[string, FakeOpenAiStep, Partial<ProviderError>, RegExp]>([
    ['429 with Retry-After', { kind: 'rate_limited' }, { kind: 'rate_limited', retryAfterMs: 7000 }, /rate limit or quota reached \(HTTP 429\); the server asked to wait 7 s/],
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
  ])('classifies %s, in one call', async (_name, step, expected, message) => {
    fake.script(step);
    const e = await failure(writer().write(request()));
    expect(e).toMatchObject(expected);
    expect(e.message).toMatch(message);
    expect(fake.calls).toBe(1);
  });

  it('names OpenAI itself when pointed at api.openai.com', () => {
    // Only the label is checked: nothing is sent.
    const w = new OpenAiSlideWriter({ openai: { baseUrl: 'https://api.openai.com/v1', apiKey: KEY, model: 'gpt-4o-mini' }, requestTimeoutMs: 1000 });
    expect((w as unknown as { label: string }).label).toBe('OpenAI');
  });

  it('never puts the key in a message or a cause, even when the server echoes it', async () => {
    const errors: unknown[] = [];
    for (const step of [{ kind: 'unauthorized', echoKey: true }, { kind: 'reset' }, { kind: 'hang' }] as FakeOpenAiStep[]) {
      fake.script(step);
      errors.push(await failure(writer(300).write(request())));
    }
    expect(fake.calls).toBe(3);
    for (const e of errors) expect(everything(e)).not.toContain(KEY.slice(8));
    expect((errors[0] as ProviderError).message).toContain('Incorrect API key provided: [redacted]');
  });

  it('times out a hanging call after AI_REQUEST_TIMEOUT_MS as transient', async () => {
    fake.script('hang');
    const started = Date.now();
    const e = await failure(writer(300).write(request()));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e).toMatchObject({ kind: 'transient' });
    expect(e.message).toMatch(/no reply within 300 ms \(timed out\)$/);
  });

  it('stops a hanging call promptly when request.signal fires', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const pending = writer(60_000).write(request({ signal: controller.signal }));
    await until(() => fake.calls === 1);
    const started = Date.now();
    controller.abort();
    const e = await failure(pending);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(e).toMatchObject({ kind: 'permanent' });
    expect(e.message).toMatch(/the request was cancelled$/);
  });
});

async function until(condition: () => boolean, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
