import { setTimeout as sleep } from 'node:timers/promises';
import { audioCacheKey, type Deck, deckCacheKey, type NarrationResult } from '@app/ai';
import { MediumContext } from '../medium.factory.js';
import { gate } from '../medium.doubles.js';

/** Single-flight of the generation cache inside one process, on a real PostgreSQL advisory lock. */
describe('GenerationCache', () => {
  let ctx: MediumContext;

  beforeAll(async () => {
    ctx = await MediumContext.create();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const deckKey = (prompt: string) =>
    deckCacheKey({ provider: 'offline', model: 'offline', templateVersion: 't1', prompt, slideCount: 3, language: 'en-US' });
  const audioKey = (text: string) => audioCacheKey({ provider: 'espeak', voice: 'en-us', language: 'en-US', speakingRate: 1, format: 'wav', text });
  const timing: NarrationResult['timing'] = {
    granularity: 'word',
    marks: [
      { text: 'Leaves', startSeconds: 0.1, endSeconds: 0.5 },
      { text: 'change', startSeconds: 0.5, endSeconds: 1.4 },
    ],
  };
  const deckOf = (title: string): Deck => ({
    title,
    slides: [{ title: 'One', bullets: ['a'], narration: `${title}, slide one.`, visual: { keywords: ['leaf'], prompt: 'A leaf.' } }],
  });

  /** The promise's value, or 'still waiting' after a few seconds (a deadlock becomes a failure, not a hang). */
  async function orStillWaiting<T>(promise: Promise<T>): Promise<T | 'still waiting'> {
    const timer = new AbortController();
    try {
      return await Promise.race([promise, sleep(5000, 'still waiting' as const, { signal: timer.signal })]);
    } finally {
      timer.abort();
    }
  }

  /** Advisory locks someone waits for in this spec's database: the second caller, blocked on the first. */
  async function waitersOnLocks(expected: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const [row] = await ctx.infra.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
          WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`,
      );
      if (row!.n >= expected) return;
      await sleep(25);
    }
    throw new Error(`no caller waited on the cache lock (expected ${expected})`);
  }

  it('runs the deck producer once for two concurrent identical requests and gives both the same deck', async () => {
    const { cache } = ctx.build();
    const key = deckKey('Why do leaves change colour?');
    const release = gate();
    const started = gate();
    let produced = 0;
    const produce = async () => {
      produced++;
      started.open();
      await release.opened;
      return { deck: deckOf('Leaves'), inputTokens: 10, outputTokens: 20 };
    };

    const first = cache.deck(key, 'offline', 'offline', produce);
    await started.opened;
    const second = cache.deck(key, 'offline', 'offline', produce);
    await waitersOnLocks(1); // the second is in flight, waiting for the first: not merely later
    release.open();
    const [a, b] = await Promise.all([first, second]);

    expect(produced).toBe(1);
    expect(a).toMatchObject({ hit: false, inputTokens: 10, outputTokens: 20 });
    expect(b).toMatchObject({ hit: true, inputTokens: 0, outputTokens: 0 });
    expect(b.deck).toEqual(a.deck);
  });

  it('runs the narrator once for two concurrent identical narrations and gives both the same audio', async () => {
    const { cache, storage } = ctx.build();
    const key = audioKey('Leaves change colour in autumn.');
    const release = gate();
    const started = gate();
    let produced = 0;
    const produce = async (): Promise<NarrationResult> => {
      produced++;
      started.open();
      await release.opened;
      return { audio: Buffer.from('RIFF....WAVEfmt leaves'), format: 'wav', durationSeconds: 1.5, characters: 31, timing };
    };

    const first = cache.audio(key, 'espeak', 'en-us', produce);
    await started.opened;
    const second = cache.audio(key, 'espeak', 'en-us', produce);
    await waitersOnLocks(1);
    release.open();
    const [a, b] = await Promise.all([first, second]);

    expect(produced).toBe(1);
    expect(a).toMatchObject({ hit: false, characters: 31, durationSeconds: 1.5, format: 'wav' });
    expect(b).toMatchObject({ hit: true, characters: 0, durationSeconds: 1.5, format: 'wav', storageKey: a.storageKey });
    // The hit carries the timings the narrator measured, not something rebuilt.
    expect(b.timing).toEqual(timing);
    expect((await storage.get(a.storageKey)).toString()).toBe('RIFF....WAVEfmt leaves');
  });

  it('treats an audio entry stored before timings were kept as a miss, and stores the timings this time', async () => {
    const { cache } = ctx.build();
    const key = audioKey('Old entries have no timings.');
    const wav = { audio: Buffer.from('RIFF....WAVEfmt old'), format: 'wav' as const, durationSeconds: 2, characters: 28, timing };
    let produced = 0;
    const produce = async (): Promise<NarrationResult> => (produced++, wav);
    await cache.audio(key, 'espeak', 'en-us', produce);
    // What a row written by the previous release looks like: format and duration, no timing.
    await ctx.infra.db.query(`UPDATE generation_cache SET payload = payload - 'timing' WHERE cache_key = $1`, [key]);

    const again = await cache.audio(key, 'espeak', 'en-us', produce);
    expect(produced).toBe(2);
    expect(again).toMatchObject({ hit: false, timing });
    const third = await cache.audio(key, 'espeak', 'en-us', produce);
    expect(produced).toBe(2);
    expect(third).toMatchObject({ hit: true, timing });
  });

  it('does not make a request wait for a different one in flight', async () => {
    const { cache } = ctx.build();
    const slow = gate();
    const events: string[] = [];
    const first = cache.deck(deckKey('A slow topic'), 'offline', 'offline', async () => {
      events.push('first started');
      await slow.opened;
      events.push('first produced');
      return { deck: deckOf('Slow'), inputTokens: 1, outputTokens: 1 };
    });
    try {
      while (!events.length) await sleep(5);
      const second = cache.deck(deckKey('A quick topic'), 'offline', 'offline', async () => {
        events.push('second produced');
        return { deck: deckOf('Quick'), inputTokens: 1, outputTokens: 1 };
      });
      // If the second waited for the first it would never finish while the first is held.
      const outcome = await orStillWaiting(second.then((r) => r.deck.title));
      events.push(`second returned ${outcome}`);
    } finally {
      slow.open();
    }
    expect((await first).deck.title).toBe('Slow');
    expect(events).toEqual(['first started', 'second produced', 'second returned Quick', 'first produced']);
  });

  it('audio of different narrations is produced in parallel too', async () => {
    const { cache } = ctx.build();
    const slow = gate();
    const events: string[] = [];
    const wav = (s: string): NarrationResult => ({
      audio: Buffer.from(s),
      format: 'wav',
      durationSeconds: 1,
      characters: s.length,
      timing: { granularity: 'phrase', marks: [{ text: s, startSeconds: 0, endSeconds: 1 }] },
    });
    const first = cache.audio(audioKey('The slow sentence.'), 'espeak', 'en-us', async () => {
      events.push('first started');
      await slow.opened;
      return wav('slow');
    });
    try {
      while (!events.length) await sleep(5);
      const outcome = await orStillWaiting(
        cache.audio(audioKey('The quick sentence.'), 'espeak', 'en-us', async () => wav('quick')).then((r) => `hit=${r.hit}`),
      );
      events.push(`second returned ${outcome}`);
    } finally {
      slow.open();
    }
    await first;
    expect(events).toEqual(['first started', 'second returned hit=false']);
  });
});
