import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, num, oneOf, str } from './env.parsers.js';

/** Every narrator the worker has; the config accepts exactly these, and AiModule's factory switches over them. */
export const TTS_PROVIDERS = ['google', 'festival', 'espeak'] as const;
export type TtsProvider = (typeof TTS_PROVIDERS)[number];
export type TtsAudioEncoding = 'MP3' | 'LINEAR16';

/** The fields of a service-account key file the client needs. */
export interface GoogleServiceAccount {
  /** Absolute path of the file, for messages. */
  path: string;
  clientEmail: string;
  privateKey: string;
  projectId?: string;
}

export type GoogleTtsCredentials = { kind: 'service_account'; serviceAccount: GoogleServiceAccount } | { kind: 'api_key'; apiKey: string };

/**
 * Where the Text-to-Speech client connects. A bare `host[:port]` keeps the SDK's
 * default transport (gRPC over TLS); an `http://` or `https://` URL selects the
 * SDK's HTTP/1.1 REST transport with that scheme, which is what lets tests and
 * plain-HTTP gateways work (gRPC with call credentials needs TLS).
 */
export interface TtsEndpoint {
  transport: 'grpc' | 'rest';
  protocol: 'http' | 'https';
  host: string;
  port?: number;
}

export interface TtsConfig {
  provider: TtsProvider;
  /** Present when Google credentials are configured (always when provider is google). */
  google?: {
    credentials: GoogleTtsCredentials;
    /** Undefined means Google's own endpoint. */
    endpoint?: TtsEndpoint;
  };
  /** Default voice name for the provider; undefined lets the engine pick one for the language. */
  voice?: string;
  /** 1.0 is normal speed. */
  speakingRate: number;
  audioEncoding: TtsAudioEncoding;
  /** Per-request timeout. */
  timeoutMs: number;
}

function parseServiceAccount(pathRaw: string): GoogleServiceAccount {
  const path = resolve(pathRaw);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? 'error'})`;
    throw new ConfigError(`GOOGLE_TTS_CREDENTIALS_PATH ${path} ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Never echo the parser's message: it quotes the file, which holds a private key.
    throw new ConfigError(`GOOGLE_TTS_CREDENTIALS_PATH ${path} is not valid JSON`);
  }
  const o = (json ?? {}) as Record<string, unknown>;
  if (o.type !== 'service_account' || typeof o.client_email !== 'string' || typeof o.private_key !== 'string') {
    throw new ConfigError(
      `GOOGLE_TTS_CREDENTIALS_PATH ${path} is not a service-account key file (needs "type": "service_account", client_email and private_key)`,
    );
  }
  if (!o.private_key.includes('PRIVATE KEY')) {
    throw new ConfigError(`GOOGLE_TTS_CREDENTIALS_PATH ${path} has a private_key that is not a PEM key`);
  }
  return {
    path,
    clientEmail: o.client_email,
    privateKey: o.private_key,
    projectId: typeof o.project_id === 'string' ? o.project_id : undefined,
  };
}

export function parseTtsEndpoint(raw: string, name = 'TTS_API_ENDPOINT'): TtsEndpoint {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new ConfigError(`${name} is not a valid URL or host[:port]`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new ConfigError(`${name} must be host[:port], http://host[:port] or https://host[:port], got "${u.protocol}"`);
    }
    if (u.username || u.password) throw new ConfigError(`${name} must not carry credentials`);
    // The REST transport builds paths from the host root; a prefix would be silently dropped.
    if ((u.pathname && u.pathname !== '/') || u.search || u.hash) {
      throw new ConfigError(`${name} must not have a path or query (the client calls /v1/text:synthesize on the host)`);
    }
    return {
      transport: 'rest',
      protocol: u.protocol === 'http:' ? 'http' : 'https',
      host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: u.port ? Number(u.port) : undefined,
    };
  }
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(raw);
  if (!m) throw new ConfigError(`${name} must be host[:port], http://host[:port] or https://host[:port], got "${raw}"`);
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new ConfigError(`${name} port must be 1..65535, got ${port}`);
  return { transport: 'grpc', protocol: 'https', host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

export function parseTtsConfig(env: Env): TtsConfig {
  const credentialsPath = str(env, 'GOOGLE_TTS_CREDENTIALS_PATH');
  const apiKey = str(env, 'GOOGLE_TTS_API_KEY');
  if (credentialsPath && apiKey) {
    throw new ConfigError('Set only one of GOOGLE_TTS_CREDENTIALS_PATH and GOOGLE_TTS_API_KEY');
  }
  const hasGoogle = Boolean(credentialsPath || apiKey);
  const provider = oneOf(env, 'TTS_PROVIDER', TTS_PROVIDERS, hasGoogle ? 'google' : 'festival');
  if (provider === 'google' && !hasGoogle) {
    throw new ConfigError('TTS_PROVIDER=google needs GOOGLE_TTS_CREDENTIALS_PATH (service-account JSON) or GOOGLE_TTS_API_KEY');
  }
  if (apiKey !== undefined && /\s/.test(apiKey)) {
    throw new ConfigError('GOOGLE_TTS_API_KEY contains whitespace; check how it was pasted');
  }
  const endpointRaw = str(env, 'TTS_API_ENDPOINT');
  const endpoint = endpointRaw ? parseTtsEndpoint(endpointRaw) : undefined;

  let google: TtsConfig['google'];
  // Credentials are checked even when a local engine was chosen explicitly: a broken
  // file is a mistake worth reporting at start, not when someone switches over.
  if (hasGoogle) {
    google = {
      credentials: credentialsPath
        ? { kind: 'service_account', serviceAccount: parseServiceAccount(credentialsPath) }
        : { kind: 'api_key', apiKey: apiKey! },
      endpoint,
    };
  }
  return {
    provider,
    google,
    voice: str(env, 'TTS_VOICE'),
    speakingRate: num(env, 'TTS_SPEAKING_RATE', 1.0, 0.25, 4),
    audioEncoding: oneOf<TtsAudioEncoding>(env, 'TTS_AUDIO_ENCODING', ['MP3', 'LINEAR16'], 'MP3'),
    timeoutMs: int(env, 'AI_REQUEST_TIMEOUT_MS', 60000, 100, 600000),
  };
}

export const ttsConfig = registerAs('tts', () => parseTtsConfig(process.env));
