import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, oneOf, str, url } from './env.parsers.js';

export const LLM_PROVIDERS = ['gemini', 'openai', 'offline'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** The Flash model @google/genai 3.x documents as current; override with GEMINI_MODEL. */
export const DEFAULT_GEMINI_MODEL = 'gemini-3.8-flash';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface LlmConfig {
  /** Which SlideWriter the worker uses. */
  provider: LlmProvider;
  /** Deadline for one request to the LLM (each of the call and its repair call); at most 300 s, undici's own limit. */
  requestTimeoutMs: number;
  gemini: {
    apiKey?: string;
    model: string;
    /** Undefined means Google's own endpoint; set to point the SDK at a proxy or a fake. */
    baseUrl?: string;
  };
  openai: {
    /** Without a trailing slash, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. */
    baseUrl: string;
    /** Optional: local servers (Ollama, vLLM, LM Studio) usually need none. */
    apiKey?: string;
    model?: string;
  };
}

export function parseLlmConfig(env: Env): LlmConfig {
  const geminiKey = str(env, 'GOOGLE_GEMINI_API_KEY') ?? str(env, 'GEMINI_API_KEY');
  const provider = oneOf(env, 'LLM_PROVIDER', LLM_PROVIDERS, geminiKey ? 'gemini' : 'offline');
  const requestTimeoutMs = int(env, 'AI_REQUEST_TIMEOUT_MS', 60_000, 100, 300_000);

  const geminiBase = str(env, 'GEMINI_BASE_URL');
  const gemini: LlmConfig['gemini'] = {
    apiKey: geminiKey,
    model: str(env, 'GEMINI_MODEL', DEFAULT_GEMINI_MODEL)!,
    baseUrl: geminiBase ? trimSlash(url(env, 'GEMINI_BASE_URL', '', ['https:', 'http:']).toString()) : undefined,
  };
  const openaiBase = url(env, 'OPENAI_BASE_URL', DEFAULT_OPENAI_BASE_URL, ['https:', 'http:']);
  const openai: LlmConfig['openai'] = {
    baseUrl: trimSlash(openaiBase.toString()),
    apiKey: str(env, 'OPENAI_API_KEY'),
    model: str(env, 'OPENAI_MODEL'),
  };

  if (provider === 'gemini' && !gemini.apiKey) {
    throw new ConfigError('LLM_PROVIDER=gemini needs GOOGLE_GEMINI_API_KEY (or GEMINI_API_KEY) to be set');
  }
  if (provider === 'openai') {
    if (!openai.model) {
      throw new ConfigError('LLM_PROVIDER=openai needs OPENAI_MODEL (e.g. gpt-4o-mini, or the model name your server serves)');
    }
    // Local OpenAI-compatible servers run without a key; OpenAI itself never does.
    if (!openai.apiKey && openaiBase.hostname === 'api.openai.com') {
      throw new ConfigError('LLM_PROVIDER=openai with OPENAI_BASE_URL at api.openai.com needs OPENAI_API_KEY');
    }
  }
  return { provider, requestTimeoutMs, gemini, openai };
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

export const llmConfig = registerAs('llm', () => parseLlmConfig(process.env));
