import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GoogleFakes, generate, googleWorkerEnv, jobState, sql, startGoogleFakes, ttsCallsFor } from './support/provider-fakes.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { waitFor } from './support/wait.js';

// Cancel and retry through the whole stack: the api, a worker process on the Google fakes
// (so provider calls can be counted) and an ffmpeg gate: the worker finds `ffmpeg` first
// in a folder of ours, a script that holds every call of a stitch (its work folder is
// named `…-stitch-<id>-…`) while the file `closed` exists, then runs the real ffmpeg.
// The gate makes "cancel mid-stitch" a condition the test waits on, not a race.

let f: GoogleFakes;
let h: PipelineHarness;
let gateDir: string;
let token: string;

const VOLCANOES =
  'Volcanoes form where magma reaches the surface. Pressure builds beneath the crust until it escapes. ' +
  'Lava cools into new rock, and ash can travel around the world. Scientists watch the ground swell to warn people.';
// The fake's default deck is the same for every prompt (and its narration then cached):
// this one is new, so each of its slides needs one narration call.
const GLACIERS = {
  title: 'Glaciers',
  slides: [
    'Glaciers are rivers of ice that move under their own weight.',
    'Snow piles up for centuries and is pressed into dense blue ice.',
    'As they slide, glaciers carve valleys and carry boulders far away.',
  ].map((narration, i) => ({
    title: `Glaciers, part ${i + 1}`,
    bullets: ['Ice moves', 'Valleys form'],
    narration,
    visual: { keywords: ['glacier', 'mountain'], prompt: 'A glacier in a mountain valley.' },
  })),
};

async function writeGate(): Promise<void> {
  const realFfmpeg = execFileSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).trim();
  const script = [
    '#!/bin/sh',
    'case "$*" in',
    `  *-stitch-*) touch '${gateDir}/entered'; while [ -e '${gateDir}/closed' ]; do sleep 0.05; done ;;`,
    'esac',
    `exec '${realFfmpeg}' "$@"`,
    '',
  ].join('\n');
  await writeFile(join(gateDir, 'ffmpeg'), script);
  await chmod(join(gateDir, 'ffmpeg'), 0o755);
}

const closeGate = () => writeFile(join(gateDir, 'closed'), '');
const openGate = () => unlink(join(gateDir, 'closed')).catch(() => undefined);

beforeAll(async () => {
  gateDir = await mkdtemp(join(tmpdir(), 'blinked-gate-'));
  await writeGate();
  f = await startGoogleFakes();
  h = await startPipeline(googleWorkerEnv(f, { PATH: `${gateDir}:${process.env.PATH}` }), { sharedEnv: { JOB_BACKOFF_MS: '100' } });
  token = await registerUser(h.api, 'carol');
}, 60_000);

afterAll(async () => {
  await openGate();
  await h?.close();
  await f?.close();
  await rm(gateDir, { recursive: true, force: true });
});

const api = (method: string, path: string) => h.api.http.request(method, `/api/v1/videos${path}`, { token });

describe('POST /videos/:id/cancel and /retry', () => {
  it('cancels mid-stitch: ffmpeg stops within 2 s, nothing is written, the video stays; a retry finishes it with no provider call', async () => {
    await closeGate();
    const marker = 'cancel-mid-stitch';
    const id = await generate(h.api, token, { prompt: `${marker}: ${VOLCANOES}`, slideCount: 3 });
    // The stitch is running (held inside its ffmpeg call) once the gate was entered.
    await waitFor(async () => existsSync(join(gateDir, 'entered')), Boolean, 90_000, 'the stitch to reach ffmpeg');
    expect((await api('GET', `/${id}`)).body.status).toBe('rendering');
    const gemini = f.gemini.calls;
    const tts = f.tts.calls;
    expect(gemini).toBeGreaterThan(0);
    expect(tts).toBeGreaterThanOrEqual(3);

    const cancelledAt = Date.now();
    const res = await api('POST', `/${id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'cancelled' });

    // The gate stays closed: only the abort (ffmpeg killed) can end this job.
    const ended = await waitFor(
      () => jobState(h, 'stitch', `stitch-${id}`),
      (s) => s?.state !== 'active',
      10_000,
      'the stitch job to end',
    );
    const stoppedMs = Date.now() - cancelledAt;
    expect(stoppedMs).toBeLessThan(2000);
    expect(ended?.state === undefined || ended.state === 'completed').toBe(true);

    // Nothing written afterwards: the video's folder is gone, its record and slides stay, still cancelled.
    expect(existsSync(join(h.storageDir, 'videos', id))).toBe(false);
    const [row] = await sql(h.api, 'SELECT status, duration, video_url FROM videos WHERE id = $1', [id]);
    expect(row).toEqual({ status: 'cancelled', duration: null, video_url: null });
    const [slides] = await sql(h.api, 'SELECT count(*)::int AS n FROM slides s JOIN videos v ON v.prompt_id = s.prompt_id WHERE v.id = $1', [id]);
    expect(slides.n).toBe(3);
    expect((await api('POST', `/${id}/cancel`)).status).toBe(409);

    await openGate();
    const retried = await api('POST', `/${id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id, error: null });
    expect(['queued', 'generating_slides', 'generating_voice']).toContain(retried.body.status);
    const { video, seen } = await waitForVideo(h.api, token, id);
    expect(video.status).toBe('completed');
    expect(existsSync(join(h.storageDir, 'videos', id, 'video.mp4'))).toBe(true);
    // Deck and narration came from what was stored and cached: no provider was called again.
    expect(f.gemini.calls).toBe(gemini);
    expect(f.tts.calls).toBe(tts);
    // Progress never went down across the retry.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThanOrEqual(seen[i - 1]!.progress);

    expect((await api('POST', `/${id}/retry`)).status).toBe(409);
    expect((await api('POST', `/${id}/cancel`)).status).toBe(409);
  }, 180_000);

  it('retries a failed video from the stage that failed: only the narration that failed is asked for again', async () => {
    const marker = 'retry-after-failure';
    // The first narration call is refused for good: that slide's voice job fails the video.
    f.gemini.script({ kind: 'deck', deck: GLACIERS });
    f.tts.script('permission_denied');
    const before = { gemini: f.gemini.calls, tts: f.tts.calls };
    const id = await generate(h.api, token, { prompt: `${marker}: how glaciers shape the land`, slideCount: 3 });
    const { video: failed } = await waitForVideo(h.api, token, id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/voic|narrat|speech/i);
    expect(f.gemini.calls - before.gemini).toBe(1);

    // 409 only while the other voice jobs of the failed video are still ending.
    const retried = await waitFor(
      () => api('POST', `/${id}/retry`),
      (r) => r.status !== 409,
      30_000,
      'the retry to be accepted',
    );
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ status: 'generating_voice', error: null });
    const { video } = await waitForVideo(h.api, token, id);
    expect(video.status).toBe('completed');
    // One deck call in all; narration: the 3 first calls plus one for the slide that failed.
    expect(f.gemini.calls - before.gemini).toBe(1);
    expect(f.tts.calls - before.tts).toBe(4);
    const deck = await sql<{ text: string }>(
      h.api,
      'SELECT s.text FROM slides s JOIN videos v ON v.prompt_id = s.prompt_id WHERE v.id = $1 ORDER BY s.slide_number',
      [id],
    );
    expect(deck.map((s) => ttsCallsFor(f.tts, s.text)).sort()).toEqual([1, 1, 2]);
  }, 180_000);
});
