// Renders sample slides with pictures, one PNG per layout, for eyes (and README frames).
// Usage: npm run build && bash scripts/node-env.sh node dist/scripts/slide-samples.js [--out /tmp/layouts]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { ASPECT_RATIOS, SlideRenderer, type AspectRatio, type SlidePicture } from '@app/media';

const require = createRequire(import.meta.url);

/** A made-up landscape photo (sky, sun, hills), so no image has to be shipped. */
async function landscape(): Promise<Buffer> {
  const c = createCanvas(1600, 1067);
  const ctx = c.getContext('2d');
  const sky = ctx.createLinearGradient(0, 0, 0, 700);
  sky.addColorStop(0, '#5fa8e8');
  sky.addColorStop(1, '#f6d7a7');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, 1600, 1067);
  ctx.fillStyle = '#ffd166';
  ctx.beginPath();
  ctx.arc(1150, 330, 120, 0, Math.PI * 2);
  ctx.fill();
  for (const [y, colour] of [
    [620, '#4f772d'],
    [760, '#31572c'],
  ] as const) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(0, 1067);
    for (let x = 0; x <= 1600; x += 20) ctx.lineTo(x, y + Math.sin(x / 170 + y) * 70);
    ctx.lineTo(1600, 1067);
    ctx.fill();
  }
  return c.encode('jpeg', 88);
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const out = arg('out', '/tmp/layouts');
  mkdirSync(out, { recursive: true });
  const renderer = new SlideRenderer();
  const icon: SlidePicture = { kind: 'icon', data: readFileSync(require.resolve('@tabler/icons/outline/plant.svg')) };
  const photo: SlidePicture = { kind: 'image', data: await landscape(), attribution: 'Photo by Jane Doe on Pexels' };
  const deck = { deckTitle: 'Photosynthesis: how plants feed the world', total: 5 };
  const title = { title: 'Photosynthesis', bullets: ['How plants turn light into sugar'], index: 0 };
  const content = {
    title: 'The light reactions',
    bullets: ['Chlorophyll absorbs red and blue light', 'Water is split and oxygen is released', 'Energy is stored in ATP and NADPH'],
    index: 1,
  };
  const themes: Record<AspectRatio, string> = { '16:9': 'light', '9:16': 'dark', '1:1': 'sunset' };
  for (const aspectRatio of Object.keys(ASPECT_RATIOS) as AspectRatio[]) {
    for (const [pictureName, picture] of [
      ['icon', icon],
      ['photo', photo],
    ] as const) {
      for (const [slideName, slide] of [
        ['title', title],
        ['content', content],
      ] as const) {
        const name = `${aspectRatio.replace(':', 'x')}-${pictureName}-${slideName}.png`;
        writeFileSync(join(out, name), await renderer.render({ ...deck, ...slide, aspectRatio, theme: themes[aspectRatio], picture }));
        console.log(join(out, name));
      }
    }
  }
  const extra: [string, Parameters<SlideRenderer['render']>[0]][] = [
    ['9x16-photo-content-captionband.png', { ...deck, ...content, aspectRatio: '9:16', theme: 'ocean', picture: photo, captionBand: true }],
    ['1x1-photo-content-captionband.png', { ...deck, ...content, aspectRatio: '1:1', theme: 'light', picture: photo, captionBand: true }],
    ['16x9-icon-content-captionband.png', { ...deck, ...content, aspectRatio: '16:9', theme: 'forest', picture: icon, captionBand: true }],
    [
      '16x9-icon-content-rtl.png',
      {
        ...deck,
        title: 'التمثيل الضوئي',
        bullets: ['يمتص الكلوروفيل الضوء الأحمر والأزرق', 'ينطلق الأكسجين'],
        index: 1,
        aspectRatio: '16:9',
        theme: 'dark',
        picture: icon,
      },
    ],
  ];
  for (const [name, input] of extra) {
    writeFileSync(join(out, name), await renderer.render(input));
    console.log(join(out, name));
  }
}

await main();
