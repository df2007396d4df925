/** Wall time of a job's steps, for one log line: `fetch 0.041 s, join 0.210 s, …`. */
export class StepTimer {
  private last = performance.now();
  private readonly steps: [string, number][] = [];

  mark(step: string): void {
    const now = performance.now();
    this.steps.push([step, (now - this.last) / 1000]);
    this.last = now;
  }

  toString(): string {
    return this.steps.map(([name, s]) => `${name} ${s.toFixed(3)} s`).join(', ');
  }
}
