// Prompts for the benchmarks. Each run gets a prompt of its own (a run tag in every sentence),
// so the deck, each slide's narration and each picture are new to the generation cache: a hit
// would skip the very work being timed. The offline writer makes one content slide of each
// sentence after the opening request, plus a title and a summary slide.

const SENTENCES = [
  'Forager bees collect nectar from flowers and carry it home in a special honey stomach',
  'Back at the hive, house bees pass the nectar from mouth to mouth and add enzymes that break its sugars down',
  'They spread it across the wax cells and fan it with their wings until most of the water evaporates',
  'When the honey is thick enough, the bees seal each cell with a cap of wax, and it keeps for years',
  'A strong colony can hold fifty thousand bees in summer, most of them female workers',
  'The queen lays up to two thousand eggs a day during the busiest weeks of spring',
  'Scouts dance on the comb to tell the others how far away the best flowers are',
  'Bees see ultraviolet light, so many flowers show them patterns that people cannot see',
  'In winter the bees cluster together and shiver their muscles to keep the queen warm',
  'Beekeepers take only the surplus honey and leave enough for the colony to survive',
  'Pollination by bees helps a third of the crops that people eat every day',
  'Wax is made by young workers from glands on the underside of their bodies',
];

/** Extra clauses that lengthen a slide's narration (the `finish` benchmark wants a ~90 s video). */
const CLAUSES = [
  'which takes patience and a great deal of teamwork',
  'and every bee in the hive has a part to play in it',
  'a process that has been studied by scientists for centuries',
  'while the weather and the season decide how fast it goes',
];

export interface PromptShape {
  /** Slides the video will have (the api's slideCount): slides − 2 content sentences. */
  slides: number;
  /** Extra clauses per sentence: 0 for a short narration (~6 s a slide), each one adds ~3 s. */
  clauses?: number;
}

/** A prompt no other run has: `tag` is spoken in every sentence. Stays under the api's 4000 characters for 20 slides. */
export function benchPrompt(tag: string, shape: PromptShape): string {
  const sentences = Array.from({ length: Math.max(1, shape.slides - 2) }, (_, i) => {
    const extra = Array.from({ length: shape.clauses ?? 0 }, (_, k) => CLAUSES[(i + k) % CLAUSES.length]).join(', ');
    // The tag first: the writer makes slide titles, and the summary, from a sentence's first words.
    return `Lesson ${tag} part ${i + 1}: ${lowerFirst(SENTENCES[i % SENTENCES.length]!)}${extra ? `, ${extra}` : ''}.`;
  });
  return [`Explain lesson ${tag} about how honeybees make honey.`, ...sentences].join(' ');
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** A tag per run: distinct within a benchmark and between benchmarks of one session. */
export function runTag(bench: string, run: number): string {
  return `${bench} ${run + 1} ${String(Date.now() % 1000).padStart(3, '0')}`;
}
