import { createVerify, generateKeyPairSync } from 'node:crypto';
import { type FakeGoogleTts, sineMp3, startFakeGoogleTts } from '@test/fakes/fake-google-tts.server.js';
import { tmpdir } from 'node:os';
import { SpawnMediaRunner } from '@app/media';
import { AudioJoiner } from '../../audio-join.js';
import { readPcmWav } from '../../wav.js';
import { type GoogleTtsNarratorConfig, googleTtsClientOptions } from './google-tts.client.js';
import { GoogleTtsNarrator, retryDelayMs } from './google-tts.narrator.js';
import { ssmlByteLength } from '../../ssml.js';
import { everything, failure } from '@test/support/provider-error.js';

const API_KEY = 'AIzaSyFAKE-test-key-0123456789abcdef';
const SECONDS_PER_CHAR = 0.02; // the fake's default

let fake: FakeGoogleTts;
const narrators: GoogleTtsNarrator[] = [];
const audio = new AudioJoiner(new SpawnMediaRunner(), tmpdir());

beforeAll(async () => {
  fake = await startFakeGoogleTts({ apiKey: API_KEY });
});
afterAll(async () => {
  await Promise.all(narrators.map((n) => n.close()));
  await fake.close();
});
beforeEach(() => fake.reset());

function config(overrides: Partial<GoogleTtsNarratorConfig> = {}): GoogleTtsNarratorConfig {
  const url = new URL(fake.endpoint);
  return {
    google: {
      credentials: { kind: 'api_key', apiKey: API_KEY },
      endpoint: { transport: 'rest', protocol: 'http', host: url.hostname, port: Number(url.port) },
    },
    speakingRate: 1,
    audioEncoding: 'MP3',
    timeoutMs: 10000,
    ...overrides,
  };
}

/** The MP3 the fake makes for a request's SSML (it is deterministic: a sine of the spoken length). */
async function firstPieceAudio(ssml: string): Promise<Buffer> {
  const spoken = ssml.replace(/<[^>]*>/g, '').replace(/&[a-z]+;/g, 'x');
  return sineMp3(Math.max(0.1, [...spoken.trim()].length * SECONDS_PER_CHAR));
}

function narrator(overrides: Partial<GoogleTtsNarratorConfig> = {}): GoogleTtsNarrator {
  const n = new GoogleTtsNarrator(config(overrides), audio);
  narrators.push(n);
  return n;
}

describe('GoogleTtsNarrator against the fake Google TTS (REST, real SDK)', () => {
  it('voices MP3, sending escaped SSML, language, voice, rate and the API key header', async () => {
    const n = narrator();
    const text = `Tom & Jerry say "<hello>" — it's fine.`;
    const result = await n.narrate({ text, language: 'en-US', voice: 'en-US-Neural2-C', speakingRate: 1.25 });

    expect(fake.calls).toBe(1);
    const [req] = fake.requests;
    // A mark before each written word (punctuation rides on its word), one after the last.
    expect(req!.ssml).toBe(
      '<speak><mark name="w0"/>Tom &amp; <mark name="w1"/>Jerry <mark name="w2"/>say ' +
        '<mark name="w3"/>&quot;&lt;hello&gt;&quot; — <mark name="w4"/>it&apos;s <mark name="w5"/>fine.<mark name="end"/></speak>',
    );
    expect(req!).toMatchObject({ version: 'v1beta1', timePointing: true });
    expect(req!.languageCode).toBe('en-US');
    expect(req!.voiceName).toBe('en-US-Neural2-C');
    expect(req!.speakingRate).toBe(1.25);
    expect(req!.audioEncoding).toBe('MP3');
    expect(req!.headers['x-goog-api-key']).toBe(API_KEY);
    expect(req!.headers.authorization).toBeUndefined();

    expect(result.format).toBe('mp3');
    expect(result.characters).toBe([...req!.ssml!].length);
    const probed = await audio.probe(result.audio, 'mp3');
    expect(probed.codec).toBe('mp3');
    expect(result.durationSeconds).toBeCloseTo(probed.durationSeconds, 3);
    // The fake speaks 0.02 s per character at rate 1.0; MP3 framing adds up to ~0.1 s.
    const expected = ([...text].length * SECONDS_PER_CHAR) / 1.25;
    expect(Math.abs(result.durationSeconds - expected)).toBeLessThan(0.15);
    expect(await n.resolveVoice({ text, language: 'en-US', voice: 'en-US-Neural2-C' })).toBe('en-US:en-US-Neural2-C');
    // Word timings from the mark timepoints: "Tom & " is 6 characters before "Jerry".
    expect(result.timing.granularity).toBe('word');
    expect(result.timing.marks.map((m) => m.text)).toEqual(['Tom &', 'Jerry', 'say', '"<hello>" —', "it's", 'fine.']);
    expect(result.timing.marks[1]!.startSeconds).toBeCloseTo((6 * SECONDS_PER_CHAR) / 1.25, 3);
    expect(result.timing.marks.at(-1)!.endSeconds).toBeCloseTo(([...text].length * SECONDS_PER_CHAR) / 1.25, 3);
  });

  it("offsets each piece's mark timepoints by the measured audio before it when a long narration is split", async () => {
    const n = narrator();
    const sentence = 'Every word of this sentence carries a mark, so the pieces stay small. ';
    const text = sentence.repeat(80).trim(); // ~5.6 kB of text, far more once marked: several requests
    const result = await n.narrate({ text, language: 'en-US' });

    expect(fake.calls).toBeGreaterThan(1);
    for (const r of fake.requests) expect(r.inputBytes).toBeLessThanOrEqual(5000);
    const words = text.split(' ');
    expect(result.timing.marks.map((m) => m.text)).toEqual(words);
    let previous = 0;
    for (const m of result.timing.marks) {
      expect(m.startSeconds).toBeGreaterThanOrEqual(previous);
      expect(m.endSeconds).toBeGreaterThanOrEqual(m.startSeconds);
      previous = m.endSeconds;
    }
    expect(previous).toBeLessThanOrEqual(result.durationSeconds + 0.001);
    // The second request's first word starts where the first request's audio ended (MP3 framing adds ~0.05 s).
    const firstPieceWords = (fake.requests[0]!.ssml!.match(/<mark name="w/g) ?? []).length;
    const firstPieceSeconds = (await audio.probe(await firstPieceAudio(fake.requests[0]!.ssml!), 'mp3')).durationSeconds;
    expect(result.timing.marks[firstPieceWords]!.startSeconds).toBeCloseTo(firstPieceSeconds, 2);
  });

  it('voices LINEAR16 into a WAV whose header duration matches ffprobe', async () => {
    const n = narrator({ audioEncoding: 'LINEAR16' });
    const text = 'A short sentence for a wave file.';
    const result = await n.narrate({ text, language: 'en-GB' });

    expect(fake.requests[0]!.audioEncoding).toBe('LINEAR16');
    expect(fake.requests[0]!.voiceName).toBeUndefined(); // Google picks by language
    expect(result.format).toBe('wav');
    const wav = readPcmWav(result.audio);
    expect(wav).toMatchObject({ sampleRate: 24000, channels: 1, bitsPerSample: 16 });
    const probed = await audio.probe(result.audio, 'wav');
    expect(probed.codec).toBe('pcm_s16le');
    expect(result.durationSeconds).toBeCloseTo(probed.durationSeconds, 3);
    expect(result.durationSeconds).toBeCloseTo(text.length * SECONDS_PER_CHAR, 2);
    expect(await n.resolveVoice({ text, language: 'en-GB' })).toBe('en-GB:default');
  });

  it('uses TTS_VOICE as the default only for its own language', async () => {
    const n = narrator({ voice: 'en-US-Wavenet-D', audioEncoding: 'LINEAR16' });
    await n.narrate({ text: 'Hello.', language: 'en-US' });
    await n.narrate({ text: 'Hallo.', language: 'de-DE' });
    expect(fake.requests.map((r) => r.voiceName)).toEqual(['en-US-Wavenet-D', undefined]);
    expect(await n.resolveVoice({ text: 'x', language: 'en-US' })).toBe('en-US:en-US-Wavenet-D');
    expect(await n.resolveVoice({ text: 'x', language: 'de-DE' })).toBe('de-DE:default');
  });

  const longText = Array.from({ length: 260 }, (_, i) => `Sentence ${i} explains a point about photosynthesis & light <carefully>.`).join(' ');

  it.each(['LINEAR16', 'MP3'] as const)('splits a long narration into requests under 5000 bytes and joins the %s audio', async (audioEncoding) => {
    expect(Buffer.byteLength(longText)).toBeGreaterThan(15000);
    const n = narrator({ audioEncoding });
    const result = await n.narrate({ text: longText, language: 'en-US' });

    expect(fake.calls).toBeGreaterThanOrEqual(4);
    for (const r of fake.requests) {
      expect(r.inputBytes).toBeLessThanOrEqual(5000);
      expect(r.outcome).toBe('ok');
      // Cut between sentences, each piece's marks numbered from w0 and closed by the end mark.
      expect(r.ssml).toMatch(/^<speak><mark name="w0"\/>Sentence <mark name="w1"\/>\d+ .*&lt;carefully&gt;\.<mark name="end"\/><\/speak>$/);
    }
    expect(result.timing.marks).toHaveLength(260 * 9);
    expect(result.characters).toBe(fake.requests.reduce((sum, r) => sum + [...r.ssml!].length, 0));

    // Every part's length, as the fake made it: the joined audio must be their sum.
    const spoken = fake.requests.map((r) => r.ssml!.replace(/<[^>]*>/g, '').replace(/&[a-z]+;/g, 'x').length);
    const sum = spoken.reduce((s, c) => s + c * SECONDS_PER_CHAR, 0);
    const probed = await audio.probe(result.audio, audioEncoding === 'MP3' ? 'mp3' : 'wav');
    expect(result.durationSeconds).toBeCloseTo(probed.durationSeconds, 3);
    // MP3 parts each carry up to ~0.1 s of encoder delay and frame padding.
    expect(Math.abs(result.durationSeconds - sum)).toBeLessThan(audioEncoding === 'MP3' ? 0.1 * spoken.length : 0.01);
  });

  it('signs requests with a service-account key file instead of an API key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const n = narrator({
      audioEncoding: 'LINEAR16',
      google: {
        ...config().google!,
        credentials: {
          kind: 'service_account',
          serviceAccount: {
            clientEmail: 'tts@proj.iam.gserviceaccount.com',
            privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
            projectId: 'proj',
          },
        },
      },
    });
    await n.narrate({ text: 'Signed.', language: 'en-US' });
    const auth = String(fake.requests[0]!.headers.authorization);
    expect(fake.requests[0]!.headers['x-goog-api-key']).toBeUndefined();
    const [, jwt] = /^Bearer (\S+)$/.exec(auth) ?? [];
    const [h, p, sig] = jwt!.split('.');
    const verify = createVerify('RSA-SHA256').update(`${h}.${p}`);
    expect(verify.verify(publicKey, Buffer.from(sig!, 'base64url'))).toBe(true);
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'tts@proj.iam.gserviceaccount.com', scope: 'https://www.googleapis.com/auth/cloud-platform' });
  });
});

describe('GoogleTtsNarrator failures', () => {
  const req = { text: 'Hello world.', language: 'en-US' };

  it('429 with RetryInfo → rate_limited with retryAfterMs, and no retry inside the adapter', async () => {
    fake.script({ kind: 'rate_limited', retryDelayMs: 1500 });
    const e = await failure(narrator().narrate(req));
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBe(1500);
    expect(fake.calls).toBe(1);
  });

  it('429 without RetryInfo → rate_limited without a delay', async () => {
    fake.script({ kind: 'rate_limited' });
    const e = await failure(narrator().narrate(req));
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBeUndefined();
  });

  it.each(['internal', 'unavailable', 'reset'] as const)('%s → transient, called once', async (step) => {
    fake.script(step);
    const e = await failure(narrator().narrate(req));
    expect(e.kind).toBe('transient');
    expect(fake.calls).toBe(1);
  });

  it('a connection refused → transient', async () => {
    const closed = await startFakeGoogleTts();
    await closed.close();
    const n = narrator({ google: { ...config().google!, endpoint: { transport: 'rest', protocol: 'http', host: '127.0.0.1', port: closed.port } } });
    expect((await failure(n.narrate(req))).kind).toBe('transient');
  });

  it('an unknown voice → permanent, naming the voice and language', async () => {
    const e = await failure(narrator().narrate({ ...req, voice: 'fr-FR-Nope-Z' }));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(
      /^Google Text-to-Speech: rejected the voice fr-FR-Nope-Z for language en-US \(Google said: Voice 'fr-FR-Nope-Z' does not exist/,
    );
    expect(fake.calls).toBe(1);
  });

  it('another 400 → permanent', async () => {
    fake.script({ kind: 'invalid_argument', message: 'Invalid SSML.' });
    const e = await failure(narrator().narrate(req));
    expect(e.kind).toBe('permanent');
    expect(e.message).toBe('Google Text-to-Speech: rejected the request (Google said: Invalid SSML.)');
  });

  it.each(['bad_api_key', 'unauthenticated', 'permission_denied'] as const)(
    '%s → permanent "rejected the credentials", never showing the key',
    async (step) => {
      fake.script(step);
      const e = await failure(narrator().narrate(req));
      expect(e.kind).toBe('permanent');
      expect(e.message).toMatch(/^Google Text-to-Speech: rejected the credentials: check GOOGLE_TTS_API_KEY/);
      expect(everything(e)).not.toContain(API_KEY);
      expect(fake.calls).toBe(1);
    },
  );

  it('a key the server does not know → credentials error without the key anywhere', async () => {
    const wrong = 'AIzaSyWRONG-key-that-must-not-leak';
    const n = narrator({ google: { ...config().google!, credentials: { kind: 'api_key', apiKey: wrong } } });
    const e = await failure(n.narrate(req));
    expect(fake.requests[0]!.headers['x-goog-api-key']).toBe(wrong); // it was sent…
    expect(e.message).toMatch(/rejected the credentials/);
    expect(everything(e)).not.toContain(wrong); // …and never echoed
  });

  it('never shows the key in any failure class', async () => {
    const steps = [
      { kind: 'rate_limited', retryDelayMs: 10 },
      'internal',
      'unavailable',
      'reset',
      { kind: 'invalid_argument', message: `key=${API_KEY}` },
    ] as const;
    for (const step of steps) {
      fake.script(step);
      const e = await failure(narrator().narrate(req));
      expect(everything(e)).not.toContain(API_KEY);
    }
  });

  it('times out a hung call promptly, as transient', async () => {
    fake.script('hang');
    const started = Date.now();
    const e = await failure(narrator({ timeoutMs: 300 }).narrate(req));
    expect(e.kind).toBe('transient');
    expect(e.message).toBe('Google Text-to-Speech: did not answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(fake.calls).toBe(1);
  });

  it('rejects at once with the signal reason when the caller aborts mid-call', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const pending = narrator({ timeoutMs: 60000 }).narrate({ ...req, signal: controller.signal });
    await fake.waitForCalls(1);
    const abortedAt = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - abortedAt).toBeLessThan(500);
  });

  it('close() cancels a call under way, as transient, so the job is retried elsewhere', async () => {
    fake.script('hang');
    const n = new GoogleTtsNarrator(config({ timeoutMs: 60000 }), audio);
    const pending = n.narrate(req);
    const outcome = failure(pending);
    await fake.waitForCalls(1);
    await n.close();
    const e = await outcome;
    expect(e.kind).toBe('transient');
    expect(e.message).toMatch(/shutting down/);
  });

  it('does not call at all with an already aborted signal', async () => {
    const e = await narrator()
      .narrate({ ...req, signal: AbortSignal.abort() })
      .catch((err: unknown) => err);
    expect((e as Error).name).toBe('AbortError');
    expect(fake.calls).toBe(0);
  });

  it('refuses an empty narration or an out-of-range rate without calling', async () => {
    expect((await failure(narrator().narrate({ ...req, text: '  ' }))).kind).toBe('permanent');
    expect((await failure(narrator().narrate({ ...req, speakingRate: 9 }))).kind).toBe('permanent');
    expect(fake.calls).toBe(0);
  });
});

describe('googleTtsClientOptions', () => {
  const key = { kind: 'api_key' as const, apiKey: 'k' };
  const base = { speakingRate: 1, audioEncoding: 'MP3' as const, timeoutMs: 5000 };

  it("keeps the SDK's default transport (gRPC/TLS to Google) without an endpoint", () => {
    const o = googleTtsClientOptions({ ...base, google: { credentials: key } });
    expect(o.fallback).toBeUndefined();
    expect(o.apiEndpoint).toBeUndefined();
    expect((o.authClient as { apiKey?: string }).apiKey).toBe('k');
  });

  it('keeps gRPC for a bare host (regional endpoint) and uses REST over the URL scheme otherwise', () => {
    const grpc = googleTtsClientOptions({
      ...base,
      google: { credentials: key, endpoint: { transport: 'grpc', protocol: 'https', host: 'eu-texttospeech.googleapis.com' } },
    });
    expect(grpc).toMatchObject({ apiEndpoint: 'eu-texttospeech.googleapis.com' });
    expect(grpc.fallback).toBeUndefined();
    const rest = googleTtsClientOptions({
      ...base,
      google: { credentials: key, endpoint: { transport: 'rest', protocol: 'http', host: '127.0.0.1', port: 4321 } },
    });
    expect(rest).toMatchObject({ apiEndpoint: '127.0.0.1', port: 4321, fallback: 'rest', protocol: 'http' });
  });

  it('turns off gax retries for SynthesizeSpeech', () => {
    const o = googleTtsClientOptions({ ...base, google: { credentials: key } });
    const method = (o.clientConfig as any).interfaces['google.cloud.texttospeech.v1beta1.TextToSpeech'].methods.SynthesizeSpeech;
    expect(method).toEqual({ timeout_millis: 5000, retry_codes_name: 'none' });
  });

  it('reads RetryInfo in both shapes', () => {
    expect(retryDelayMs([{ retryDelay: { seconds: '2', nanos: 500000000 } }])).toBe(2500);
    expect(retryDelayMs([{ reason: 'x' }, { retryDelay: '0.250s' }])).toBe(250);
    expect(retryDelayMs(undefined)).toBeUndefined();
  });
});

// Keeps the byte budget the splitter promises in sight of the adapter's tests.
it('splitter budget matches the API limit', () => {
  expect(ssmlByteLength('x'.repeat(5000 - 15))).toBe(5000);
});
