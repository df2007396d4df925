/**
 * The production transport: gRPC over TLS (what a bare-host TTS_API_ENDPOINT or
 * no endpoint at all selects), against the fake's gRPC service. The fake's
 * self-signed certificate is trusted through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH,
 * which grpc-js reads when it loads, so everything is imported after setting it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'fake-tts-tls-'));
const keyPath = join(dir, 'key.pem');
const certPath = join(dir, 'cert.pem');
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ],
  { stdio: 'ignore' },
);
process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH = certPath;

const { startFakeGoogleTts } = await import('../../../../../../test/fakes/fake-google-tts.server.js');
const { GoogleTtsNarrator } = await import('./google-tts.narrator.js');
const { ProviderError } = await import('../../../errors/provider.error.js');
const { AudioJoiner } = await import('../../audio-join.js');
const { SpawnMediaRunner } = await import('@app/media');

const API_KEY = 'AIzaSyGRPC-fake-key-0123456789';
const fake = await startFakeGoogleTts({
  transport: 'grpc',
  apiKey: API_KEY,
  tls: { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') },
});
const narrator = new GoogleTtsNarrator(
  {
    google: {
      credentials: { kind: 'api_key', apiKey: API_KEY },
      endpoint: { transport: 'grpc', protocol: 'https', host: '127.0.0.1', port: fake.port },
    },
    speakingRate: 1,
    audioEncoding: 'LINEAR16',
    timeoutMs: 10000,
  },
  new AudioJoiner(new SpawnMediaRunner(), dir),
);

afterAll(async () => {
  await narrator.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

const req = { text: 'Over gRPC & TLS.', language: 'en-US' };

describe('GoogleTtsNarrator over gRPC/TLS (the default transport)', () => {
  it('voices with the API key as x-goog-api-key metadata', async () => {
    const result = await narrator.narrate(req);
    expect(fake.calls).toBe(1);
    expect(fake.requests[0]!.headers['x-goog-api-key']).toBe(API_KEY);
    expect(fake.requests[0]!.ssml).toBe('<speak><mark name="w0"/>Over <mark name="w1"/>gRPC &amp; <mark name="w2"/>TLS.<mark name="end"/></speak>');
    expect(fake.requests[0]!).toMatchObject({ version: 'v1beta1', timePointing: true });
    expect(fake.requests[0]!.audioEncoding).toBe('LINEAR16');
    expect(result.format).toBe('wav');
    expect(result.durationSeconds).toBeCloseTo(req.text.length * 0.02, 2);
    // Mark timepoints come back over gRPC too: "Over " is 5 characters of 0.02 s.
    expect(result.timing).toEqual({
      granularity: 'word',
      marks: [
        { text: 'Over', startSeconds: 0, endSeconds: 0.1 },
        { text: 'gRPC &', startSeconds: 0.1, endSeconds: 0.24 },
        { text: 'TLS.', startSeconds: 0.24, endSeconds: 0.32 },
      ],
    });
  });

  it('reads RetryInfo from grpc-status-details-bin, without retrying', async () => {
    fake.script({ kind: 'rate_limited', retryDelayMs: 2500 });
    const e = await narrator.narrate(req).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2500 });
    expect(fake.calls).toBe(1);
  });

  it.each([
    ['unavailable', 'transient'],
    ['internal', 'transient'],
    ['bad_api_key', 'permanent'],
    ['permission_denied', 'permanent'],
    ['unauthenticated', 'permanent'],
  ] as const)('%s → %s, called once, key never shown', async (step, kind) => {
    fake.script(step);
    const e = (await narrator.narrate(req).catch((err: unknown) => err)) as InstanceType<typeof ProviderError>;
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.kind).toBe(kind);
    if (kind === 'permanent') expect(e.message).toMatch(/rejected the credentials/);
    expect(`${e.message} ${String((e.cause as Error)?.message)} ${e.stack}`).not.toContain(API_KEY);
    expect(fake.calls).toBe(1);
  });

  it('names the voice it rejected', async () => {
    const e = (await narrator.narrate({ ...req, voice: 'de-DE-Nope' }).catch((err: unknown) => err)) as InstanceType<typeof ProviderError>;
    expect(e.message).toMatch(/rejected the voice de-DE-Nope for language en-US/);
  });

  it('aborts a hung call when the signal fires', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const pending = narrator.narrate({ ...req, signal: controller.signal });
    await fake.waitForCalls(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
