/** The deck both language-model fakes (Gemini, OpenAI-compatible) answer with by default. */

export interface FakeDeck {
  title: string;
  slides: { title: string; bullets: string[]; narration: string; visual: { keywords: string[]; prompt: string } }[];
}

export interface FakeUsage {
  input: number;
  output: number;
}

/** Tokens the fakes report per successful call unless a step says otherwise. */
export const FAKE_USAGE: FakeUsage = { input: 120, output: 340 };

/** What either language-model fake can be scripted to write, each in its own envelope. */
export type DeckStep =
  /** A valid deck; slideCount defaults to what the request asked for. */
  | { kind: 'deck'; slideCount?: number; deck?: FakeDeck; usage?: FakeUsage }
  /** Raw reply text, e.g. prose or truncated JSON. */
  | { kind: 'text'; text: string; usage?: FakeUsage }
  /** JSON cut off mid-slide, as a truncated reply looks. */
  | { kind: 'invalid_json' }
  /** A valid deck with one slide too many (one too few at the maximum of 20). */
  | { kind: 'wrong_count' };

/** The reply text a DeckStep stands for, and the usage to report with it. */
export function deckReply(step: DeckStep, asked: number): { text: string; usage: FakeUsage } {
  switch (step.kind) {
    case 'deck':
      return { text: JSON.stringify(step.deck ?? fakeDeck(step.slideCount ?? asked)), usage: step.usage ?? FAKE_USAGE };
    case 'text':
      return { text: step.text, usage: step.usage ?? FAKE_USAGE };
    case 'invalid_json':
      return { text: '{"title": "Half a deck", "slides": [{"title": ', usage: FAKE_USAGE };
    case 'wrong_count':
      return { text: JSON.stringify(fakeDeck(asked >= 20 ? asked - 1 : asked + 1)), usage: FAKE_USAGE };
  }
}

const FAKE_VISUAL_WORDS = ['rocket', 'leaf', 'planet', 'bulb', 'heart', 'tree', 'camera', 'bike', 'cloud', 'sun'];

/** A valid deck (meets DECK_LIMITS) with distinct narration per slide. */
export function fakeDeck(slideCount: number, topic = 'the requested topic'): FakeDeck {
  return {
    title: `A short course on ${topic}`.slice(0, 100),
    slides: Array.from({ length: slideCount }, (_, i) => ({
      title: `Part ${i + 1}`,
      bullets: [`Key idea ${i + 1}`, `Example ${i + 1}`],
      narration: `This is slide ${i + 1} of ${slideCount}. Here we look at key idea ${i + 1} and walk through an example.`,
      // Words the icon sets know, so a video written by a fake shows real icons (a different one per slide where possible).
      visual: { keywords: [FAKE_VISUAL_WORDS[i % FAKE_VISUAL_WORDS.length]!, 'book'], prompt: `A simple picture for key idea ${i + 1}.` },
    })),
  };
}

/** "exactly N slides" in a prompt, the writers' fallback when no schema says how many. */
export function slideCountInText(text: string): number | undefined {
  const m = /exactly (\d+) slides/.exec(text);
  return m ? Number(m[1]) : undefined;
}
