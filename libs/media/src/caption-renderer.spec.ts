import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, type Image, loadImage } from '@napi-rs/canvas';
import { CaptionBurner, captionStates } from './caption-burner.js';
import { captionBox } from './caption-box.js';
import { buildCaptionCues, type CaptionCue } from './caption-cues.js';
import { CaptionRenderer } from './caption-renderer.js';
import { SlideRenderer } from './slide-renderer.js';
import { AUDIO_LEAD_SECONDS as LEAD } from './timeline.js';

function pixels(img: Image): Uint8ClampedArray {
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height).data;
}
/** Mean colour change inside and outside the caption box, and how many box pixels are the highlight's yellow. */
function captionPixels(before: Uint8ClampedArray, after: Uint8ClampedArray, width: number, box: { x: number; y: number; width: number; height: number }) {
  const sum = { inside: 0, outside: 0, nIn: 0, nOut: 0, yellow: 0 };
  for (let i = 0; i < after.length; i += 4) {
    const x = (i / 4) % width;
    const y = Math.floor(i / 4 / width);
    const diff = Math.abs(after[i]! - before[i]!) + Math.abs(after[i + 1]! - before[i + 1]!) + Math.abs(after[i + 2]! - before[i + 2]!);
    const inside = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
    if (inside) {
      sum.inside += diff;
      sum.nIn++;
    } else {
      sum.outside += diff;
      sum.nOut++;
    }
    if (inside && after[i]! > 200 && after[i + 1]! > 170 && after[i + 2]! < 90) sum.yellow++;
  }
  return { inside: sum.inside / sum.nIn, outside: sum.outside / sum.nOut, yellow: sum.yellow };
}

const narration = 'Volcanoes form where magma reaches the surface, and the lava cools into new rock.';
const timing = {
  granularity: 'word' as const,
  marks: narration.split(' ').map((w, i) => ({ text: w, startSeconds: 0.2 + i * 0.3, endSeconds: 0.5 + i * 0.3 })),
};

describe('burned captions', () => {
  const slides = new SlideRenderer();
  const renderer = new CaptionRenderer();
  const cues = buildCaptionCues([{ narration, timing, startSeconds: 0, endSeconds: 5 }]);

  it.each(['light', 'dark', 'ocean'])(
    'draws the cue inside the caption box on the %s theme, the spoken word in yellow only in the word style',
    async (theme) => {
      for (const aspectRatio of ['16:9', '9:16', '1:1'] as const) {
        const png = await slides.render({
          deckTitle: 'D',
          title: 'Volcanoes',
          bullets: ['Magma'],
          index: 0,
          total: 1,
          aspectRatio,
          theme,
          captionBand: true,
        });
        const base = await loadImage(png);
        const before = pixels(base);
        const box = captionBox(aspectRatio);
        const cue: CaptionCue = cues[0]!;
        const phrase = captionPixels(before, pixels(await loadImage(await renderer.render(base, aspectRatio, cue))), base.width, box);
        const word = captionPixels(before, pixels(await loadImage(await renderer.render(base, aspectRatio, cue, 1))), base.width, box);
        // Outside the box only JPEG noise (a couple of levels on average); inside, the panel and text.
        expect(phrase.outside).toBeLessThan(4);
        expect(word.outside).toBeLessThan(4);
        expect(phrase.inside).toBeGreaterThan(30);
        expect(phrase.yellow).toBe(0);
        expect(word.yellow).toBeGreaterThan(100);
      }
    },
  );

  it('lists one state per cue (phrase) or per word (word), with the bare slide in the gaps', () => {
    const two = buildCaptionCues([
      {
        narration: 'Hello there. Bye.',
        timing: {
          granularity: 'word',
          marks: [
            { text: 'Hello', startSeconds: 0, endSeconds: 0.5 },
            { text: 'there.', startSeconds: 0.5, endSeconds: 1.2 },
            { text: 'Bye.', startSeconds: 3, endSeconds: 4.2 },
          ],
        },
        startSeconds: 10,
        endSeconds: 15,
      },
    ]);
    // The narration (and its marks) starts one AAC lead frame into the slide (timeline.ts).
    const at = (t: number) => expect.closeTo(t + LEAD, 9);
    expect(captionStates(two, 'phrase').map((s) => [s.atSeconds, s.cue?.lines.join(' ') ?? null])).toEqual([
      [at(10), 'Hello there.'],
      [at(11.2), null],
      [at(13), 'Bye.'],
      [at(14.2), null],
    ]);
    expect(captionStates(two, 'word').map((s) => [s.atSeconds, s.highlight ?? null])).toEqual([
      [at(10), 0],
      [at(10.5), 1],
      [at(11.2), null],
      [at(13), 0],
      [at(14.2), null],
    ]);
  });

  it('writes one image per state and lists them as offsets from the slide start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blinked-burn-'));
    try {
      const imagePath = join(dir, 's.png');
      await writeFile(
        imagePath,
        await slides.render({ deckTitle: 'D', title: 'T', bullets: [], index: 0, total: 1, aspectRatio: '16:9', theme: 'light' }),
      );
      const burner = new CaptionBurner(renderer);
      const slideCues = buildCaptionCues([
        { narration: 'x', timing: null, startSeconds: 0, endSeconds: 2 },
        { narration, timing, startSeconds: 2, endSeconds: 8 },
      ]).filter((c) => c.slideIndex === 1);
      const [none, changes] = await burner.burn({
        slides: [
          { imagePath, startSeconds: 0, endSeconds: 2 },
          { imagePath, startSeconds: 2, endSeconds: 8 },
        ],
        cues: slideCues,
        aspectRatio: '16:9',
        style: 'word',
        workDir: dir,
      });
      expect(none).toEqual([]);
      const words = slideCues.reduce((a, c) => a + c.words.length, 0);
      expect(changes!.filter((c) => c.imagePath !== imagePath)).toHaveLength(words);
      expect(changes![0]!.offsetSeconds).toBeCloseTo(LEAD + 0.2, 9);
      expect(changes!.at(-1)!).toEqual({ imagePath, offsetSeconds: expect.closeTo(slideCues.at(-1)!.endSeconds - 2, 9) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
