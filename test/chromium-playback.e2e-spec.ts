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
  const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255], [0, 255, 255]];
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
      await runner.run('ffmpeg', ['-nostdin', '-y', '-f', 'lavfi', '-i', `sine=frequency=${300 + 100 * i}:sample_rate=${i % 2 ? 24000 : 22050}:duration=${1.3 + (i % 3)}`, '-ac', '1', audioPath]);
      slides.push({ imagePath, audioPath, audioDurationSeconds: await measureAudioSeconds(runner, audioPath) });
    }
    result = await new VideoStitcher(runner)
      .withOptions({ slidesPerPass: 4 })
      .stitch({ slides, width: 1920, height: 1080, outPath: join(dir, 'v.mp4'), workDir: join(dir, 'work') });
    await writeFile(
      join(dir, 'page.html'),
      `<!doctype html><video id=v src="v.mp4" muted playsinline></video><script>
window.playback = new Promise((resolve, reject) => {
  const v = document.getElementById('v'), c = document.createElement('canvas'); c.width = 16; c.height = 9;
  const ctx = c.getContext('2d', { willReadFrequently: true }), frames = [];
  const onFrame = () => { ctx.drawImage(v, 0, 0, 16, 9); const d = ctx.getImageData(8, 4, 1, 1).data; frames.push([v.currentTime, d[0], d[1], d[2]]); v.requestVideoFrameCallback(onFrame); };
  v.requestVideoFrameCallback(onFrame);
  v.onended = () => resolve({ duration: v.duration, frames });
  v.onerror = () => reject(new Error('video error: ' + (v.error && v.error.message)));
  v.play().catch(reject);
});
</script>`,
    );
  }, 60_000);

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('shows every slide inside its own time window, and lasts as long as the audio', async () => {
    await chromium.open(pathToFileURL(join(dir, 'page.html')).href);
    const { duration, frames } = await chromium.evaluate<{ duration: number; frames: number[][] }>('window.playback');
    expect(Math.abs(duration - result.durationSeconds)).toBeLessThan(0.1);
    expect(frames.length).toBeGreaterThan(20);
    const nearest = (rgb: number[]) =>
      colours.map((c, i) => [Math.hypot(c[0]! - rgb[0]!, c[1]! - rgb[1]!, c[2]! - rgb[2]!), i] as const).sort((a, b) => a[0] - b[0])[0]![1];
    const firstSeen = new Map<number, number>();
    const TOLERANCE = 0.1; // the sync bound
    for (const [t, r, g, b] of frames) {
      const shown = nearest([r!, g!, b!]);
      const window = result.slides[shown]!;
      if (!firstSeen.has(shown)) firstSeen.set(shown, t!);
      expect({ shown, t, ok: t! >= window.startSeconds - TOLERANCE && t! < window.endSeconds + TOLERANCE }).toEqual({ shown, t, ok: true });
    }
    // Every slide was shown, each starting on time (not early, not late).
    expect([...firstSeen.keys()].sort()).toEqual(colours.map((_, i) => i));
    for (const [i, t] of firstSeen) expect(Math.abs(t - result.slides[i]!.startSeconds)).toBeLessThanOrEqual(TOLERANCE);
  }, 60_000);
});

describe('a video from the API, in a <video> element', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await startPipeline();
  }, 60_000);

  afterAll(() => h?.close());

  it('loads from its signed link, seeks and plays to the end', async () => {
    const token = await registerUser(h.api, 'viewer');
    const res = await h.api.http.post('/api/v1/videos/generate', { prompt: 'Volcanoes form where magma reaches the surface. Lava cools into new rock.', slideCount: 3 }, token);
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
