import { advisoryLockId, audioCacheKey, deckCacheKey } from './cache-key.js';

const deck = { provider: 'gemini', model: 'm', templateVersion: 'v1', prompt: 'Explain  tides.\n', slideCount: 6, language: 'en-US' };
const audio = { provider: 'google', voice: 'en-US:default', language: 'en-US', speakingRate: 1, format: 'mp3', text: 'Hello there.' };

describe('cache keys', () => {
  it('ignore whitespace and language case, not content', () => {
    expect(deckCacheKey(deck)).toBe(deckCacheKey({ ...deck, prompt: ' Explain tides. ', language: 'en-us' }));
    expect(deckCacheKey(deck)).not.toBe(deckCacheKey({ ...deck, prompt: 'Explain tide.' }));
  });

  it.each([
    ['provider', 'openai'],
    ['model', 'n'],
    ['templateVersion', 'v2'],
    ['slideCount', 7],
    ['language', 'fr'],
    ['title', 'T'],
  ])('change when %s changes', (field, value) => {
    expect(deckCacheKey({ ...deck, [field]: value })).not.toBe(deckCacheKey(deck));
  });

  it.each([
    ['provider', 'espeak'],
    ['voice', 'x'],
    ['language', 'fr'],
    ['speakingRate', 1.25],
    ['format', 'wav'],
    ['text', 'Hello there!'],
  ])('audio key changes when %s changes', (field, value) => {
    expect(audioCacheKey({ ...audio, [field]: value })).not.toBe(audioCacheKey(audio));
  });

  it('derives a positive 63-bit lock id', () => {
    const id = BigInt(advisoryLockId('f'.repeat(64)));
    expect(id > 0n && id <= 0x7fffffffffffffffn).toBe(true);
  });
});
