// Plays a stitched MP4 in headless Chromium and checks, frame by presented frame, that the
// picture is the slide whose window contains the media time (ffprobe can like a file that
// Chromium plays wrong: sparse VFR slides once showed up to 8.8 s early).
//
//   npm run build && node --experimental-websocket libs/media/tools/chromium-playback-check.mjs
//
// Needs the Debian package chromium. Slides are solid colours so the check is exact; two
// passes per deck (slidesPerPass 4) so the concat joins are covered too. Exit code 1 on failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const lib = process.argv[2] ?? new URL('../../../dist/libs/media/src/index.js', import.meta.url).pathname;
const { SpawnMediaRunner, VideoStitcher, measureAudioSeconds } = await import(pathToFileURL(lib).href);
const dir = mkdtempSync(join(tmpdir(), 'playback-check-'));
const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255], [0, 255, 255]];
const runner = new SpawnMediaRunner();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let chrome;
try {
  const slides = [];
  for (const [i, [r, g, b]] of colours.entries()) {
    const hex = [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
    const imagePath = join(dir, `s${i}.png`);
    const audioPath = join(dir, `a${i}.${i % 2 ? 'mp3' : 'wav'}`);
    await runner.run('ffmpeg', ['-nostdin', '-hide_banner', '-y', '-f', 'lavfi', '-i', `color=c=0x${hex}:s=1920x1080`, '-frames:v', '1', imagePath]);
    await runner.run('ffmpeg', ['-nostdin', '-hide_banner', '-y', '-f', 'lavfi', '-i', `sine=frequency=${300 + 100 * i}:sample_rate=${i % 2 ? 24000 : 22050}:duration=${1.3 + (i % 3)}`, '-ac', '1', audioPath]);
    slides.push({ imagePath, audioPath, audioDurationSeconds: await measureAudioSeconds(runner, audioPath) });
  }
  const result = await new VideoStitcher(runner).withOptions({ slidesPerPass: 4 }).stitch({ slides, width: 1920, height: 1080, outPath: join(dir, 'v.mp4'), workDir: join(dir, 'work') });

  writeFileSync(
    join(dir, 'page.html'),
    `<!doctype html><video id=v src="v.mp4" muted playsinline></video><pre id=out>pending</pre><script>
const v = document.getElementById('v'), c = document.createElement('canvas'); c.width = 16; c.height = 9;
const ctx = c.getContext('2d', { willReadFrequently: true }), log = [];
const onFrame = (now, meta) => { ctx.drawImage(v, 0, 0, 16, 9); const d = ctx.getImageData(8, 4, 1, 1).data; log.push([v.currentTime, d[0], d[1], d[2], meta.mediaTime]); v.requestVideoFrameCallback(onFrame); };
v.requestVideoFrameCallback(onFrame);
v.onended = () => { out.textContent = 'RESULT ' + JSON.stringify({ duration: v.duration, log }); };
v.onerror = () => { out.textContent = 'ERROR ' + (v.error && v.error.message); };
v.play().catch((e) => { out.textContent = 'ERROR ' + e; });
</script>`,
  );
  chrome = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', '--allow-file-access-from-files', '--remote-debugging-port=9339', 'about:blank'], { stdio: 'ignore' });
  let target;
  for (let i = 0; i < 100 && !target; i++) {
    await sleep(200);
    target = await fetch('http://127.0.0.1:9339/json').then((r) => r.json()).then((t) => t.find((p) => p.type === 'page')).catch(() => undefined);
  }
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r) => ws.addEventListener('open', r));
  let id = 0;
  const waiting = new Map();
  ws.addEventListener('message', (e) => { const m = JSON.parse(e.data); waiting.get(m.id)?.(m.result); });
  const send = (method, params = {}) => new Promise((r) => { waiting.set(++id, r); ws.send(JSON.stringify({ id, method, params })); });
  await send('Page.navigate', { url: pathToFileURL(join(dir, 'page.html')).href });
  let text = 'pending';
  for (let i = 0; i < 120 && (!text || text === 'pending'); i++) {
    await sleep(500);
    text = (await send('Runtime.evaluate', { expression: "document.getElementById('out')?.textContent", returnByValue: true }))?.result?.value;
  }
  ws.close();
  if (!text?.startsWith('RESULT ')) throw new Error(`playback failed: ${text}`);
  const { duration, log } = JSON.parse(text.slice(7));
  const nearest = (rgb) => colours.map((c, i) => [Math.hypot(c[0] - rgb[0], c[1] - rgb[1], c[2] - rgb[2]), i]).sort((a, b) => a[0] - b[0])[0][1];
  // Judge by the playback clock (currentTime) when the frame is presented, not by the frame's
  // own timestamp: the failure being guarded against is a frame presented before its time.
  const TOLERANCE = 0.1;
  let wrong = 0;
  const first = {};
  for (const [t, r, g, b] of log) {
    const shown = nearest([r, g, b]);
    const w = result.slides[shown];
    first[shown] ??= t;
    if (!(t >= w.startSeconds - TOLERANCE && t < w.endSeconds + TOLERANCE)) {
      wrong++;
      console.log(`slide ${shown} (${w.startSeconds.toFixed(3)}-${w.endSeconds.toFixed(3)}) presented at playback time ${t.toFixed(3)} s`);
    }
  }
  const lags = result.slides.map((w, i) => (first[i] ?? Infinity) - w.startSeconds);
  console.log(`duration ${duration} s (stitcher said ${result.durationSeconds.toFixed(3)}), ${log.length} frames presented, ${wrong} outside their slide window ±${TOLERANCE} s`);
  console.log(`first presentation of each slide minus its start, by playback clock (s): ${lags.map((l) => l.toFixed(3)).join(' ')}`);
  const ok = wrong === 0 && lags.every((l) => Math.abs(l) <= TOLERANCE) && Math.abs(duration - result.durationSeconds) < 0.1;
  console.log(ok ? 'OK: Chromium plays it right' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  chrome?.kill();
  rmSync(dir, { recursive: true, force: true });
}
