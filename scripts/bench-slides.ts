// Times SlideRenderer.render on 1080p slides: no picture, a Tabler icon, and a ~1 MB JPEG photo.
// Usage: npm run bench:slides  [-- --runs 9]
// The last line of output is JSON: per case the median and the min..max of ms per slide.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createCanvas } from '@napi-rs/canvas';
import { SlideRenderer, type RenderSlideInput, type SlidePicture } from '@app/media';

const require = createRequire(import.meta.url);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

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

async function main(): Promise<void> {
  const runs = Number(arg('runs', '9'));
  const renderer = new SlideRenderer();
  const icon = readFileSync(require.resolve('@tabler/icons/outline/plant.svg'));
  const jpeg = await photo();
  const cases: Record<string, SlidePicture | undefined> = {
    none: undefined,
    icon: { kind: 'icon', data: icon },
    photo: { kind: 'image', data: jpeg, attribution: 'Photo by Jane Doe on Pexels' },
  };
  const base: Omit<RenderSlideInput, 'picture'> = {
    deckTitle: 'Photosynthesis',
    title: 'The light reactions',
    bullets: ['Chlorophyll absorbs red and blue light', 'Water is split, oxygen is released', 'Energy is stored in ATP and NADPH'],
    index: 1,
    total: 5,
    aspectRatio: '16:9',
    theme: 'light',
  };
  const result: Record<string, { medianMs: number; minMs: number; maxMs: number }> = {};
  for (const [name, picture] of Object.entries(cases)) {
    await renderer.render({ ...base, picture }); // warm-up: fonts, caches
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await renderer.render({ ...base, picture, index: 1 + (i % 4) });
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    result[name] = { medianMs: round(ms[Math.floor(ms.length / 2)]), minMs: round(ms[0]), maxMs: round(ms[ms.length - 1]) };
    console.log(`${name}: median ${result[name].medianMs} ms (${result[name].minMs}..${result[name].maxMs}) over ${runs}`);
  }
  console.log(JSON.stringify({ jpegBytes: jpeg.length, runs, ...result }));
}

await main();
