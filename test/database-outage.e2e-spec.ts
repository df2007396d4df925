import { watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type FakeGoogleTts, startFakeGoogleTts } from './fakes/fake-google-tts.server.js';
import { type GatedProxy, startGatedProxy } from './support/gated-proxy.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { TTS_KEY } from './support/provider-fakes.js';
import { TEST_DB_BASE } from './support/test-db.js';
import { startTcpGate, type TcpGate } from './support/tcp-gate.js';
import { waitFor } from './support/wait.js';

const pg = new URL(TEST_DB_BASE);

type Stage = 'slides' | 'voice' | 'stitch';

/**
 * PostgreSQL going away mid-video, between the worker and the database (a TCP gate:
 * connections cut, then refused, as a stopped server gives them). On main every
 * retry of the stage ran into the outage within seconds, the job failed, and the
 * video stayed in its working status forever.
 */
async function outageDuring(h: PipelineHarness, gate: TcpGate, tts: GatedProxy, workDir: string, stage: Stage, outageMs: number, name: string) {
  const token = await registerUser(h.api, name);
  const worker = h.workers[0]!;
  let cutAt = 0;
  const cut = async () => {
    await gate.cut();
    cutAt = Date.now();
  };
  let trigger: Promise<void>;
  if (stage === 'slides') {
    await cut(); // the slides job meets the outage as soon as it starts
    trigger = Promise.resolve();
  } else if (stage === 'stitch') {
    // The moment the stitch job makes its work folder: ffmpeg runs, then its writes meet the outage.
    trigger = new Promise<void>((resolve) => {
      const watcher = watch(workDir, (_e, file) => {
        if (file?.startsWith(`blinked-${worker.child.pid}-stitch-`)) {
          watcher.close();
          resolve(cut());
        }
      });
    });
  } else {
    tts.hold(); // the voice jobs' calls wait at the gate while the database goes
    trigger = Promise.resolve();
  }
  const res = await h.api.http.post(
    '/api/v1/videos/generate',
    // Its own prompt per test: a narration cached by an earlier test would never reach the TTS.
    { prompt: `Glaciers carve valleys near ${name}. Ice flows slowly downhill. Moraines mark where it stopped. Meltwater fills lakes.`, slideCount: 5 },
    token,
  );
  expect(res.status).toBe(202);
  const id = res.body.id as string;
  if (stage === 'voice') {
    await waitFor(
      async () => tts.waiting,
      (n) => n >= 1,
      60_000,
      'a voice job to call the TTS',
    );
    await cut();
    tts.release(); // the narration arrives; storing it meets the outage
  }
  await trigger;
  await delay(Math.max(0, outageMs - (Date.now() - cutAt))); // the outage itself: a duration, not a synchronisation
  await gate.open();
  const { video } = await waitForVideo(h.api, token, id, 90_000);
  return { video, output: worker.output() };
}

describe('a PostgreSQL outage during each stage (retry schedule scaled 1:30: 33 ms .. 1 s, budget 30 s)', () => {
  let h: PipelineHarness;
  let gate: TcpGate;
  let workDir: string;
  let tts: FakeGoogleTts;
  let ttsGate: GatedProxy;

  beforeAll(async () => {
    gate = await startTcpGate(pg.hostname, Number(pg.port || 5432));
    workDir = await mkdtemp(join(tmpdir(), 'blinked-e2e-dbout-'));
    tts = await startFakeGoogleTts({ apiKey: TTS_KEY });
    ttsGate = await startGatedProxy(tts.endpoint);
    h = await startPipeline(
      {
        INFRA_RETRY_BASE_MS: '33',
        INFRA_RETRY_CAP_MS: '1000',
        INFRA_RETRY_MAX_SECONDS: '30',
        WORK_DIR: workDir,
        TTS_PROVIDER: 'google',
        GOOGLE_TTS_API_KEY: TTS_KEY,
        TTS_API_ENDPOINT: ttsGate.baseUrl,
      },
      // Provider-error retries fast too: on main the outage spent every attempt in well under a second.
      { sharedEnv: { JOB_BACKOFF_MS: '50' }, workerDatabaseUrl: (url) => gate.through(url) },
    );
  }, 60_000);

  afterAll(async () => {
    ttsGate?.release();
    await h?.close();
    await gate?.close();
    await ttsGate?.close();
    await tts?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  // 2 s and 4 s here stand for 60 s and 2 minutes against the real 30 s cap and 900 s budget.
  for (const stage of ['slides', 'voice', 'stitch'] as const) {
    for (const [outageMs, standsFor] of [
      [2000, '60 s'],
      [4000, '2 min'],
    ] as const) {
      it(`rides out a ${standsFor} outage during ${stage}, spending no attempt`, async () => {
        const { video, output } = await outageDuring(h, gate, ttsGate, workDir, stage, outageMs, `${stage}${outageMs}`);
        expect(video.status).toBe('completed');
        expect(output).toMatch(new RegExp(`${stage} job ${stage}-${video.id}\\S*: infrastructure unavailable .*no attempt spent`));
      }, 120_000);
    }
  }
});

describe('a real 60 s PostgreSQL outage, with the default retry schedule', () => {
  let h: PipelineHarness;
  let gate: TcpGate;
  let workDir: string;

  beforeAll(async () => {
    gate = await startTcpGate(pg.hostname, Number(pg.port || 5432));
    workDir = await mkdtemp(join(tmpdir(), 'blinked-e2e-dbout60-'));
    h = await startPipeline({ WORK_DIR: workDir }, { sharedEnv: { JOB_BACKOFF_MS: '50' }, workerDatabaseUrl: (url) => gate.through(url) });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await gate?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('is ridden out during the stitch, and the video completes', async () => {
    const unused = await startGatedProxy('http://127.0.0.1:9'); // only the voice stage holds its TTS calls
    const { video, output } = await outageDuring(h, gate, unused, workDir, 'stitch', 60_000, 'sixty').finally(() => unused.close());
    expect(video.status).toBe('completed');
    expect(output).toMatch(/stitch job stitch-\S+: infrastructure unavailable .*no attempt spent/);
  }, 180_000);
});
