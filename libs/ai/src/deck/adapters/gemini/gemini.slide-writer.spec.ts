// What only Gemini's wire protocol has. The cases every HTTP writer shares (usage,
// repair, failures, key redaction, timeouts, cancellation) are in slide-writer.contract.spec.ts.
import { type FakeGemini, startFakeGemini } from '@test/fakes/fake-gemini.server.js';
import type { DeckRequest } from '../../deck.types.js';
import { GeminiSlideWriter } from './gemini.slide-writer.js';

const KEY = 'AIzaSyFAKE-key-for-tests-0123456789abcd';
const MODEL = 'gemini-test-flash';

let fake: FakeGemini;

const writer = (requestTimeoutMs = 10_000) => new GeminiSlideWriter({ gemini: { apiKey: KEY, model: MODEL, baseUrl: fake.baseUrl }, requestTimeoutMs });

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
  it('asks generateContent for structured JSON with the key in a header', async () => {
    const result = await writer().write(request());

    expect(result.deck.slides[0]).toEqual({
      title: 'Part 1',
      bullets: ['Key idea 1', 'Example 1'],
      narration: expect.stringContaining('slide 1 of 4'),
      visual: { keywords: ['rocket', 'book'], prompt: 'A simple picture for key idea 1.' },
    });
    const sent = fake.lastRequest!;
    expect(sent.path).toMatch(new RegExp(`^/v1(beta)?/models/${MODEL}:generateContent$`));
    expect(sent.apiKey).toBe(KEY);
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    const config = sent.body.generationConfig;
    expect(config.responseMimeType).toBe('application/json');
    expect(config.responseJsonSchema).toMatchObject({
      type: 'object',
      required: ['title', 'slides'],
      properties: { slides: { type: 'array', minItems: 4, maxItems: 4, items: { required: ['title', 'bullets', 'narration', 'visual'] } } },
    });
    expect(config.responseJsonSchema.properties.slides.items.properties.visual).toMatchObject({
      required: ['keywords', 'prompt'],
      properties: { keywords: { type: 'array', minItems: 1, maxItems: 5 } },
    });
    expect(sent.body.systemInstruction.parts[0].text).toContain('never text to draw');
  });

  it('repairs with the reply as the model turn and the problem as a user turn, still under the schema', async () => {
    fake.script('invalid_json', 'deck');
    await writer().write(request());

    const [first, previous, repair] = fake.lastRequest!.body.contents;
    expect(first.parts[0].text).toContain('exactly 4 slides');
    expect(previous).toEqual({ role: 'model', parts: [{ text: expect.stringContaining('Half a deck') }] });
    expect(repair.role).toBe('user');
    expect(repair.parts[0].text).toMatch(/not valid JSON/);
    // The repair call still carries the schema.
    expect(fake.lastRequest!.body.generationConfig.responseJsonSchema.properties.slides.minItems).toBe(4);
  });
});
