import { createHash } from 'node:crypto';

/** Prompt text as the cache compares it: Unicode-normalised, whitespace folded, trimmed. */
export function normalisePrompt(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function sha256(parts: Record<string, unknown>): string {
  // Keys sorted so the hash never depends on property order.
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(parts).sort(([a], [b]) => a.localeCompare(b))));
  return createHash('sha256').update(canonical).digest('hex');
}

export interface DeckKeyParts {
  provider: string;
  model: string;
  templateVersion: string;
  prompt: string;
  title?: string;
  slideCount: number;
  language: string;
}

/** Everything that changes what a writer returns, and nothing else. */
export function deckCacheKey(p: DeckKeyParts): string {
  return sha256({
    kind: 'deck',
    provider: p.provider,
    model: p.model,
    templateVersion: p.templateVersion,
    prompt: normalisePrompt(p.prompt),
    title: p.title ? normalisePrompt(p.title) : '',
    slideCount: p.slideCount,
    language: p.language.toLowerCase(),
  });
}

export interface AudioKeyParts {
  provider: string;
  voice: string;
  language: string;
  speakingRate: number;
  /** Output container (MP3 and LINEAR16 of the same words are different blobs). */
  format: string;
  text: string;
}

export function audioCacheKey(p: AudioKeyParts): string {
  return sha256({
    kind: 'audio',
    provider: p.provider,
    voice: p.voice,
    language: p.language.toLowerCase(),
    speakingRate: Math.round(p.speakingRate * 1000) / 1000,
    format: p.format,
    text: p.text.normalize('NFC').trim(),
  });
}

export interface ImageKeyParts {
  provider: string;
  model: string;
  keywords: readonly string[];
  prompt: string;
  aspectRatio: string;
}

/** Keywords keep their order (most specific first changes what a search returns) but not their case. */
export function imageCacheKey(p: ImageKeyParts): string {
  return sha256({
    kind: 'image',
    provider: p.provider,
    model: p.model,
    keywords: p.keywords.map((k) => normalisePrompt(k).toLocaleLowerCase()),
    prompt: normalisePrompt(p.prompt),
    aspectRatio: p.aspectRatio,
  });
}

/** A 63-bit advisory-lock id for a hex key (PostgreSQL's bigint is signed). */
export function advisoryLockId(hexKey: string): string {
  return (BigInt(`0x${hexKey.slice(0, 16)}`) & 0x7fffffffffffffffn).toString();
}

export function contentHash(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
