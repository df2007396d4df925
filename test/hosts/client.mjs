// The client half of scripts/test-hosts.sh: makes one video through the api's network
// address, as any client would, and checks it. `node client.mjs <apiBaseUrl> <s3rverDir>`.
// Registers, submits, waits for completed, downloads the MP4 whole and with Range (206,
// the same bytes), probes it with ffprobe, fetches the thumbnail and captions, checks the
// bucket (s3rver's directory) holds the video, deletes it and checks the bucket no longer
// does. One progress line per step; exits 1 with a one-line reason on the first failure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const [base, s3Dir] = process.argv.slice(2);
if (!base || !s3Dir) {
  console.error('usage: node client.mjs <apiBaseUrl> <s3rverDir>');
  process.exit(2);
}
const step = (text) => console.log(`[test:hosts] ${text}`);
const fail = (text) => {
  throw new Error(text);
};

async function call(method, path, { body, token, headers = {} } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('json') && bytes.length ? JSON.parse(bytes.toString()) : undefined;
  return { status: res.status, headers: res.headers, bytes, json };
}

/** Stored object keys (s3rver's files are `<key>._S3rver_object`) under the bucket folder that contain `part`. */
function storedKeys(part) {
  return readdirSync(s3Dir, { recursive: true })
    .filter((p) => p.endsWith('._S3rver_object') && p.includes(part))
    .map((p) => p.slice(0, -'._S3rver_object'.length))
    .sort();
}

async function main() {
  const started = Date.now();
  const user = `hosts${Date.now().toString(36)}`;
  const reg = await call('POST', '/api/v1/auth/register', { body: { email: `${user}@example.com`, username: user, password: 'correct horse battery' } });
  if (reg.status !== 201) fail(`register answered ${reg.status}: ${reg.bytes}`);
  const token = reg.json.accessToken;

  const submitted = await call('POST', '/api/v1/videos/generate', {
    token,
    body: { prompt: 'Tides follow the moon. Oceans bulge toward it. Coasts see two high tides a day.', slideCount: 3 },
  });
  if (submitted.status !== 202) fail(`generate answered ${submitted.status}: ${submitted.bytes}`);
  const id = submitted.json.id;
  step(`submitted video ${id}`);

  let video;
  const deadline = Date.now() + 75_000;
  for (;;) {
    video = (await call('GET', `/api/v1/videos/${id}`, { token })).json;
    if (['completed', 'failed', 'cancelled'].includes(video?.status)) break;
    if (Date.now() > deadline) fail(`video ${id} not finished after 75 s: ${JSON.stringify(video)}`);
    await delay(250);
  }
  if (video.status !== 'completed') fail(`video ${id} ended ${video.status}: ${video.error}`);
  step(`video completed in ${((Date.now() - started) / 1000).toFixed(1)} s (${video.durationSeconds.toFixed(1)} s long)`);

  const whole = await call('GET', `/api/v1/videos/${id}/file`, { token });
  if (whole.status !== 200 || whole.bytes.length < 10_000) fail(`file answered ${whole.status} with ${whole.bytes.length} bytes`);
  const [start, end] = [1000, 4999];
  const part = await call('GET', `/api/v1/videos/${id}/file`, { token, headers: { range: `bytes=${start}-${end}` } });
  if (part.status !== 206) fail(`a Range request answered ${part.status}, not 206`);
  if (part.headers.get('content-range') !== `bytes ${start}-${end}/${whole.bytes.length}`) fail(`content-range was ${part.headers.get('content-range')}`);
  if (!part.bytes.equals(whole.bytes.subarray(start, end + 1))) fail('the Range answer is not those bytes of the file');
  const dir = mkdtempSync(join(tmpdir(), 'blinked-hosts-client-'));
  try {
    writeFileSync(join(dir, 'video.mp4'), whole.bytes);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', join(dir, 'video.mp4')]).toString());
    const codecs = probe.streams
      .map((s) => `${s.codec_type}:${s.codec_name}`)
      .sort()
      .join(',');
    // data:bin_data is the chapter track (one chapter per slide).
    if (codecs !== 'audio:aac,data:bin_data,video:h264') fail(`the MP4 has streams ${codecs}`);
    if (Math.abs(Number(probe.format.duration) - video.durationSeconds) > 1)
      fail(`the MP4 lasts ${probe.format.duration} s, the api says ${video.durationSeconds}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  step(`downloaded ${whole.bytes.length} bytes, Range 206 with the right bytes, ffprobe: h264 + aac`);

  const thumbnail = await call('GET', `/api/v1/videos/${id}/thumbnail`, { token });
  if (thumbnail.status !== 200 || thumbnail.bytes.readUInt16BE(0) !== 0xffd8) fail(`thumbnail answered ${thumbnail.status}, not a JPEG`);
  const captions = await call('GET', `/api/v1/videos/${id}/captions`, { token });
  if (captions.status !== 200 || !captions.bytes.toString().startsWith('WEBVTT')) fail(`captions answered ${captions.status}, not WebVTT`);

  const expected = ['captions.srt', 'captions.vtt', 'slides/001.png', 'slides/002.png', 'slides/003.png', 'thumbnail.jpg', 'video.mp4'];
  const stored = storedKeys(`videos/${id}/`).map((k) => k.slice(k.indexOf(`videos/${id}/`) + `videos/${id}/`.length));
  if (JSON.stringify(stored) !== JSON.stringify(expected))
    fail(`the bucket holds ${JSON.stringify(stored)} for the video, expected ${JSON.stringify(expected)}`);
  step(`thumbnail and captions served; the bucket holds the video's ${stored.length} objects`);

  const deleted = await call('DELETE', `/api/v1/videos/${id}`, { token });
  if (deleted.status !== 204) fail(`DELETE answered ${deleted.status}`);
  if ((await call('GET', `/api/v1/videos/${id}`, { token })).status !== 404) fail('the deleted video is still there');
  const left = storedKeys(`videos/${id}/`);
  if (left.length) fail(`after DELETE the bucket still holds ${left.join(', ')}`);
  step('deleted: nothing left under its prefix in the bucket');
}

main().catch((e) => {
  console.error(`[test:hosts] FAILED: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
