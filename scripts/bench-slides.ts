// The slides stage's rendering on 1080p slides, old way and new in the same run.
//  1. One slide (no picture, a Tabler icon, a ~1 MB JPEG photo): drawing, Skia's PNG encoder
//     (canvas.encode, the old way) and fast-png.ts (the new), ms each, and the PNG sizes.
//  2. A whole deck of 6 and of 20 icon slides as the deck stage renders it (render → write the
//     file → drop), each mode in a fresh child process so its peak RSS (VmHWM) is its own:
//     skia-seq (before: one after another, Skia's encoder), fast-seq, fast-par (mapBounded,
//     slideConcurrency() at once: the deck stage now). Rounds are interleaved.
// Usage: npm run bench:slides  [-- --runs 5 --rounds 3 --decks 6,20]
// The last lines are JSON, one per figure (scripts/bench/report.ts).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { encodeFastPng, mapBounded, slideConcurrency, SlideRenderer, type RenderSlideInput, type SlidePicture } from '@app/media';
import { arg, emit, round } from './bench/report.js';

const require = createRequire(import.meta.url);
const MODES = ['skia-seq', 'fast-seq', 'fast-par'] as const;
type Mode = (typeof MODES)[number];

const BASE: Omit<RenderSlideInput, 'picture'> = {
  deckTitle: 'Photosynthesis',
  title: 'The light reactions',
  bullets: ['Chlorophyll absorbs red and blue light', 'Water is split, oxygen is released', 'Energy is stored in ATP and NADPH'],
  index: 1,
  total: 5,
  aspectRatio: '16:9',
  theme: 'light',
};

const icon = (): SlidePicture => ({ kind: 'icon', data: readFileSync(require.resolve('@tabler/icons/outline/plant.svg')) });

/** A noisy 1600x1200 JPEG of about 1 MB: noise does not compress, like a real photo's detail. */
async function photo(): Promise<Buffer> {
  const c = createCanvas(1600, 1200);
  const ctx = c.getContext('2d');
  const img = ctx.createImageData(1600, 1200);
  let seed = 7;
  for (let i = 0; i < img.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    img.data[i] = seed & 255;
    img.data[i + 1] = (seed >> 8) & 255;
    img.data[i + 2] = (seed >> 16) & 255;
    img.data[i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c.encode('jpeg', 75);
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  // CPU ms too: on a shared, loaded machine wall time says little; CPU time is the work done.
  return [value, performance.now() - t, (used.user + used.system) / 1000];
}

async function perSlide(runs: number): Promise<void> {
  const renderer = new SlideRenderer();
  const jpeg = await photo();
  const cases: Record<string, SlidePicture | undefined> = {
    none: undefined,
    icon: icon(),
    photo: { kind: 'image', data: jpeg, attribution: 'Photo by Jane Doe on Pexels' },
  };
  for (const [name, picture] of Object.entries(cases)) {
    await renderer.render({ ...BASE, picture }); // warm-up: fonts, caches
    const draw: number[] = [];
    const skia: number[] = [];
    const fast: number[] = [];
    const cpu = { skia: [] as number[], fast: [] as number[] };
    let sizes = { skia: 0, fast: 0 };
    for (let i = 0; i < runs; i++) {
      const [drawn, d] = await timed(() => renderer.drawSlide({ ...BASE, picture, index: 1 + (i % 4) }));
      // Alternate which encoder goes first, so neither always meets a warmer cache.
      const order = i % 2 ? (['fast', 'skia'] as const) : (['skia', 'fast'] as const);
      for (const which of order) {
        const [png, ms, cpuMs] = await timed(() => (which === 'skia' ? drawn.canvas.encode('png') : encodeFastPng(drawn.canvas)));
        (which === 'skia' ? skia : fast).push(ms);
        cpu[which].push(cpuMs);
        sizes = { ...sizes, [which]: png.length };
      }
      draw.push(d);
    }
    console.log(
      `${name}: draw ${round(median(draw))} ms, skia png ${round(median(skia))} ms (cpu ${round(median(cpu.skia))}), fast png ${round(median(fast))} ms (cpu ${round(median(cpu.fast))})`,
    );
    emit(`slides-one-${name}`, {
      drawMs: draw,
      skiaPngMs: skia,
      fastPngMs: fast,
      skiaPngCpuMs: cpu.skia,
      fastPngCpuMs: cpu.fast,
      skiaPngBytes: sizes.skia,
      fastPngBytes: sizes.fast,
      ...(name === 'photo' ? { jpegBytes: jpeg.length } : {}),
    });
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** The child: one deck in one mode; prints {ms, hwmMb}. */
async function child(mode: Mode, slides: number): Promise<void> {
  const renderer = new SlideRenderer();
  const picture = icon();
  await renderer.render({ ...BASE, picture }); // fonts and the icon, as a worker that has rendered before
  const dir = await mkdtemp(join(tmpdir(), 'bench-slides-'));
  const one = async (i: number): Promise<void> => {
    const input = { ...BASE, title: `Slide ${i + 1}: the light reactions`, index: i, total: slides, picture };
    const png = mode === 'skia-seq' ? await (await renderer.drawSlide(input)).canvas.encode('png') : await renderer.render(input);
    await writeFile(join(dir, `${i}.png`), png);
  };
  const indices = Array.from({ length: slides }, (_, i) => i);
  const [, ms, cpuMs] = await timed(() => mapBounded(indices, mode === 'fast-par' ? slideConcurrency() : 1, one));
  await rm(dir, { recursive: true, force: true });
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))!;
  process.send!({ ms, cpuMs, hwmMb: Number(hwm[1]) / 1024 }, () => process.disconnect());
}

function runChild(mode: Mode, slides: number): Promise<{ ms: number; cpuMs: number; hwmMb: number }> {
  return new Promise((resolve, reject) => {
    const p = fork(new URL(import.meta.url).pathname, ['--child', mode, '--slides', String(slides)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    p.once('message', (m) => resolve(m as { ms: number; cpuMs: number; hwmMb: number }));
    p.once('exit', (code) => (code ? reject(new Error(`${mode} child exited ${code}`)) : undefined));
  });
}

async function decks(rounds: number, sizes: number[]): Promise<void> {
  for (const slides of sizes) {
    const ms: Record<Mode, number[]> = { 'skia-seq': [], 'fast-seq': [], 'fast-par': [] };
    const hwm: Record<Mode, number[]> = { 'skia-seq': [], 'fast-seq': [], 'fast-par': [] };
    const cpu: Record<Mode, number[]> = { 'skia-seq': [], 'fast-seq': [], 'fast-par': [] };
    for (let r = 0; r < rounds; r++) {
      for (const mode of r % 2 ? [...MODES].reverse() : MODES) {
        const out = await runChild(mode, slides);
        ms[mode].push(out.ms / slides);
        hwm[mode].push(out.hwmMb);
        cpu[mode].push(out.cpuMs / slides);
      }
    }
    for (const mode of MODES) {
      console.log(
        `${slides} slides, ${mode}: ${round(median(ms[mode]))} ms a slide (cpu ${round(median(cpu[mode]))}), peak RSS ${round(median(hwm[mode]))} MB`,
      );
      emit(`slides-deck-${slides}-${mode}`, {
        msPerSlide: ms[mode],
        cpuMsPerSlide: cpu[mode],
        deckMs: ms[mode].map((m) => m * slides),
        peakRssMb: hwm[mode],
        concurrency: mode === 'fast-par' ? slideConcurrency() : 1,
      });
    }
  }
}

if (process.argv.includes('--child')) {
  await child(arg('child', 'fast-seq') as Mode, Number(arg('slides', '6')));
} else {
  await perSlide(Number(arg('runs', '5')));
  await decks(Number(arg('rounds', '3')), arg('decks', '6,20').split(',').map(Number));
}
