import { appendFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureAudioSeconds, SpawnMediaRunner, type StitchResult, VideoStitcher } from '@app/media';
import { Chromium } from './support/chromium.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';

/**
 * "A file that ffprobe likes can still play wrong": these tests play our MP4s in
 * a real browser (Debian's Chromium, headless).
 */
let chromium: Chromium;

beforeAll(async () => {
  chromium = await Chromium.launch();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
});

describe('the stitcher, frame by frame in Chromium', () => {
  const colours = [
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [255, 255, 0],
    [255, 0, 255],
    [0, 255, 255],
  ];
  let dir: string;
  let result: StitchResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blinked-playback-'));
    const runner = new SpawnMediaRunner();
    const slides = [];
    // Solid colours make "which slide is on screen" exact; WAV and MP3 at two sample
    // rates and two encode passes (slidesPerPass 4) cover the joins too.
    for (const [i, rgb] of colours.entries()) {
      const hex = rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
      const imagePath = join(dir, `s${i}.png`);
      const audioPath = join(dir, `a${i}.${i % 2 ? 'mp3' : 'wav'}`);
      await runner.run('ffmpeg', ['-nostdin', '-y', '-f', 'lavfi', '-i', `color=c=0x${hex}:s=1920x1080`, '-frames:v', '1', imagePath]);
      await runner.run('ffmpeg', [
        '-nostdin',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=${300 + 100 * i}:sample_rate=${i % 2 ? 24000 : 22050}:duration=${1.3 + (i % 3)}`,
        '-ac',
        '1',
        audioPath,
      ]);
      slides.push({ imagePath, audioPath, audioDurationSeconds: await measureAudioSeconds(runner, audioPath) });
    }
    result = await new VideoStitcher(runner)
      .withOptions({ slidesPerPass: 4 })
      .stitch({ slides, width: 1920, height: 1080, outPath: join(dir, 'v.mp4'), workDir: join(dir, 'work') });
    await writeFile(join(dir, 'page.html'), PLAYER_PAGE);
  }, 60_000);

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const nearest = (rgb: number[]) =>
    colours.map((c, i) => [Math.hypot(c[0]! - rgb[0]!, c[1]! - rgb[1]!, c[2]! - rgb[2]!), i] as const).sort((a, b) => a[0] - b[0])[0]![1];
  const TOLERANCE = 0.1; // the sync bound

  it('shows every slide inside its own time window, and lasts as long as the audio', async () => {
    await chromium.open(pathToFileURL(join(dir, 'page.html')).href);
    const { duration, frames } = await chromium.evaluate<{ duration: number; frames: number[][] }>('window.playback()');
    expect(Math.abs(duration - result.durationSeconds)).toBeLessThan(0.1);
    expect(frames.length).toBeGreaterThan(20);
    // Each presented frame is judged by its own presentation timestamp (mediaTime) for
    // "not after its window", and by the player's clock when the callback ran for
    // "not before its window": a busy machine only delays callbacks, so the clock
    // reading can come out late but never early, and the frame's timestamp does not
    // depend on when we looked at all.
    const firstSeen = new Map<number, number>();
    let earliest = 0;
    for (const [clock, mediaTime, r, g, b] of frames) {
      const shown = nearest([r!, g!, b!]);
      const window = result.slides[shown]!;
      if (!firstSeen.has(shown)) firstSeen.set(shown, clock!);
      earliest = Math.max(earliest, window.startSeconds - clock!);
      const ok = clock! >= window.startSeconds - TOLERANCE && mediaTime! < window.endSeconds + TOLERANCE;
      expect({ shown, clock, mediaTime, ok }).toEqual({ shown, clock, mediaTime, ok: true });
    }
    // Every slide was shown, none early.
    expect([...firstSeen.keys()].sort()).toEqual(colours.map((_, i) => i));
    for (const [i, t] of firstSeen) expect(t - result.slides[i]!.startSeconds).toBeGreaterThanOrEqual(-TOLERANCE);
    report('playback', { earliestSeconds: earliest, firstSeenOffsets: [...firstSeen].map(([i, t]) => round(t - result.slides[i]!.startSeconds)) });
  }, 60_000);

  it('changes slides on time: at start + 0.1 s the new slide is on screen, at start - 0.1 s the old one', async () => {
    await chromium.open(pathToFileURL(join(dir, 'page.html')).href);
    // Seeking and reading the paused frame asks the player which frame belongs to a
    // media time; unlike polling during playback, its answer does not depend on load.
    const probes = result.slides.flatMap((s, i) => [
      { t: s.startSeconds + TOLERANCE, want: i },
      { t: (s.startSeconds + s.endSeconds) / 2, want: i },
      ...(i > 0 ? [{ t: s.startSeconds - TOLERANCE, want: i - 1 }] : []),
    ]);
    const seen = await chromium.evaluate<number[][]>(`window.framesAt(${JSON.stringify(probes.map((p) => p.t))})`);
    const got = seen.map(([, , r, g, b]) => nearest([r!, g!, b!]));
    expect(got).toEqual(probes.map((p) => p.want));
    // Where each slide's first frame is: its presentation timestamp against the slide's start.
    const offsets = result.slides.map((s, i) => {
      const at = seen.find((_, k) => probes[k]!.want === i && probes[k]!.t === s.startSeconds + TOLERANCE)!;
      return round(at[1]! - s.startSeconds);
    });
    for (const o of offsets) expect(Math.abs(o)).toBeLessThanOrEqual(TOLERANCE);
    report('seek', { slideStartOffsets: offsets });
  }, 60_000);
});

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Offsets go to a file when BLINKED_PLAYBACK_REPORT names one, for measuring under load; tests stay quiet. */
function report(what: string, data: object): void {
  const file = process.env.BLINKED_PLAYBACK_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify({ what, ...data })}\n`);
}

/**
 * The player page: `playback()` plays to the end, recording for every presented
 * frame (requestVideoFrameCallback) the clock, the frame's mediaTime and its
 * centre pixel; `framesAt(times)` seeks to each time, waits for that frame to be
 * presented and records the same.
 */
const PLAYER_PAGE = `<!doctype html><video id=v src="v.mp4" muted playsinline></video><script>
const v = document.getElementById('v'), c = document.createElement('canvas'); c.width = 16; c.height = 9;
const ctx = c.getContext('2d', { willReadFrequently: true });
const pixel = () => { ctx.drawImage(v, 0, 0, 16, 9); const d = ctx.getImageData(8, 4, 1, 1).data; return [d[0], d[1], d[2]]; };
const failed = () => new Error('video error: ' + (v.error && v.error.message));
window.playback = () => new Promise((resolve, reject) => {
  const frames = [];
  const onFrame = (now, meta) => { const rgb = pixel(); frames.push([v.currentTime, meta.mediaTime, ...rgb]); v.requestVideoFrameCallback(onFrame); };
  v.requestVideoFrameCallback(onFrame);
  v.onended = () => resolve({ duration: v.duration, frames });
  v.onerror = () => reject(failed());
  v.play().catch(reject);
});
window.framesAt = async (times) => {
  if (v.readyState < 1) await new Promise((resolve, reject) => { v.onloadedmetadata = resolve; v.onerror = () => reject(failed()); });
  const out = [];
  for (const t of times) {
    const presented = new Promise((resolve) => v.requestVideoFrameCallback((now, meta) => resolve(meta.mediaTime)));
    await new Promise((resolve) => { v.onseeked = resolve; v.currentTime = t; });
    const mediaTime = await presented;
    out.push([t, mediaTime, ...pixel()]);
  }
  return out;
};
</script>`;

describe('a video from the API, in a <video> element', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await startPipeline();
  }, 60_000);

  afterAll(() => h?.close());

  it('loads from its signed link, seeks and plays to the end', async () => {
    const token = await registerUser(h.api, 'viewer');
    const res = await h.api.http.post(
      '/api/v1/videos/generate',
      { prompt: 'Volcanoes form where magma reaches the surface. Lava cools into new rock.', slideCount: 3 },
      token,
    );
    const { video } = await waitForVideo(h.api, token, res.body.id);
    expect(video.status).toBe('completed');
    const src = h.api.http.baseUrl + video.links.file;

    // A page on the api's own origin (Chromium refuses local-network media to about:blank).
    await chromium.open(`${h.api.http.baseUrl}/health`);
    const outcome = await chromium.evaluate<{ duration: number; seekedTo: number; readyAfterSeek: number; ended: boolean; played: number }>(`
      new Promise((resolve, reject) => {
        const v = document.createElement('video');
        v.muted = true;
        v.preload = 'auto';
        v.onerror = () => reject(new Error('video error ' + (v.error && v.error.code) + ': ' + (v.error && v.error.message)));
        const out = {};
        v.onloadedmetadata = () => {
          out.duration = v.duration;
          v.currentTime = v.duration * 0.6;
          v.onseeked = () => {
            out.seekedTo = v.currentTime;
            out.readyAfterSeek = v.readyState;
            v.onseeked = null;
            v.currentTime = Math.max(0, v.duration - 1.5);
            v.onseeked = () => { v.onseeked = null; const from = v.currentTime; v.onended = () => resolve({ ...out, ended: true, played: v.currentTime - from }); v.play().catch(reject); };
          };
        };
        v.src = ${JSON.stringify(src)};
        document.body.appendChild(v);
      })`);
    expect(Math.abs(outcome.duration - video.durationSeconds)).toBeLessThan(0.1);
    expect(Math.abs(outcome.seekedTo - video.durationSeconds * 0.6)).toBeLessThan(0.5);
    expect(outcome.readyAfterSeek).toBeGreaterThanOrEqual(2); // HAVE_CURRENT_DATA: the frame at the seek point decoded
    expect(outcome.ended).toBe(true);
    expect(outcome.played).toBeGreaterThan(1);
    await chromium.open('about:blank'); // let go of the media connection before the api closes
  }, 120_000);
});
