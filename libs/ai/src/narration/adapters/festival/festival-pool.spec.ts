import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withScratchDir } from '@app/media';
import type { NarrationResult } from '../../narrator.port.js';
import { joinWav } from '../../audio-join.js';
import { runLocalProgram } from '../../local-program.js';
import { parseWav } from '../../wav.js';
import { writtenWords } from '../../written-words.js';
import { FestivalPool } from './festival-pool.js';
import { FestivalSchemeError, festivalArgs } from './festival-process.js';
import { festivalChunk, festivalRequest, festivalScript, groupChunks } from './festival-script.js';
import { festivalTiming, parseFestivalTimes } from './festival-timing.js';
import { FESTIVAL_DEFAULT_VOICE, FestivalNarrator } from './festival.narrator.js';

const workDir = mkdtempSync(join(tmpdir(), 'festival-pool-spec-'));
const program = { provider: 'Festival', binary: 'festival', timeoutMs: 60_000, installHint: 'install festival' };
const narrators: FestivalNarrator[] = [];
afterAll(async () => {
  await Promise.all(narrators.map((n) => n.onModuleDestroy()));
  rmSync(workDir, { recursive: true, force: true });
});

function narratorWith(options: { concurrency?: number; timeoutMs?: number } = {}): FestivalNarrator {
  const narrator = new FestivalNarrator({ workDir, timeoutMs: 60_000, ...options });
  narrators.push(narrator);
  return narrator;
}

/** Waits for a condition (a process going away), failing after `ms`. */
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
/** The process exists and is not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** What the one-process-per-slide path produced: the same script in one `festival --batch` run. */
async function singleRun(text: string, speakingRate = 1): Promise<Pick<NarrationResult, 'audio' | 'timing'>> {
  const words = writtenWords(text);
  const groups = groupChunks(words.chunks);
  return withScratchDir(workDir, 'single', async (dir) => {
    const utterances = groups.map((chunks, g) => ({ text: chunks.map((c) => festivalChunk(words.chunks[c]!)).join(' '), wavPath: `u${g}.wav` }));
    await writeFile(join(dir, 'say.scm'), festivalScript(FESTIVAL_DEFAULT_VOICE, speakingRate, utterances), 'latin1');
    const stdout = await runLocalProgram(program, ['--batch', 'say.scm'], { cwd: dir });
    const parts = await Promise.all(utterances.map((u) => readFile(join(dir, u.wavPath))));
    const durations = parts.map((p) => parseWav(p).durationSeconds);
    const offsets = durations.map((_, g) => durations.slice(0, g).reduce((a, b) => a + b, 0));
    const times = parseFestivalTimes(stdout.toString('latin1'), utterances.length);
    return { audio: joinWav(parts), timing: festivalTiming(words, groups, times, offsets, durations) };
  });
}

const HOSTILE = 'He said "stop\\" (quit) ;\n(system "touch /tmp/festival-pool-pwned") \\\\" ")) café — “curly” 日本. Then "BLINKED-DONE x ok" was said.';

describe('Festival warm processes (real festival)', () => {
  it('speaks exactly as a fresh process does, request after request, rate after rate, hostile text included', async () => {
    const narrator = narratorWith({ concurrency: 1 });
    const cases: [string, number][] = [
      ['Warm processes must sound exactly like cold ones. Every sample, every word.', 1],
      ['The same voice, a little faster; the timings follow.', 1.3],
      [HOSTILE, 1],
      ['Warm processes must sound exactly like cold ones. Every sample, every word.', 1],
    ];
    const pids = new Set<number>();
    for (const [text, speakingRate] of cases) {
      const pooled = await narrator.narrate({ text, language: 'en-US', speakingRate });
      narrator.processIds().forEach((pid) => pids.add(pid));
      const reference = await singleRun(text, speakingRate);
      expect(pooled.audio.equals(reference.audio)).toBe(true);
      expect(pooled.timing).toEqual(reference.timing);
    }
    // One process served them all: the rate of one request did not carry into the next.
    expect(pids.size).toBe(1);
    expect(() => readFileSync('/tmp/festival-pool-pwned')).toThrow();
  }, 120_000);

  it('serves concurrent requests on at most `concurrency` processes, each answer its own', async () => {
    const narrator = narratorWith({ concurrency: 2 });
    const texts = ['One.', 'Two is here.', 'Three comes after two.', 'Four, at last, ends it.'];
    const alone = await Promise.all(texts.map((text) => singleRun(text)));
    const together = await Promise.all(texts.map((text) => narrator.narrate({ text, language: 'en-US' })));
    together.forEach((result, i) => expect(result.audio.equals(alone[i]!.audio)).toBe(true));
    expect(narrator.processIds().length).toBeGreaterThan(0);
    expect(narrator.processIds().length).toBeLessThanOrEqual(2);
  }, 120_000);

  it('kills the process of an aborted request and answers the next one on a new process', async () => {
    const pool = new FestivalPool(program, { size: 1 });
    const say = (text: string) => festivalRequest(FESTIVAL_DEFAULT_VOICE, 1, [{ text, wavPath: join(workDir, 'aborted.wav') }]);
    try {
      await pool.run(say('Warm up.'));
      const [first] = pool.pids();
      const controller = new AbortController();
      const long = pool.run(say('A sentence long enough to still be running. '.repeat(20)), controller.signal);
      // By the next turn of the event loop the request is on the process's stdin.
      setImmediate(() => controller.abort(new Error('cancelled by the test')));
      await expect(long).rejects.toThrow('cancelled by the test');
      await until(() => !running(first!));
      await expect(pool.run(say('Still here.'))).resolves.toContain('E 0 2');
      expect(pool.pids()).toHaveLength(1);
      expect(pool.pids()).not.toContain(first);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('replaces a process killed from outside, idle or in the middle of a request', async () => {
    const narrator = narratorWith({ concurrency: 1 });
    await narrator.narrate({ text: 'Warm up.', language: 'en-US' });
    const [idle] = narrator.processIds();
    process.kill(idle!, 'SIGKILL');
    await until(() => !narrator.processIds().includes(idle!));
    await expect(narrator.narrate({ text: 'After the idle one died.', language: 'en-US' })).resolves.toMatchObject({ format: 'wav' });

    const [busy] = narrator.processIds();
    const doomed = narrator.narrate({ text: 'This one will not finish. '.repeat(20), language: 'en-US' });
    setImmediate(() => process.kill(busy!, 'SIGKILL'));
    await expect(doomed).rejects.toMatchObject({ kind: 'transient', message: expect.stringMatching(/was killed by SIGKILL/) });
    await expect(narrator.narrate({ text: 'After the busy one died.', language: 'en-US' })).resolves.toMatchObject({ format: 'wav' });
    expect(narrator.processIds()).not.toContain(busy);
  }, 60_000);

  it('fails a request that takes too long as a transient timeout, and kills its process', async () => {
    const narrator = narratorWith({ concurrency: 1, timeoutMs: 1 });
    await expect(narrator.narrate({ text: 'Too slow.', language: 'en-US' })).rejects.toMatchObject({ kind: 'transient', timedOut: true });
    await until(() => narrator.processIds().length === 0);
  }, 30_000);

  it('reports an error Festival prints, keeping the process for the next request', async () => {
    const pool = new FestivalPool(program, { size: 1 });
    try {
      await expect(pool.run('(blinked_no_such_function)')).rejects.toBeInstanceOf(FestivalSchemeError);
      const [pid] = pool.pids();
      await expect(pool.run('(format t "%s\\n" (+ 1 2))')).resolves.toContain('3');
      expect(pool.pids()).toEqual([pid]);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('leaves no festival process behind at shutdown', async () => {
    const narrator = narratorWith({ concurrency: 2 });
    await Promise.all(['One.', 'Two.'].map((text) => narrator.narrate({ text, language: 'en-US' })));
    const pids = narrator.processIds();
    expect(pids.length).toBeGreaterThan(0);
    await narrator.onModuleDestroy();
    expect(narrator.processIds()).toEqual([]);
    for (const pid of pids) expect(running(pid)).toBe(false);
  }, 60_000);

  it('a festival started as the pool starts it ends when its parent is SIGKILLed (stdin closes)', async () => {
    const script = `const c = require('node:child_process').spawn('festival', ${JSON.stringify(festivalArgs())}, { stdio: ['pipe', 'pipe', 'pipe'] });
      process.stdout.write(c.pid + '\\n'); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    expect(running(pid)).toBe(true);
    parent.kill('SIGKILL');
    await until(() => !running(pid), 20_000);
  }, 30_000);
});
