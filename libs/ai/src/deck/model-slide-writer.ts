import { DECK_TEMPLATE_VERSION, type DeckTurn, type RepairContext, writeDeckWithRepair } from './deck.prompt.js';
import type { DeckRequest } from './deck.types.js';
import { SlideWriter, type SlideWriterResult } from './slide-writer.port.js';

/**
 * A SlideWriter that asks a model over the network: one prompt template, one repair
 * loop (writeDeckWithRepair). An adapter supplies only one turn in its wire protocol.
 */
export abstract class ModelSlideWriter extends SlideWriter {
  readonly templateVersion = DECK_TEMPLATE_VERSION;
  /** Names the provider at the start of every error message, e.g. "Gemini". */
  protected abstract readonly label: string;

  write(request: DeckRequest): Promise<SlideWriterResult> {
    return writeDeckWithRepair(this.label, request.slideCount, (repair) => this.turn(request, repair));
  }

  /** One call to the model: the deck request, or (with `repair`) the reply and its problems. */
  protected abstract turn(request: DeckRequest, repair?: RepairContext): Promise<DeckTurn>;
}
