import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, oneOf, str, url } from './env.parsers.js';
import { DEFAULT_OPENAI_BASE_URL } from './llm.config.js';

/** Every picture source the worker knows; AiModule's factory switches over them. */
export const IMAGE_PROVIDERS = ['gemini', 'openai', 'pexels', 'icons', 'none'] as const;
export type ImageProvider = (typeof IMAGE_PROVIDERS)[number];

export const DEFAULT_GEMINI_IMAGE_MODEL = 'gemini-2.5-flash-image';
export const DEFAULT_OPENAI_IMAGE_MODEL = 'gpt-image-1';
export const DEFAULT_PEXELS_BASE_URL = 'https://api.pexels.com';

export interface ImageConfig {
  /** Where slide pictures come from; `icons` (offline) unless set. */
  provider: ImageProvider;
  /** Deadline for one image request (generation takes longer than a deck turn). */
  timeoutMs: number;
  /** Key and base URL are the LLM's (GOOGLE_GEMINI_API_KEY, GEMINI_BASE_URL): one Google account. */
  gemini: { apiKey?: string; model: string; baseUrl?: string };
  /** Key and base URL are the LLM's (OPENAI_API_KEY, OPENAI_BASE_URL). */
  openai: { apiKey?: string; model: string; baseUrl: string };
  pexels: { apiKey?: string; baseUrl: string };
}

export function parseImageConfig(env: Env): ImageConfig {
  const provider = oneOf(env, 'IMAGE_PROVIDER', IMAGE_PROVIDERS, 'icons');
  const geminiBase = str(env, 'GEMINI_BASE_URL');
  const gemini: ImageConfig['gemini'] = {
    apiKey: str(env, 'GOOGLE_GEMINI_API_KEY') ?? str(env, 'GEMINI_API_KEY'),
    model: str(env, 'GEMINI_IMAGE_MODEL', DEFAULT_GEMINI_IMAGE_MODEL)!,
    baseUrl: geminiBase ? trimSlash(url(env, 'GEMINI_BASE_URL', '', ['https:', 'http:']).toString()) : undefined,
  };
  const openaiBase = url(env, 'OPENAI_BASE_URL', DEFAULT_OPENAI_BASE_URL, ['https:', 'http:']);
  const openai: ImageConfig['openai'] = {
    apiKey: str(env, 'OPENAI_API_KEY'),
    model: str(env, 'OPENAI_IMAGE_MODEL', DEFAULT_OPENAI_IMAGE_MODEL)!,
    baseUrl: trimSlash(openaiBase.toString()),
  };
  const pexels: ImageConfig['pexels'] = {
    apiKey: str(env, 'PEXELS_API_KEY'),
    baseUrl: trimSlash(url(env, 'PEXELS_BASE_URL', DEFAULT_PEXELS_BASE_URL, ['https:', 'http:']).toString()),
  };

  if (provider === 'gemini' && !gemini.apiKey) {
    throw new ConfigError('IMAGE_PROVIDER=gemini needs GOOGLE_GEMINI_API_KEY (or GEMINI_API_KEY) to be set');
  }
  // Local OpenAI-compatible servers may run without a key; OpenAI itself never does.
  if (provider === 'openai' && !openai.apiKey && openaiBase.hostname === 'api.openai.com') {
    throw new ConfigError('IMAGE_PROVIDER=openai with OPENAI_BASE_URL at api.openai.com needs OPENAI_API_KEY');
  }
  if (provider === 'pexels' && !pexels.apiKey) {
    throw new ConfigError('IMAGE_PROVIDER=pexels needs PEXELS_API_KEY (free at https://www.pexels.com/api/)');
  }
  if (pexels.apiKey !== undefined && /\s/.test(pexels.apiKey)) {
    throw new ConfigError('PEXELS_API_KEY contains whitespace; check how it was pasted');
  }
  return { provider, timeoutMs: int(env, 'IMAGE_REQUEST_TIMEOUT_MS', 90_000, 100, 300_000), gemini, openai, pexels };
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

export const imageConfig = registerAs('image', () => parseImageConfig(process.env));
