import type { Deck, DeckRequest } from './deck.types.js';

export interface SlideWriterResult {
  deck: Deck;
  inputTokens: number;
  outputTokens: number;
}

/**
 * Port: turns a prompt into a validated deck. Adapters: offline, gemini, openai.
 * An abstract class (not an interface) so it can be a Nest injection token.
 */
export abstract class SlideWriter {
  /** Provider name recorded on each video, e.g. "offline", "gemini". */
  abstract readonly provider: string;
  /** Model name recorded on each video, e.g. "gemini-2.5-flash". */
  abstract readonly model: string;
  /**
   * Bumped whenever the prompt template or output shape changes, so cached
   * decks from an older template are not reused.
   */
  abstract readonly templateVersion: string;
  /** Resolves with a deck that already passed validateDeck(); rejects with a ProviderError. */
  abstract write(request: DeckRequest): Promise<SlideWriterResult>;
}
