import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { captionBox, SpawnMediaRunner } from '@app/media';
import { parseVtt } from './support/media-check.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';

/** A strict SubRip parser: numbered blocks from 1, "HH:MM:SS,mmm --> HH:MM:SS,mmm", then text. */
function parseSrt(srt: string) {
  const blocks = srt.replace(/\n$/, '').split('\n\n');
  return blocks.map((block, i) => {
    const [n, timing, ...text] = block.split('\n');
    expect(n).toBe(String(i + 1));
    const m = /^(\d{2}):(\d{2}):(\d{2}),(\d{3}) --> (\d{2}):(\d{2}):(\d{2}),(\d{3})$/.exec(timing ?? '');
    if (!m) throw new Error(`bad SubRip timing line ${timing}`);
    const t = (k: number) => Number(m[k]) * 3600 + Number(m[k + 1]) * 60 + Number(m[k + 2]) + Number(m[k + 3]) / 1000;
    expect(text.length).toBeGreaterThan(0);
    return { start: t(1), end: t(5), text: text.join('\n') };
  });
}

const PROMPT = 'Volcanoes form where magma reaches the surface. Lava cools into new rock, and the mountain grows with every eruption.';

describe('captions over HTTP', () => {
  let h: PipelineHarness;
  let token: string;
  let sidecar: { id: string; links: { captions: string } };
  let burned: { id: string; durationSeconds: number };

  beforeAll(async () => {
    h = await startPipeline();
    token = await registerUser(h.api, 'captions');
    const a = await h.api.http.post('/api/v1/videos/generate', { prompt: PROMPT, slideCount: 3 }, token);
    const b = await h.api.http.post('/api/v1/videos/generate', { prompt: PROMPT, slideCount: 3, aspectRatio: '9:16', captionStyle: 'word' }, token);
    sidecar = (await waitForVideo(h.api, token, a.body.id)).video;
    burned = (await waitForVideo(h.api, token, b.body.id)).video;
  }, 240_000);

  afterAll(() => h?.close());

  const get = async (path: string, headers: Record<string, string> = {}, auth = true) => {
    const res = await fetch(h.api.http.baseUrl + path, { headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    return { res, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
  };

  it('gives SubRip with ?format=srt: the same cues at the same times as the WebVTT', async () => {
    const vtt = await get(`/api/v1/videos/${sidecar.id}/captions`);
    const srt = await get(`/api/v1/videos/${sidecar.id}/captions?format=srt`);
    expect(vtt.res.headers.get('content-type')).toMatch(/^text\/vtt/);
    expect(srt.res.status).toBe(200);
    expect(srt.res.headers.get('content-type')).toMatch(/^application\/x-subrip/);
    expect(srt.res.headers.get('content-disposition')).toMatch(/\.srt"/);
    const vttCues = parseVtt(vtt.text);
    const srtCues = parseSrt(srt.text);
    expect(srtCues.length).toBeGreaterThanOrEqual(3);
    expect(srtCues).toEqual(vttCues);
    expect((await get(`/api/v1/videos/${sidecar.id}/captions?format=vtt`)).text).toBe(vtt.text);
  });

  it('serves SubRip through a signed link and in byte ranges', async () => {
    const signed = await get(`${sidecar.links.captions}&format=srt`, {}, false);
    expect(signed.res.status).toBe(200);
    const whole = (await get(`/api/v1/videos/${sidecar.id}/captions?format=srt`)).text;
    expect(signed.text).toBe(whole);
    const part = await get(`/api/v1/videos/${sidecar.id}/captions?format=srt`, { range: 'bytes=0-4' });
    expect(part.res.status).toBe(206);
    expect(part.text).toBe(Buffer.from(whole).subarray(0, 5).toString());
  });

  it('converts the stored WebVTT for a video stitched before SubRip was stored', async () => {
    const before = (await get(`/api/v1/videos/${sidecar.id}/captions?format=srt`)).text;
    await rm(join(h.storageDir, 'videos', sidecar.id, 'captions.srt'));
    const after = await get(`/api/v1/videos/${sidecar.id}/captions?format=srt`);
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get('content-type')).toMatch(/^application\/x-subrip/);
    expect(after.text).toBe(before);
    const part = await get(`/api/v1/videos/${sidecar.id}/captions?format=srt`, { range: 'bytes=2-' });
    expect(part.res.status).toBe(206);
    expect(part.text).toBe(Buffer.from(before).subarray(2).toString());
  });

  it.each(['ass', 'SRT', ''])('answers 400 for ?format=%s, naming the formats', async (format) => {
    const res = await get(`/api/v1/videos/${sidecar.id}/captions?format=${format}`);
    expect(res.res.status).toBe(400);
    expect(JSON.parse(res.text).message).toMatch(/^format must be one of vtt, srt/);
  });

  it('answers 400 for a repeated format', async () => {
    const res = await get(`/api/v1/videos/${sidecar.id}/captions?format=srt&format=vtt`);
    expect(res.res.status).toBe(400);
  });

  it('burns word-style captions into a 9:16 video: the caption box shows the cue, the spoken word in yellow', async () => {
    const cues = parseVtt((await get(`/api/v1/videos/${burned.id}/captions`)).text);
    const cue = cues.find((c) => c.end - c.start > 1)!;
    const at = (cue.start + cue.end) / 2;
    const runner = new SpawnMediaRunner();
    const framePath = join(h.storageDir, 'frame.png');
    const gapPath = join(h.storageDir, 'gap.png');
    const file = join(h.storageDir, 'videos', burned.id, 'video.mp4');
    await runner.run('ffmpeg', ['-nostdin', '-y', '-loglevel', 'error', '-ss', at.toFixed(3), '-i', file, '-frames:v', '1', framePath]);
    // The last 0.3 s of the video are the final pause: no caption there.
    await runner.run('ffmpeg', [
      '-nostdin',
      '-y',
      '-loglevel',
      'error',
      '-ss',
      (burned.durationSeconds - 0.15).toFixed(3),
      '-i',
      file,
      '-frames:v',
      '1',
      gapPath,
    ]);
    const box = captionBox('9:16');
    const stats = async (path: string) => {
      const img = await loadImage(path);
      const ctx = createCanvas(img.width, img.height).getContext('2d');
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(box.x, box.y, box.width, box.height).data;
      let yellow = 0;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i]! > 200 && d[i + 1]! > 170 && d[i + 2]! < 90) yellow++;
        if (d[i]! + d[i + 1]! + d[i + 2]! < 250) dark++;
      }
      return { yellow, dark };
    };
    const captioned = await stats(framePath);
    const bare = await stats(gapPath);
    expect(captioned.yellow).toBeGreaterThan(200);
    expect(bare.yellow).toBe(0);
    // The dark panel behind the text: the default (light) theme's box is bright without it.
    expect(captioned.dark).toBeGreaterThan(bare.dark + 0.1 * box.width * box.height);
  });
});
