import type { LlmConfig } from '@app/config';
import { OfflineSlideWriter } from './adapters/offline/offline.slide-writer.js';
import { createSlideWriter } from './slide-writer.factory.js';

describe('createSlideWriter', () => {
  it('builds the configured writer', () => {
    expect(createSlideWriter({ provider: 'offline' } as LlmConfig)).toBeInstanceOf(OfflineSlideWriter);
  });

  it('refuses a provider it does not know, in one line, instead of falling back to another', () => {
    expect(() => createSlideWriter({ provider: 'claude' } as unknown as LlmConfig)).toThrow(/^LLM_PROVIDER "claude" names no provider this build has$/);
  });
});
