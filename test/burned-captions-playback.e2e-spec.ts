import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { SpeechTiming } from '@app/common';
import {
  buildCaptionCues,
  captionBox,
  CaptionBurner,
  CaptionRenderer,
  type CaptionState,
  captionStates,
  measureAudioSeconds,
  SpawnMediaRunner,
  VideoStitcher,
} from '@app/media';
import { Chromium } from './support/chromium.js';

/**
 * Burned captions played in a real browser (Debian's Chromium, headless): at each time, the
 * caption on screen is the one for the words spoken then. Its own file (not part of
 * chromium-playback.e2e-spec.ts) so the two heavy encodes run beside the other browser tests.
 */
let chromium: Chromium;

beforeAll(async () => {
  chromium = await Chromium.launch();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
});

describe.each(['phrase', 'word'] as const)('burned captions (%s style), frame by frame in Chromium', (style) => {
  // Small frames keep the comparison cheap: the caption box of a 240x135 copy of each frame.
  const W = 240;
  const H = 135;
  const full = captionBox('16:9');
  const k = W / 1920;
  const box = { x: Math.round(full.x * k), y: Math.round(full.y * k), width: Math.round(full.width * k), height: Math.round(full.height * k) };
  const narrations = [
    'Volcanoes form where magma reaches the surface. Lava cools into new rock.',
    'Every eruption adds a layer, and the mountain grows taller, wider and steeper over many years.',
    'Some volcanoes sleep for centuries.',
  ];
  let dir: string;
  /** Every caption state of the video, with its absolute time span and its reference pixels. */
  let states: { state: CaptionState; from: number; to: number; pixels: number[] }[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `blinked-captions-${style}-`));
    const runner = new SpawnMediaRunner();
    const slides = [];
    for (const [i, hex] of ['203040', 'f0e0c0', '405020'].entries()) {
      const imagePath = join(dir, `s${i}.png`);
      const audioPath = join(dir, `a${i}.wav`);
      await runner.run('ffmpeg', ['-nostdin', '-y', '-f', 'lavfi', '-i', `color=c=0x${hex}:s=1920x1080`, '-frames:v', '1', imagePath]);
      const seconds = narrations[i]!.split(' ').length * 0.4 + 0.3;
      await runner.run('ffmpeg', ['-nostdin', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=24000:duration=${seconds}`, audioPath]);
      slides.push({ imagePath, audioPath, audioDurationSeconds: await measureAudioSeconds(runner, audioPath) });
    }
    // Word marks as Festival reports them: back to back, 0.4 s a word after 0.15 s of lead-in.
    const timings: SpeechTiming[] = narrations.map((n) => ({
      granularity: 'word',
      marks: n.split(' ').map((text, w) => ({ text, startSeconds: 0.15 + w * 0.4, endSeconds: 0.15 + (w + 1) * 0.4 })),
    }));
    const stitcher = new VideoStitcher(runner).withOptions({ slidesPerPass: 4 });
    const windows = stitcher.plan(slides.map((s) => s.audioDurationSeconds)).slides;
    const cues = buildCaptionCues(narrations.map((narration, i) => ({ narration, timing: timings[i]!, ...windows[i]! })));
    const burnDir = join(dir, 'burn');
    await mkdir(burnDir);
    const changes = await new CaptionBurner(new CaptionRenderer()).burn({
      slides: slides.map((s, i) => ({ imagePath: s.imagePath, ...windows[i]! })),
      cues,
      aspectRatio: '16:9',
      style,
      workDir: burnDir,
    });
    await stitcher.stitch({
      slides: slides.map((s, i) => ({ ...s, changes: changes[i] })),
      width: 1920,
      height: 1080,
      outPath: join(dir, 'v.mp4'),
      workDir: join(dir, 'work'),
    });
    // The reference for each state: the very image the burner drew for it (the bare slide in gaps).
    states = [];
    for (const [i, w] of windows.entries()) {
      const list = [
        { atSeconds: w.startSeconds } as CaptionState,
        ...captionStates(
          cues.filter((c) => c.slideIndex === i),
          style,
        ),
      ];
      const paths = [slides[i]!.imagePath, ...changes[i]!.map((c) => c.imagePath)];
      for (const [n, state] of list.entries()) {
        states.push({ state, from: state.atSeconds, to: list[n + 1]?.atSeconds ?? w.endSeconds, pixels: await boxPixels(paths[n]!) });
      }
    }
    await writeFile(join(dir, 'page.html'), CAPTION_PAGE);
  }, 120_000);

  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function boxPixels(path: string): Promise<number[]> {
    const ctx = createCanvas(W, H).getContext('2d');
    ctx.drawImage(await loadImage(path), 0, 0, W, H);
    return Array.from(ctx.getImageData(box.x, box.y, box.width, box.height).data);
  }
  const distance = (a: number[], b: number[]) => {
    let d = 0;
    for (let i = 0; i < a.length; i += 4) d += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
    return d / (a.length / 4);
  };

  it('shows, at each time, the caption of the cue (and word) spoken then', async () => {
    // Probes in the middle of every state that lasts long enough to judge.
    const probes = states.map((s, n) => ({ n, t: (s.from + s.to) / 2 })).filter((p) => states[p.n]!.to - states[p.n]!.from >= 0.3);
    expect(probes.length).toBeGreaterThan(style === 'word' ? 30 : 6);
    await chromium.open(pathToFileURL(join(dir, 'page.html')).href);
    const seen = await chromium.evaluate<number[][]>(`window.boxesAt(${JSON.stringify(probes.map((p) => p.t))}, ${JSON.stringify(box)}, ${W}, ${H})`);
    const got = seen.map((pixels) => {
      const ranked = states.map((s, n) => [distance(pixels, s.pixels), n] as const).sort((a, b) => a[0] - b[0]);
      return ranked[0]![1];
    });
    const describe = (n: number) => {
      const s = states[n]!.state;
      return s.cue ? `${s.cue.lines.join(' / ')}${s.highlight === undefined ? '' : ` [${s.cue.words[s.highlight]!.text}]`}` : '(no caption)';
    };
    expect(got.map(describe)).toEqual(probes.map((p) => describe(p.n)));
    expect(states.some((s) => s.state.cue)).toBe(true);
  }, 60_000);
});

/** `boxesAt(times, box, w, h)`: seeks to each (increasing) time, waits for that frame, and returns the box's pixels of a w x h copy. */
const CAPTION_PAGE = `<!doctype html><video id=v src="v.mp4" muted playsinline></video><script>
const v = document.getElementById('v'), c = document.createElement('canvas');
const ctx = c.getContext('2d', { willReadFrequently: true });
window.boxesAt = async (times, box, w, h) => {
  c.width = w; c.height = h;
  if (v.readyState < 1) await new Promise((resolve, reject) => { v.onloadedmetadata = resolve; v.onerror = () => reject(new Error('video error')); });
  const out = [];
  // A frame presented for time t (frames repeat at most 0.25 s apart): the first callback can
  // be the stale first frame of the freshly loaded video, presented while the seek runs.
  const frameFor = (t) => new Promise((resolve) => {
    const wait = () => v.requestVideoFrameCallback((_, m) => (m.mediaTime >= t - 0.3 ? resolve() : wait()));
    wait();
  });
  for (const t of times) {
    const presented = frameFor(t);
    await new Promise((resolve) => { v.onseeked = resolve; v.currentTime = t; });
    await presented;
    ctx.drawImage(v, 0, 0, w, h);
    out.push(Array.from(ctx.getImageData(box.x, box.y, box.width, box.height).data));
  }
  return out;
};
</script>`;
