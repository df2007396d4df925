// What every benchmark prints: figures over several runs, as the median with its spread,
// and one JSON line per figure (the last lines of its output), which `npm run bench` collects.

/** The median and the extremes of repeated measurements of one figure. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error('no measurements');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: round(median), min: round(sorted[0]!), max: round(sorted[sorted.length - 1]!), runs: values.length };
}

/** Three significant decimals are more than any of these figures can honestly claim. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * One figure, as a JSON line: `{"bench":"<name>", <headline figures as medians>, "spread": {<figure>: {median,min,max,runs}}}`.
 * The headline values are the medians, so a reader of one line needs nothing else.
 */
export function emit(bench: string, figures: Record<string, number[] | number | string | boolean>): void {
  const line: Record<string, unknown> = { bench };
  const spreads: Record<string, Spread> = {};
  for (const [name, value] of Object.entries(figures)) {
    if (Array.isArray(value)) {
      const s = spread(value);
      line[name] = s.median;
      spreads[name] = s;
    } else {
      line[name] = value;
    }
  }
  if (Object.keys(spreads).length) line.spread = spreads;
  console.log(JSON.stringify(line));
}

/** `--name value` from the command line, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
