import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error.js';
import { parseTtsConfig, parseTtsEndpoint } from './tts.config.js';
import { oneLineError } from '@test/support/config-error.js';

const dir = mkdtempSync(join(tmpdir(), 'tts-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyFile = join(dir, 'sa.json');
writeFileSync(keyFile, JSON.stringify({ type: 'service_account', project_id: 'p', client_email: 'tts@p.iam.gserviceaccount.com', private_key: pem }));

describe('parseTtsConfig', () => {
  it('defaults to festival (espeak-ng for languages Festival lacks) without Google credentials', () => {
    expect(parseTtsConfig({})).toEqual({
      provider: 'festival',
      google: undefined,
      voice: undefined,
      speakingRate: 1,
      audioEncoding: 'MP3',
      timeoutMs: 60000,
    });
  });

  it('defaults to google when an API key is set', () => {
    const c = parseTtsConfig({ GOOGLE_TTS_API_KEY: 'AIzaKey' });
    expect(c.provider).toBe('google');
    expect(c.google).toEqual({ credentials: { kind: 'api_key', apiKey: 'AIzaKey' }, endpoint: undefined });
  });

  it('defaults to google with a service-account file, and reads it once', () => {
    const c = parseTtsConfig({ GOOGLE_TTS_CREDENTIALS_PATH: keyFile });
    expect(c.provider).toBe('google');
    expect(c.google?.credentials).toEqual({
      kind: 'service_account',
      serviceAccount: { path: keyFile, clientEmail: 'tts@p.iam.gserviceaccount.com', privateKey: pem, projectId: 'p' },
    });
  });

  it('lets TTS_PROVIDER=espeak win over configured credentials', () => {
    expect(parseTtsConfig({ TTS_PROVIDER: 'espeak', GOOGLE_TTS_API_KEY: 'k' }).provider).toBe('espeak');
    expect(parseTtsConfig({ TTS_PROVIDER: 'festival', GOOGLE_TTS_API_KEY: 'k' }).provider).toBe('festival');
  });

  it('refuses google without credentials, or both kinds at once', () => {
    expect(oneLineError(() => parseTtsConfig({ TTS_PROVIDER: 'google' }))).toMatch(
      /TTS_PROVIDER=google needs GOOGLE_TTS_CREDENTIALS_PATH .* or GOOGLE_TTS_API_KEY/,
    );
    expect(oneLineError(() => parseTtsConfig({ GOOGLE_TTS_API_KEY: 'k', GOOGLE_TTS_CREDENTIALS_PATH: keyFile }))).toMatch(/only one of/);
    expect(oneLineError(() => parseTtsConfig({ TTS_PROVIDER: 'polly' }))).toMatch(/TTS_PROVIDER must be one of google, festival, espeak/);
  });

  it('checks the credentials file at start, in one line, without echoing its content', () => {
    expect(oneLineError(() => parseTtsConfig({ GOOGLE_TTS_CREDENTIALS_PATH: join(dir, 'missing.json') }))).toMatch(/missing\.json does not exist/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, `{"private_key": "${'SECRETPEM'}", oops`);
    const msg = oneLineError(() => parseTtsConfig({ GOOGLE_TTS_CREDENTIALS_PATH: bad }));
    expect(msg).toMatch(/bad\.json is not valid JSON/);
    expect(msg).not.toContain('SECRETPEM');
    const user = join(dir, 'user.json');
    writeFileSync(user, JSON.stringify({ type: 'authorized_user', client_id: 'x', refresh_token: 'y' }));
    expect(oneLineError(() => parseTtsConfig({ GOOGLE_TTS_CREDENTIALS_PATH: user }))).toMatch(/not a service-account key file/);
    expect(oneLineError(() => parseTtsConfig({ GOOGLE_TTS_CREDENTIALS_PATH: dir }))).toMatch(/cannot be read \(EISDIR\)/);
  });

  it('reads voice, rate, encoding and timeout, with bounds', () => {
    const c = parseTtsConfig({
      TTS_VOICE: 'en-US-Neural2-C',
      TTS_SPEAKING_RATE: '1.25',
      TTS_AUDIO_ENCODING: 'LINEAR16',
      AI_REQUEST_TIMEOUT_MS: '15000',
    });
    expect(c).toMatchObject({ voice: 'en-US-Neural2-C', speakingRate: 1.25, audioEncoding: 'LINEAR16', timeoutMs: 15000 });
    expect(oneLineError(() => parseTtsConfig({ TTS_SPEAKING_RATE: '5' }))).toBe('TTS_SPEAKING_RATE must be between 0.25 and 4, got 5');
    expect(oneLineError(() => parseTtsConfig({ TTS_SPEAKING_RATE: 'fast' }))).toMatch(/must be a number/);
    expect(oneLineError(() => parseTtsConfig({ TTS_AUDIO_ENCODING: 'OGG_OPUS' }))).toMatch(/MP3, LINEAR16/);
  });

  it('never echoes the API key', () => {
    const msg = oneLineError(() => parseTtsConfig({ GOOGLE_TTS_API_KEY: 'AIza SECRET' }));
    expect(msg).not.toContain('SECRET');
  });
});

describe('TTS_API_ENDPOINT', () => {
  it('is absent by default (Google itself)', () => {
    expect(parseTtsConfig({ GOOGLE_TTS_API_KEY: 'k', TTS_API_ENDPOINT: '' }).google?.endpoint).toBeUndefined();
  });

  it('keeps gRPC over TLS for a bare host', () => {
    expect(parseTtsEndpoint('europe-west1-texttospeech.googleapis.com')).toEqual({
      transport: 'grpc',
      protocol: 'https',
      host: 'europe-west1-texttospeech.googleapis.com',
      port: undefined,
    });
    expect(parseTtsEndpoint('127.0.0.1:4321')).toEqual({ transport: 'grpc', protocol: 'https', host: '127.0.0.1', port: 4321 });
  });

  it('selects REST with the scheme of a URL', () => {
    expect(parseTtsConfig({ GOOGLE_TTS_API_KEY: 'k', TTS_API_ENDPOINT: 'http://127.0.0.1:4321' }).google?.endpoint).toEqual({
      transport: 'rest',
      protocol: 'http',
      host: '127.0.0.1',
      port: 4321,
    });
    expect(parseTtsEndpoint('https://tts-gateway.internal/')).toEqual({
      transport: 'rest',
      protocol: 'https',
      host: 'tts-gateway.internal',
      port: undefined,
    });
  });

  it('rejects what the client could not honour', () => {
    expect(oneLineError(() => parseTtsEndpoint('ftp://x'))).toMatch(/must be host\[:port\]/);
    expect(oneLineError(() => parseTtsEndpoint('http://x/prefix'))).toMatch(/must not have a path/);
    expect(oneLineError(() => parseTtsEndpoint('http://u:pw@x'))).toMatch(/must not carry credentials/);
    expect(oneLineError(() => parseTtsEndpoint('host:99999'))).toMatch(/port must be/);
    expect(oneLineError(() => parseTtsEndpoint('not a host'))).toMatch(/must be host\[:port\]/);
    // Validated even when espeak is in use, so a typo is caught before switching providers.
    expect(() => parseTtsConfig({ TTS_API_ENDPOINT: 'http://x/p' })).toThrow(ConfigError);
  });
});
