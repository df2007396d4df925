/** The deck both language-model fakes (Gemini, OpenAI-compatible) answer with by default. */

export interface FakeDeck {
  title: string;
  slides: { title: string; bullets: string[]; narration: string }[];
}

export interface FakeUsage {
  input: number;
  output: number;
}

/** Tokens the fakes report per successful call unless a step says otherwise. */
export const FAKE_USAGE: FakeUsage = { input: 120, output: 340 };

/** A valid deck (meets DECK_LIMITS) with distinct narration per slide. */
export function fakeDeck(slideCount: number, topic = 'the requested topic'): FakeDeck {
  return {
    title: `A short course on ${topic}`.slice(0, 100),
    slides: Array.from({ length: slideCount }, (_, i) => ({
      title: `Part ${i + 1}`,
      bullets: [`Key idea ${i + 1}`, `Example ${i + 1}`],
      narration: `This is slide ${i + 1} of ${slideCount}. Here we look at key idea ${i + 1} and walk through an example.`,
    })),
  };
}

/** "exactly N slides" in a prompt, the writers' fallback when no schema says how many. */
export function slideCountInText(text: string): number | undefined {
  const m = /exactly (\d+) slides/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** A valid deck with one slide too many (one too few at the maximum of 20). */
export function wrongCountDeck(asked: number): FakeDeck {
  return fakeDeck(asked >= 20 ? asked - 1 : asked + 1);
}

/** JSON cut off mid-slide, as a truncated model reply looks. */
export const HALF_A_DECK = '{"title": "Half a deck", "slides": [{"title": ';
