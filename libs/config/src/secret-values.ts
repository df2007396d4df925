import type { Env } from './env.parsers.js';

/** Variables whose values are secrets, whichever app reads them. A new secret setting is added here. */
export const SECRET_VARIABLES = [
  'SECRET_KEY',
  'GOOGLE_GEMINI_API_KEY',
  'GEMINI_API_KEY',
  'OPENAI_API_KEY',
  'GOOGLE_TTS_API_KEY',
  'PEXELS_API_KEY',
  'S3_SECRET_ACCESS_KEY',
  'REDIS_SENTINEL_PASSWORD',
  'METRICS_TOKEN',
  'BLINKED_TOKEN',
] as const;

/** URLs whose password part is a secret. */
const URL_VARIABLES = ['DATABASE_URL', 'REDIS_URL'] as const;

/**
 * Shorter values are not scrubbed from logs: a development password such as
 * "postgres" would turn every mention of the word into "[redacted]", and real
 * secrets (API keys, SECRET_KEY's 32+ characters) are far longer.
 */
export const MIN_SCRUBBED_LENGTH = 12;

/**
 * The configured secret values, for the loggers to scrub from every line as a last
 * line of defence: adapters already redact keys from their errors, but a message is
 * free text, and a library may quote a URL or a header it was given.
 */
export function secretValues(env: Env): string[] {
  const values = new Set<string>();
  const add = (value: string | undefined) => {
    if (value && value.length >= MIN_SCRUBBED_LENGTH) values.add(value);
  };
  for (const name of SECRET_VARIABLES) add(env[name]?.trim());
  for (const name of URL_VARIABLES) {
    try {
      add(decodeURIComponent(new URL(env[name] ?? '').password));
    } catch {
      // Not a URL: the configuration check reports it; nothing to scrub.
    }
  }
  return [...values];
}
