// Whole-pipeline benchmarks (issue 13), on a stack of the BUILT api and worker(s) started for the
// purpose (scripts/bench/stack.ts), measured only through the HTTP API, the database's rows and /proc,
// so it measures whatever the pipeline on this checkout does.
// Usage: node dist/scripts/bench-pipeline.js <e2e|finish|rss|throughput> [--runs N] [--cases espeak6,defaults6,defaults20]
//        [--seconds S] [--in-flight N]   (--runs: 3 by default; for throughput, windows per worker count, 1 by default)
// Progress goes to stderr; one JSON line per figure to stdout (scripts/bench/report.ts).
import { arg, emit } from './bench/report.js';
import { cleanupAll, cleanUpOnSignals } from './bench/cleanup.js';
import { BenchClient, type Finished } from './bench/client.js';
import { benchPrompt, type PromptShape, runTag } from './bench/prompts.js';
import { statusBytes, TreeRssSampler } from './bench/process-tree-rss.js';
import { printLogTails, type Stack, startStack } from './bench/stack.js';
import { finishSeconds, perMinute, phases, serverSeconds } from './bench/timestamps.js';

const MB = 1024 * 1024;

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

/** A stack and a signed-up client, closed whatever happens in `fn`. */
async function withStack<T>(
  label: string,
  options: Parameters<typeof startStack>[0] & { abruptClose?: boolean },
  fn: (stack: Stack, client: BenchClient) => Promise<T>,
): Promise<T> {
  progress(`${label}: starting the api and ${options.workers ?? 1} worker(s) on a fresh database…`);
  const stack = await startStack(options);
  let failed = false;
  try {
    const client = new BenchClient(stack.baseUrl);
    await client.signUp();
    return await fn(stack, client);
  } catch (e) {
    failed = true;
    await printLogTails(stack.logDir);
    throw e;
  } finally {
    await stack.close({ abrupt: failed || options.abruptClose });
  }
}

interface Timeline {
  createdAt: Date;
  completedAt: Date;
  slideCount: number;
  /** slides.created_at (the deck written) and voiceovers.created_at (each slide voiced). */
  slidesAt: Date[];
  voicedAt: Date[];
}

/** A completed video's timestamps, from its rows (PostgreSQL's clock). */
async function timeline(stack: Stack, id: string): Promise<Timeline> {
  const [video] = await stack.query<{ createdAt: Date; completedAt: Date | null; slideCount: number; promptId: string }>(
    'SELECT created_at AS "createdAt", completed_at AS "completedAt", slide_count AS "slideCount", prompt_id AS "promptId" FROM videos WHERE id = $1',
    [id],
  );
  if (!video?.completedAt) throw new Error(`video ${id} has no completed_at`);
  const slides = await stack.query<{ slideAt: Date; voicedAt: Date | null }>(
    'SELECT s.created_at AS "slideAt", v.created_at AS "voicedAt" FROM slides s LEFT JOIN voiceovers v ON v.slide_id = s.id WHERE s.prompt_id = $1',
    [video.promptId],
  );
  return {
    createdAt: video.createdAt,
    completedAt: video.completedAt,
    slideCount: video.slideCount,
    slidesAt: slides.map((r) => r.slideAt),
    voicedAt: slides.flatMap((r) => (r.voicedAt ? [r.voicedAt] : [])),
  };
}

/** A generation cache hit would skip the work being timed: say so loudly (prompts are made distinct to avoid it). */
function checkNoCacheHits(done: Finished): void {
  if (done.cacheHits) progress(`WARNING: video ${done.id} reused ${done.cacheHits} cached result(s); its time is not a cold one`);
}

/** One video made and timed: client seconds (POST → `completed` seen) and server seconds (created_at → completed_at). */
async function timedVideo(
  stack: Stack,
  client: BenchClient,
  tag: string,
  shape: PromptShape,
): Promise<Finished & { clientSeconds: number; serverSeconds: number; timeline: Timeline; phases: string }> {
  const done = await client.make({ prompt: benchPrompt(tag, shape), slideCount: shape.slides });
  checkNoCacheHits(done);
  const t = await timeline(stack, done.id);
  const p = phases(t.createdAt, t.slidesAt, t.voicedAt, t.completedAt);
  return {
    ...done,
    clientSeconds: (done.seenAt - done.postedAt) / 1000,
    serverSeconds: serverSeconds(t),
    timeline: t,
    phases: `deck rows ${p.deck.toFixed(2)} s, then last slide voiced ${p.voice.toFixed(2)} s, then completed ${p.finish.toFixed(2)} s`,
  };
}

interface E2eCase {
  name: string;
  label: string;
  slides: number;
  voice: string;
  pictures: string;
}

/** Each case of a group `runs` times on one stack of `checkout` (this one when undefined): client and server seconds per case. */
async function e2eGroup(group: E2eCase[], runs: number, checkout?: string): Promise<Map<string, { client: number[]; server: number[] }>> {
  const { voice, pictures } = group[0]!;
  const which = checkout ? `baseline ${checkout}` : 'this checkout';
  const out = new Map<string, { client: number[]; server: number[] }>();
  await withStack(`e2e ${group[0]!.label}, ${which}`, { env: { TTS_PROVIDER: voice, IMAGE_PROVIDER: pictures }, checkout }, async (stack, client) => {
    // One video first, not timed: the first of a fresh worker pays for loading fonts and starting engines.
    await timedVideo(stack, client, runTag(`warmup ${voice}`, 0), { slides: 6 });
    for (const c of group) {
      const times = { client: [] as number[], server: [] as number[] };
      for (let run = 0; run < runs; run++) {
        const t = await timedVideo(stack, client, runTag(`e2e ${c.slides} ${voice}`, run), { slides: c.slides });
        times.client.push(t.clientSeconds);
        times.server.push(t.serverSeconds);
        progress(
          `e2e ${c.slides} slides (${c.label}, ${which}) run ${run + 1}/${runs}: ${t.clientSeconds.toFixed(2)} s seen by the client, ${t.serverSeconds.toFixed(2)} s created→completed (${t.phases})`,
        );
      }
      out.set(c.name, times);
    }
  });
  return out;
}

/**
 * POST → `completed`. With BENCH_BASELINE=<another checkout, built> (e.g. a worktree of the
 * commit before a change), the same cases also run on that checkout's api and worker, in the
 * same run, and each line carries `baselineSeconds`.
 */
async function e2e(runs: number): Promise<void> {
  const all: E2eCase[][] = [
    [{ name: 'espeak6', label: 'espeak, no pictures', slides: 6, voice: 'espeak', pictures: 'none' }],
    [
      { name: 'defaults6', label: 'defaults (Festival, icons)', slides: 6, voice: 'festival', pictures: 'icons' },
      { name: 'defaults20', label: 'defaults (Festival, icons)', slides: 20, voice: 'festival', pictures: 'icons' },
    ],
  ];
  // `--cases espeak6,defaults20` runs some of them.
  const wanted = arg('cases', 'espeak6,defaults6,defaults20').split(',');
  const baseline = process.env.BENCH_BASELINE;
  const cases = all.map((group) => group.filter((c) => wanted.includes(c.name))).filter((group) => group.length);
  for (const group of cases) {
    const now = await e2eGroup(group, runs);
    const before = baseline ? await e2eGroup(group, runs, baseline) : undefined;
    for (const { name, slides, voice, pictures } of group) {
      const t = now.get(name)!;
      const b = before?.get(name);
      emit('e2e', {
        slides,
        voice,
        pictures,
        seconds: t.client,
        serverSeconds: t.server,
        ...(b ? { baselineSeconds: b.client, baseline: baseline! } : {}),
      });
    }
  }
}

/** About 90 s of video: 8 slides of ~11 s of Festival narration each (measured: 10 slides with a clause more made 138–153 s); the actual length is reported. */
const FINISH_SHAPE: PromptShape = { slides: 8 };

async function finish(runs: number): Promise<void> {
  await withStack('finish', {}, async (stack, client) => {
    await timedVideo(stack, client, runTag('warmup finish', 0), { slides: 6 });
    const seconds: number[] = [];
    const videoSeconds: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t = await timedVideo(stack, client, runTag('finish', run), FINISH_SHAPE);
      const s = finishSeconds(t.timeline.completedAt, t.timeline.voicedAt, t.timeline.slideCount);
      seconds.push(s);
      videoSeconds.push(t.durationSeconds ?? 0);
      progress(`finish run ${run + 1}/${runs}: last slide voiced → completed ${s.toFixed(2)} s, for a ${t.durationSeconds?.toFixed(1)} s video`);
    }
    emit('finish', { slides: FINISH_SHAPE.slides, seconds, videoSeconds });
  });
}

async function rss(runs: number): Promise<void> {
  const peak: number[] = [];
  const nodePeak: number[] = [];
  for (let run = 0; run < runs; run++) {
    // A fresh worker per run: VmHWM is the high-water mark of the process's whole life.
    await withStack(`rss run ${run + 1}/${runs}`, {}, async (stack, client) => {
      const [worker] = stack.workerPids;
      const sampler = new TreeRssSampler([worker!], 10);
      let sampled: ReturnType<TreeRssSampler['stop']>;
      try {
        await client.make({ prompt: benchPrompt(runTag('rss', run), { slides: 20 }), slideCount: 20, aspectRatio: '16:9' }, 100);
      } finally {
        sampled = sampler.stop();
      }
      const hwm = statusBytes(worker!, 'VmHWM');
      peak.push(sampled.peakBytes / MB);
      nodePeak.push(hwm / MB);
      progress(
        `rss run ${run + 1}/${runs}: worker tree peak ${(sampled.peakBytes / MB).toFixed(0)} MB (${sampled.samples} samples), node alone ${(hwm / MB).toFixed(0)} MB`,
      );
    });
  }
  emit('rss', { slides: 20, resolution: '1920x1080', peakMb: peak, nodePeakMb: nodePeak });
}

/**
 * Videos per minute, sustained: `inFlight` clients each submit a video, wait for it and submit
 * the next; after the first completion (the pipeline full), completions are counted for
 * `seconds` from the rows' completed_at.
 */
async function throughput(workers: number, seconds: number, inFlight: number): Promise<number> {
  // Closed abruptly: the videos still in flight when the window ends are not part of the figure.
  return withStack(`throughput ${workers} worker(s)`, { workers, abruptClose: true }, async (stack, client) => {
    let stop = false;
    let submitted = 0;
    const loops = Array.from({ length: inFlight }, async (_, slot) => {
      while (!stop) {
        const tag = runTag(`throughput ${workers} ${slot}`, submitted++);
        const { id, postedAt } = await client.generate({ prompt: benchPrompt(tag, { slides: 6 }), slideCount: 6 });
        // Every 200 ms: enough to keep the queue full; polling faster would take CPU from the workers.
        const done = await client.waitTerminal(id, postedAt, 200);
        if (done.status !== 'completed') throw new Error(`video ${id} ended ${done.status}: ${done.error ?? ''}`);
      }
    });
    const failed = Promise.race(loops.map((l) => l.then(() => new Promise<never>(() => {}))));
    const now = async () => (await stack.query<{ now: Date }>('SELECT clock_timestamp() AS now'))[0]!.now;
    const count = async (from: Date, to: Date) =>
      Number((await stack.query<{ n: string }>('SELECT count(*) AS n FROM videos WHERE completed_at > $1 AND completed_at <= $2', [from, to]))[0]!.n);
    const work = (async () => {
      while ((await count(new Date(0), new Date(Date.now() + 86_400_000))) === 0) await new Promise((r) => setTimeout(r, 200));
      const from = await now();
      progress(`throughput ${workers} worker(s): pipeline full, counting completions for ${seconds} s with ${inFlight} videos in flight…`);
      for (let s = 0; s < seconds; s += 10) {
        await new Promise((r) => setTimeout(r, Math.min(10, seconds - s) * 1000));
        progress(`  ${Math.min(s + 10, seconds)}/${seconds} s: ${await count(from, await now())} completed`);
      }
      const to = await now();
      stop = true;
      // All completions since the start too, so a window that saw none can be told from a stuck pipeline.
      progress(`  ${await count(new Date(0), to)} completed since the first submission, ${submitted} submitted`);
      return perMinute(await count(from, to), (to.getTime() - from.getTime()) / 1000);
    })();
    const result = await Promise.race([work, failed]);
    progress(`throughput ${workers} worker(s): ${result.toFixed(1)} videos per minute`);
    return result;
  });
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  cleanUpOnSignals();
  const runs = Number(arg('runs', '3'));
  try {
    if (mode === 'e2e') await e2e(runs);
    else if (mode === 'finish') await finish(runs);
    else if (mode === 'rss') await rss(runs);
    else if (mode === 'throughput') {
      const seconds = Number(arg('seconds', '60'));
      const inFlight = Number(arg('in-flight', '8'));
      const windows = Number(arg('runs', '1'));
      for (const workers of [1, 2]) {
        const perMin: number[] = [];
        for (let w = 0; w < windows; w++) perMin.push(await throughput(workers, seconds, inFlight));
        emit('throughput', { workers, slides: 6, seconds, inFlight, videosPerMinute: perMin });
      }
    } else {
      console.error('usage: bench-pipeline <e2e|finish|rss|throughput> [--runs N] [--cases espeak6,defaults6,defaults20] [--seconds S] [--in-flight N]');
      process.exitCode = 2;
    }
  } catch (e) {
    console.error(`bench-pipeline ${mode} failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}

await main();
