// What only the OpenAI chat-completions protocol has. The cases every HTTP writer shares
// (usage, repair, failures, key redaction, timeouts, cancellation) are in slide-writer.contract.spec.ts.
import { type FakeOpenAi, startFakeOpenAi } from '@test/fakes/fake-openai.server.js';
import { DECK_SCHEMA_NAME } from '../../deck.prompt.js';
import type { DeckRequest } from '../../deck.types.js';
import { OpenAiSlideWriter } from './openai.slide-writer.js';

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
  it('posts a strict json_schema chat completion with a bearer key, system turn first', async () => {
    await writer().write(request());

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
    expect(user.role).toBe('user');
  });

  it('sends no Authorization header without a key (Ollama, vLLM)', async () => {
    await writer(10_000, null).write(request());
    expect(fake.lastRequest!.headers.authorization).toBeUndefined();
  });

  it('repairs once with the previous reply as the assistant turn', async () => {
    fake.script('wrong_count', 'deck');
    await writer().write(request());
    const messages = fake.lastRequest!.body.messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.parse(messages[2].content).slides).toHaveLength(4);
  });

  it('accepts a deck wrapped in a Markdown code fence', async () => {
    fake.script({
      kind: 'text',
      text:
        '```json\n' +
        JSON.stringify({
          title: 'T',
          slides: [1, 2, 3].map((n) => ({ title: `S${n}`, bullets: [], narration: `N${n}.`, visual: { keywords: ['owl'], prompt: 'An owl.' } })),
        }) +
        '\n```',
    });
    expect((await writer().write(request())).deck.slides).toHaveLength(3);
    expect(fake.calls).toBe(1);
  });

  it('names OpenAI itself when pointed at api.openai.com', () => {
    // Only the label is checked: nothing is sent.
    const w = new OpenAiSlideWriter({ openai: { baseUrl: 'https://api.openai.com/v1', apiKey: KEY, model: 'gpt-4o-mini' }, requestTimeoutMs: 1000 });
    expect((w as unknown as { label: string }).label).toBe('OpenAI');
  });
});
