import { DeckValidationError, ProviderError } from '@app/ai';
import { MediaError } from '@app/media';
import { failureCause, providerOutcome } from './failure-cause.js';

describe('failureCause', () => {
  it('tells a provider that slows us down from one that times out, fails or refuses', () => {
    expect(failureCause(new ProviderError('Gemini', 'rate_limited', 'slow down', 1000))).toBe('rate_limited');
    expect(failureCause(new ProviderError('Gemini', 'transient', 'no reply (timed out)', undefined, { timedOut: true }))).toBe('timeout');
    expect(failureCause(new ProviderError('Gemini', 'transient', 'HTTP 503'))).toBe('provider');
    expect(failureCause(new ProviderError('Gemini', 'permanent', 'rejected the credentials'))).toBe('provider_rejected');
  });

  it('names our own failures', () => {
    expect(failureCause(new DeckValidationError(['no slides']))).toBe('invalid_deck');
    expect(failureCause(new MediaError('ffmpeg exited with code 1'))).toBe('media');
    expect(failureCause(new Error('Connection is closed.'))).toBe('infrastructure');
    expect(failureCause(new Error('something else'))).toBe('error');
  });
});

describe('providerOutcome', () => {
  it('is the failure kind, or timeout, or what the output was', () => {
    expect(providerOutcome(new ProviderError('espeak-ng', 'transient', 'did not finish', undefined, { timedOut: true }))).toBe('timeout');
    expect(providerOutcome(new ProviderError('espeak-ng', 'permanent', 'no voice'))).toBe('permanent');
    expect(providerOutcome(new DeckValidationError(['too few slides']))).toBe('invalid_output');
    expect(providerOutcome(new TypeError('x'))).toBe('error');
  });
});
