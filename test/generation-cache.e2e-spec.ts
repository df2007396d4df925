import { type PipelineHarness, registerUser, waitForVideo } from './support/pipeline-harness.js';
import {
  type GoogleFakes,
  type GoogleStack,
  generate,
  geminiCallsFor,
  speaks,
  sql,
  startGoogleStack,
  storedDeck,
  ttsCallsFor,
} from './support/provider-fakes.js';
import { waitFor } from './support/wait.js';

/**
 * Issue #4, the generation cache through the whole stack: the same deck request
 * or the same narration never reaches a paid provider twice, whoever asks and
 * however many ask at once (single-flighted through a PostgreSQL advisory lock).
 */
let stack: GoogleStack;
let h: PipelineHarness;
let f: GoogleFakes;
let alice: string;
let bob: string;

const REQUEST = { prompt: 'Glaciers: how snow becomes ice and the ice flows downhill, carving valleys.', slideCount: 3, language: 'en-GB' };

async function made(token: string, body: Record<string, unknown>) {
  const id = await generate(h.api, token, body);
  return waitForVideo(h.api, token, id, 60_000);
}

beforeAll(async () => {
  // No provider was called on a hit (the fakes count calls): that, not elapsed time, is what the
  // cache saves, so these tests assert calls and never durations (a loaded machine makes times lie).
  stack = await startGoogleStack();
  ({ pipeline: h, fakes: f } = stack);
  alice = await registerUser(h.api, 'alice');
  bob = await registerUser(h.api, 'bob');
}, 60_000);

afterAll(() => stack?.close());

describe('the same request again', () => {
  let first: Awaited<ReturnType<typeof made>>;

  beforeAll(async () => {
    first = await made(alice, REQUEST);
  }, 70_000);

  it('first time: one Gemini call, one TTS call per slide, every lookup a miss', () => {
    expect(first.video).toMatchObject({ status: 'completed', usage: { cacheHits: 0, cacheMisses: 4, llmInputTokens: 120 } });
    expect(geminiCallsFor(f.gemini, REQUEST.prompt)).toBe(1);
    expect(f.tts.calls).toBe(3);
  });

  it.each([
    ['by the same user', () => alice],
    ['by another user', () => bob],
  ])(
    '%s: completes without calling either provider, every lookup a hit',
    async (_, who) => {
      const gemini = f.gemini.calls;
      const tts = f.tts.calls;
      const again = await made(who(), REQUEST);

      expect(again.video).toMatchObject({
        status: 'completed',
        error: null,
        providers: { llm: 'gemini', tts: 'google' },
        usage: { llmInputTokens: 0, llmOutputTokens: 0, ttsCharacters: 0, cacheHits: 3 + 1, cacheMisses: 0 },
      });
      expect(f.gemini.calls).toBe(gemini);
      expect(f.tts.calls).toBe(tts);
      // The same deck, voiced with the same audio files.
      expect(await storedDeck(h.api, again.video.id)).toEqual(await storedDeck(h.api, first.video.id));
      const audio = (id: string) =>
        sql(
          h.api,
          `SELECT vo.audio_url FROM voiceovers vo JOIN slides s ON s.id = vo.slide_id JOIN videos v ON v.prompt_id = s.prompt_id WHERE v.id = $1 ORDER BY s.slide_number`,
          [id],
        );
      expect(await audio(again.video.id)).toEqual(await audio(first.video.id));
    },
    70_000,
  );

  it('with one narration changed (another prompt, so the deck misses): exactly one TTS call, for that slide', async () => {
    const deck = await storedDeck(h.api, first.video.id);
    const narration = 'Glaciers are rivers of ice that move so slowly you would need years of photographs to see it.';
    f.gemini.script({ kind: 'deck', deck: { title: 'Glaciers, revised', slides: deck.map((s, i) => (i === 2 ? { ...s, narration } : s)) } });
    const gemini = f.gemini.calls;
    const tts = f.tts.calls;
    const revised = await made(alice, { ...REQUEST, prompt: `${REQUEST.prompt} Revised.` });

    expect(revised.video).toMatchObject({ status: 'completed', usage: { cacheHits: 2, cacheMisses: 2, llmInputTokens: 120 } });
    expect(f.gemini.calls).toBe(gemini + 1);
    expect(f.tts.calls).toBe(tts + 1);
    expect(ttsCallsFor(f.tts, narration)).toBe(1);
  }, 70_000);
});

describe('two identical requests at once', () => {
  it('make one Gemini call and one TTS call per slide between them: the second waits for the first', async () => {
    const body = { prompt: 'Tardigrades: how water bears survive drying out, freezing and the vacuum of space.', slideCount: 3 };
    const tts = f.tts.calls;
    // Gemini's answers are held, so the first job sits inside the cache's
    // single-flight section while the second one arrives.
    f.geminiProxy.hold();
    let ids: string[];
    try {
      ids = await Promise.all([generate(h.api, alice, body), generate(h.api, bob, body)]);
      await waitFor(
        async () => f.geminiProxy.waiting,
        (n) => n >= 1,
        20_000,
        'the first job to call Gemini',
      );
      // The second job is blocked on the advisory lock of the same cache key.
      await waitFor(
        () =>
          sql<{ n: number }>(
            h.api,
            `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          ),
        (rows) => rows[0]!.n === 1,
        20_000,
        'the second job to wait on the advisory lock',
      );
      expect(f.geminiProxy.waiting).toBe(1);
    } finally {
      f.geminiProxy.release();
    }

    const [a, b] = await Promise.all(ids.map((id, i) => waitForVideo(h.api, i ? bob : alice, id, 60_000)));
    expect(a.video.status).toBe('completed');
    expect(b.video.status).toBe('completed');
    expect(geminiCallsFor(f.gemini, body.prompt)).toBe(1);
    const deck = await storedDeck(h.api, a.video.id);
    expect(await storedDeck(h.api, b.video.id)).toEqual(deck);
    const calls = f.tts.requests.slice(tts);
    expect(calls).toHaveLength(3);
    for (const s of deck) expect(calls.filter((r) => speaks(r, s.narration))).toHaveLength(1);
    // Between them: the deck and each narration paid for once, found in the cache once.
    const [ua, ub] = [a.video.usage, b.video.usage];
    expect([ua.llmInputTokens, ub.llmInputTokens].sort()).toEqual([0, 120]);
    expect(ua.cacheMisses + ub.cacheMisses).toBe(1 + 3);
    expect(ua.cacheHits + ub.cacheHits).toBe(1 + 3);
  }, 70_000);
});
