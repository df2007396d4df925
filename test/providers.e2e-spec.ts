import { FAKE_USAGE } from './fakes/fake-gemini.server.js';
import { type FakeOpenAi, startFakeOpenAi } from './fakes/fake-openai.server.js';
import { type PipelineHarness, registerUser, waitForVideo } from './support/pipeline-harness.js';
import {
  GEMINI_KEY,
  GEMINI_MODEL,
  type GoogleFakes,
  type GoogleStack,
  TTS_KEY,
  generate,
  geminiCallsFor,
  speaks,
  startGoogleStack,
  storedDeck,
} from './support/provider-fakes.js';

/**
 * Issue #4, the happy paths: the worker, configured only through environment
 * variables, uses the real SDK adapters (@google/genai, @google-cloud/text-to-speech,
 * the OpenAI-compatible client) against fakes that speak the real wire protocols.
 */
let stack: GoogleStack;
let h: PipelineHarness;
let f: GoogleFakes;
let token: string;

beforeAll(async () => {
  stack = await startGoogleStack();
  ({ pipeline: h, fakes: f } = stack);
  token = await registerUser(h.api, 'gina');
}, 60_000);

afterAll(() => stack?.close());

describe('Gemini and Google Text-to-Speech', () => {
  const PROMPT = 'Volcanoes: how magma rises through the crust, why some erupt explosively and others gently.';
  let video: any;
  let seen: { status: string }[];

  beforeAll(async () => {
    const id = await generate(h.api, token, { prompt: PROMPT, slideCount: 3, language: 'es-ES' });
    ({ video, seen } = await waitForVideo(h.api, token, id, 60_000));
  }, 70_000);

  it('completes, naming the providers and the model', () => {
    expect(video).toMatchObject({
      status: 'completed',
      error: null,
      providers: { llm: 'gemini', model: GEMINI_MODEL, tts: 'google' },
    });
    expect(seen.map((s) => s.status)).not.toContain('failed');
    expect(video.durationSeconds).toBeGreaterThan(1);
  });

  it('records what the providers billed: Gemini tokens as reported, TTS characters, two cache misses kinds', async () => {
    expect(video.usage).toMatchObject({
      llmInputTokens: FAKE_USAGE.input,
      llmOutputTokens: FAKE_USAGE.output,
      cacheHits: 0,
      cacheMisses: 3 + 1, // the deck and each slide's audio
    });
    // Google bills SSML characters, tags included: at least the narration itself.
    const narration = (await storedDeck(h.api, video.id)).map((s) => s.narration).join('');
    expect(video.usage.ttsCharacters).toBeGreaterThanOrEqual(narration.length);
  });

  it('sent Gemini one request with the key, the model, the slide count, the language and the reply schema', () => {
    expect(geminiCallsFor(f.gemini, PROMPT)).toBe(1);
    const req = f.gemini.requests.find((r) => JSON.stringify(r.body.contents).includes(PROMPT))!;
    expect(req.model).toBe(GEMINI_MODEL);
    expect(req.apiKey).toBe(GEMINI_KEY);
    const text = JSON.stringify(req.body.contents);
    expect(text).toContain('exactly 3 slides');
    expect(text).toContain('(es-ES)');
    expect(req.body.generationConfig.responseMimeType).toBe('application/json');
    const schema = req.body.generationConfig.responseJsonSchema;
    expect(schema.required).toEqual(['title', 'slides']);
    expect(schema.properties.slides).toMatchObject({ type: 'array', minItems: 3, maxItems: 3 });
    expect(schema.properties.slides.items.required).toEqual(['title', 'bullets', 'narration', 'visual']);
  });

  it('voiced each slide once through Google TTS, in the video’s language, with the key', async () => {
    const deck = await storedDeck(h.api, video.id);
    const calls = f.tts.requests.filter((r) => deck.some((s) => speaks(r, s.narration)));
    expect(calls).toHaveLength(3);
    for (const r of calls) {
      expect(r).toMatchObject({ languageCode: 'es-ES', audioEncoding: 'MP3', outcome: 'ok' });
      expect(r.headers['x-goog-api-key']).toBe(TTS_KEY);
    }
  });
});

describe('an OpenAI-compatible server', () => {
  let openai: FakeOpenAi;

  beforeAll(async () => {
    openai = await startFakeOpenAi({ apiKey: 'sk-e2e-openai-5c7e1a9d3b' });
    // Another deployment's configuration: this worker replaces the Gemini one.
    await h.workers[0]!.stop();
    await h.addWorker({
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'sk-e2e-openai-5c7e1a9d3b',
      OPENAI_MODEL: 'e2e-mini',
    });
  }, 30_000);

  afterAll(async () => {
    await openai?.close();
  });

  it('writes the deck, with its usage, and Google TTS voices it', async () => {
    const prompt = 'Photosynthesis: how leaves turn light, water and carbon dioxide into sugar.';
    const id = await generate(h.api, token, { prompt, slideCount: 3 });
    const { video } = await waitForVideo(h.api, token, id, 60_000);
    expect(video).toMatchObject({
      status: 'completed',
      error: null,
      providers: { llm: 'openai', model: 'e2e-mini', tts: 'google' },
      usage: { llmInputTokens: FAKE_USAGE.input, llmOutputTokens: FAKE_USAGE.output, cacheMisses: 4 },
    });
    expect(openai.calls).toBe(1);
    const req = openai.lastRequest!;
    expect(req.apiKey).toBe('sk-e2e-openai-5c7e1a9d3b');
    expect(req.body.model).toBe('e2e-mini');
    expect(JSON.stringify(req.body.messages)).toContain(prompt);
    expect(req.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    expect(req.body.response_format.json_schema.schema.properties.slides).toMatchObject({ minItems: 3, maxItems: 3 });
    expect(video.usage.ttsCharacters).toBeGreaterThan(0);
  }, 70_000);
});
