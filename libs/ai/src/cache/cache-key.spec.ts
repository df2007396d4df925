import { DECK_TEMPLATE_VERSION } from '../deck/deck.prompt.js';
import { advisoryLockId, audioCacheKey, deckCacheKey, imageCacheKey } from './cache-key.js';

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

  const image = { provider: 'pexels', model: 'v1', keywords: ['bee', 'flower'], prompt: 'A bee on a flower.', aspectRatio: '16:9' };

  it.each([
    ['provider', 'gemini'],
    ['model', 'v2'],
    ['keywords', ['flower', 'bee']],
    ['keywords', ['bee']],
    ['prompt', 'A bee.'],
    ['aspectRatio', '9:16'],
  ])('image key changes when %s changes', (field, value) => {
    expect(imageCacheKey({ ...image, [field]: value })).not.toBe(imageCacheKey(image));
  });

  it('image key ignores case and spacing of the words', () => {
    expect(imageCacheKey({ ...image, keywords: [' Bee', 'FLOWER '], prompt: ' A bee  on a flower. ' })).toBe(imageCacheKey(image));
  });

  it('deck template is at v2 (decks carry visuals), so decks cached before are not reused', () => {
    expect(DECK_TEMPLATE_VERSION).toBe('deck-v2');
    expect(deckCacheKey({ ...deck, templateVersion: DECK_TEMPLATE_VERSION })).not.toBe(deckCacheKey({ ...deck, templateVersion: 'deck-v1' }));
  });

  it('derives a positive 63-bit lock id', () => {
    const id = BigInt(advisoryLockId('f'.repeat(64)));
    expect(id > 0n && id <= 0x7fffffffffffffffn).toBe(true);
  });
});
