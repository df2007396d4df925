import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { parentPidOf, processTree, statusBytes, statusFieldBytes, treeRssBytes, TreeRssSampler } from '../scripts/bench/process-tree-rss.js';
import { benchPrompt, runTag } from '../scripts/bench/prompts.js';
import { finishSeconds, perMinute, phases, serverSeconds } from '../scripts/bench/timestamps.js';

/**
 * The pure parts of the whole-pipeline benchmarks (scripts/bench-pipeline.ts): the process-tree
 * memory reading (against a real tree of processes), the timestamp arithmetic and the prompts.
 */

/** A shell that starts two sleeping children, each holding memory of its own; resolves once all three run. */
async function spawnTree(): Promise<{ shell: ChildProcess; children: number[] }> {
  const shell = spawn('sh', ['-c', 'sleep 60 & sleep 60 & echo started; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(shell.stdout!, 'data');
  const children = processTree(shell.pid!).filter((pid) => pid !== shell.pid);
  return { shell, children };
}

describe('process-tree RSS', () => {
  let tree: Awaited<ReturnType<typeof spawnTree>>;

  beforeAll(async () => {
    tree = await spawnTree();
  });

  afterAll(async () => {
    for (const pid of tree.children) process.kill(pid, 'SIGKILL');
    const exited = once(tree.shell, 'exit');
    tree.shell.kill('SIGKILL');
    await exited;
  });

  it('finds a process and all its children', () => {
    expect(tree.children).toHaveLength(2);
    for (const pid of tree.children) expect(parentPidOf(readFileSync(`/proc/${pid}/stat`, 'utf8'))).toBe(tree.shell.pid);
    expect(processTree(tree.shell.pid!).sort()).toEqual([tree.shell.pid!, ...tree.children].sort());
  });

  it('sums the resident memory of the whole tree, which is more than its root alone', () => {
    const pids = [tree.shell.pid!, ...tree.children];
    const each = pids.map((pid) => statusBytes(pid, 'VmRSS'));
    for (const bytes of each) expect(bytes).toBeGreaterThan(0);
    // Read again for the sum: a sleeping process's RSS does not move between the two reads.
    expect(treeRssBytes([tree.shell.pid!])).toBe(each.reduce((a, b) => a + b, 0));
    expect(treeRssBytes([tree.shell.pid!])).toBeGreaterThan(statusBytes(tree.shell.pid!, 'VmRSS'));
  });

  it("the sampler's peak is at least any one reading of the tree", () => {
    const sampler = new TreeRssSampler([tree.shell.pid!], 5);
    const reading = treeRssBytes([tree.shell.pid!]);
    const { peakBytes, samples } = sampler.stop();
    expect(samples).toBeGreaterThanOrEqual(2);
    expect(peakBytes).toBeGreaterThanOrEqual(reading);
  });

  it('reads 0 for a process that is gone, and the parent pid past a command name with spaces and parentheses', () => {
    expect(statusBytes(2 ** 22 + 1, 'VmRSS')).toBe(0);
    expect(parentPidOf('4242 (we (ird) name) S 17 4242 4242 0 -1')).toBe(17);
    expect(statusFieldBytes('Name:\tnode\nVmHWM:\t  250000 kB\nVmRSS:\t  123456 kB\n', 'VmRSS')).toBe(123456 * 1024);
    expect(statusFieldBytes('Name:\tnode\nVmHWM:\t  250000 kB\n', 'VmHWM')).toBe(250000 * 1024);
    expect(statusFieldBytes('Name:\tzombie\nState:\tZ (zombie)\n', 'VmRSS')).toBe(0);
  });
});

describe('benchmark timestamps', () => {
  const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, 0) + s * 1000);

  it('server seconds are completed_at − created_at, and need a completion', () => {
    expect(serverSeconds({ createdAt: at(0), completedAt: at(2.75) })).toBe(2.75);
    expect(() => serverSeconds({ createdAt: at(0), completedAt: null })).toThrow('no completed_at');
  });

  it('finish seconds count from the latest voiceover, whatever order the rows come in', () => {
    expect(finishSeconds(at(10), [at(7), at(8.5), at(3)], 3)).toBe(1.5);
    expect(() => finishSeconds(at(10), [at(7), at(8.5)], 3)).toThrow('2 voiceovers for 3 slides');
    expect(() => finishSeconds(at(10), [at(11)], 1)).toThrow('newer than the completion');
  });

  it('splits a video into deck, voice and finish phases that add up to its whole time', () => {
    const p = phases(at(0), [at(0.25), at(0.5)], [at(1), at(3)], at(4.5));
    expect(p).toEqual({ deck: 0.5, voice: 2.5, finish: 1.5 });
    expect(p.deck + p.voice + p.finish).toBe(4.5);
  });

  it('videos per minute over a window', () => {
    expect(perMinute(15, 90)).toBe(10);
    expect(() => perMinute(1, 0)).toThrow();
  });
});

describe('benchmark prompts', () => {
  it('gives each run its own prompt, within the api limit, with one sentence per content slide', () => {
    const a = benchPrompt(runTag('e2e', 0), { slides: 20, clauses: 1 });
    const b = benchPrompt(runTag('e2e', 1), { slides: 20, clauses: 1 });
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(4000);
    // The opening request and 18 content sentences, every one carrying the tag.
    const sentences = a.split(/(?<=\.) /);
    expect(sentences).toHaveLength(19);
    for (const s of sentences) expect(s).toContain(runTag('e2e', 0).split(' ').slice(0, 2).join(' '));
  });

  it('grows the narration with clauses', () => {
    expect(benchPrompt('t', { slides: 6, clauses: 2 }).length).toBeGreaterThan(benchPrompt('t', { slides: 6 }).length + 4 * 40);
  });
});
