import { randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiProcess, startApiProcess } from './support/api-process.js';
import { ffprobe } from './support/media-check.js';
import { registerUser } from './support/pipeline-harness.js';
import { deleteKeysUnder } from './support/redis-keys.js';
import { type S3TestServer, startS3Server } from './support/s3-server.js';
import { createTestDatabase, type TestDatabase, uniquePrefix } from './support/test-db.js';
import { TEST_SECRET } from './support/api-harness.js';
import { settledJobState } from './support/provider-fakes.js';
import { waitFor } from './support/wait.js';
import { startWorker, type WorkerProcess } from './support/worker-process.js';

/**
 * No shared disk: the api and two workers run as separate processes (the built
 * ones), each with its own empty WORK_DIR and TMPDIR, and STORAGE_DRIVER=s3 against
 * s3rver. STORAGE_DIR points below a regular file, where no process could create it:
 * had anything fallen back to the local disk, it would have failed, and the path is
 * checked afterwards. The only thing the processes share is the bucket (and PostgreSQL
 * and Redis), as on separate hosts.
 */
interface Host {
  name: string;
  workDir: string;
  tmpDir: string;
}

let s3: S3TestServer;
let db: TestDatabase;
let api: ApiProcess;
let root: string;
let blockingFile: string;
let storageDir: string;
let env: Record<string, string>;
const hosts: Record<'api' | 'w1' | 'w2', Host> = {} as never;
const workers: WorkerProcess[] = [];
const keyPrefix = `nsd-${randomBytes(4).toString('hex')}`;
const videos: { id: string; slideCount: number }[] = [];
let token: string;

async function makeHost(name: string): Promise<Host> {
  return { name, workDir: await mkdtemp(join(root, `${name}-work-`)), tmpDir: await mkdtemp(join(root, `${name}-tmp-`)) };
}

function worker(host: Host): Promise<WorkerProcess> {
  return startWorker({ ...env, WORK_DIR: host.workDir, TMPDIR: host.tmpDir }).then((w) => (workers.push(w), w));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'blinked-nsd-'));
  // A regular file: nothing, not even root, can create a directory below it.
  blockingFile = join(root, 'not-a-directory');
  await writeFile(blockingFile, '');
  storageDir = join(blockingFile, 'storage');
  hosts.api = await makeHost('api');
  hosts.w1 = await makeHost('w1');
  hosts.w2 = await makeHost('w2');
  [s3, db] = await Promise.all([startS3Server(), createTestDatabase()]);
  env = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: uniquePrefix(),
    SECRET_KEY: TEST_SECRET,
    BCRYPT_COST: '4',
    LLM_PROVIDER: 'offline',
    TTS_PROVIDER: 'espeak',
    STORAGE_DIR: storageDir,
    // Short locks: the killed worker's stitch job is taken over in seconds.
    WORKER_LOCK_MS: '1500',
    ...s3.env({ S3_KEY_PREFIX: keyPrefix }),
  };
  api = await startApiProcess({ ...env, WORK_DIR: hosts.api.workDir, TMPDIR: hosts.api.tmpDir }, { cwd: hosts.api.tmpDir });
  await worker(hosts.w1);
  await worker(hosts.w2);
  token = await registerUser(api, 'nomad');
}, 90_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(true)));
  await api?.stop();
  await db?.drop();
  if (env) await deleteKeysUnder(env.REDIS_URL!, env.QUEUE_PREFIX!);
  await s3?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

function bucketKeys(under = `${keyPrefix}/`): Promise<string[]> {
  return s3.keys(under);
}

/** Every path under `dir`, relative, recursively. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

async function generate(prompt: string, slideCount: number): Promise<string> {
  const res = await api.http.post('/api/v1/videos/generate', { prompt, slideCount }, token);
  expect(res.status).toBe(202);
  videos.push({ id: res.body.id, slideCount });
  return res.body.id as string;
}

async function finished(id: string, timeoutMs = 120_000) {
  return waitFor(
    () => api.http.get(`/api/v1/videos/${id}`, token).then((r) => r.body),
    (v) => ['completed', 'failed', 'cancelled'].includes(v?.status),
    timeoutMs,
    `video ${id} to finish`,
  );
}

it('makes a video that plays, served through the api with Range from the bucket', async () => {
  const id = await generate('Rivers carve valleys. Glaciers grind mountains. Wind shapes dunes.', 3);
  const video = await finished(id);
  expect([video.status, video.error]).toEqual(['completed', null]);

  const whole = await fetch(`${api.http.baseUrl}/api/v1/videos/${id}/file`, { headers: { authorization: `Bearer ${token}` } });
  expect(whole.status).toBe(200);
  const bytes = Buffer.from(await whole.arrayBuffer());
  expect(bytes.length).toBeGreaterThan(10_000);

  const [start, end] = [1000, 4999];
  const part = await fetch(`${api.http.baseUrl}/api/v1/videos/${id}/file`, {
    headers: { authorization: `Bearer ${token}`, range: `bytes=${start}-${end}` },
  });
  expect(part.status).toBe(206);
  expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
  expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true);

  // Checked in the test's own temp dir: none of the processes' folders.
  const file = join(root, `${id}.mp4`);
  await writeFile(file, bytes);
  const probe = await ffprobe(file);
  // The data track is the MP4's chapter list (one chapter per slide), which players read as chapters.
  expect(probe.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'data:bin_data', 'video:h264']);
  expect(Number(probe.format.duration)).toBeCloseTo(video.durationSeconds, 0);
  await rm(file);
}, 150_000);

it('finishes a video on the other worker when one is SIGKILLed mid-stitch, and the dead one’s folder is swept at the next start', async () => {
  const [w1, w2] = workers as [WorkerProcess, WorkerProcess];
  const pair = [
    { w: w1, host: hosts.w1 },
    { w: w2, host: hosts.w2 },
  ];
  // The stitch starts when a worker's stitch folder appears in its own WORK_DIR: that
  // worker dies at once, and the takeover is the same folder appearing in the other's.
  const watchers: ReturnType<typeof watch>[] = [];
  let killedAt = 0;
  const stitchFolder = (pid: number) => new RegExp(`^blinked-${pid}-stitch-`);
  const killed = new Promise<{ victim: (typeof pair)[number]; folder: string }>((resolveKilled) => {
    for (const entry of pair) {
      watchers.push(
        watch(entry.host.workDir, (_event, name) => {
          if (!killedAt && name && stitchFolder(entry.w.child.pid!).test(name)) {
            entry.w.child.kill('SIGKILL');
            killedAt = Date.now();
            resolveKilled({ victim: entry, folder: name });
          }
        }),
      );
    }
  });
  const id = await generate('Bees dance to share directions. Ants follow scent trails. Birds sing to mark territory. Whales call across oceans.', 4);

  const { victim, folder } = await killed;
  const survivor = pair.find((p) => p !== victim)!;
  const takenOver = new Promise<number>((resolveTaken) => {
    watchers.push(
      watch(survivor.host.workDir, (_event, name) => {
        if (name && stitchFolder(survivor.w.child.pid!).test(name)) resolveTaken(Date.now());
      }),
    );
  });
  await victim.w.stop(true);
  try {
    const video = await finished(id, 90_000);
    const doneAt = Date.now();
    expect([video.status, video.error]).toEqual(['completed', null]);
    const takeoverMs = (await takenOver) - killedAt;
    // For measuring: BLINKED_SHOW_TIMINGS=1 npm run test:jest -- test/no-shared-disk.e2e-spec.ts
    if (process.env.BLINKED_SHOW_TIMINGS)
      process.stdout.write(
        `takeover after SIGKILL mid-stitch (WORKER_LOCK_MS=1500): the other worker started the stitch ${takeoverMs} ms after the kill; video completed ${doneAt - killedAt} ms after it\n`,
      );
  } finally {
    watchers.forEach((w) => w.close());
  }

  // The dead worker's folder is all that is left on its host, until a worker starts there.
  expect(await readdir(victim.host.workDir)).toEqual([folder]);
  const restarted = await worker(victim.host);
  expect(restarted.output()).toContain(`removed 1 work folder(s) left by dead workers in ${victim.host.workDir}: ${folder}`);
  expect(await readdir(victim.host.workDir)).toEqual([]);
}, 180_000);

it('leaves exactly the expected objects in the bucket, no partial upload, and every work folder empty', async () => {
  expect(videos).toHaveLength(2);
  // The stitch discards the slides' segments and removes its work folder after it marks the video completed, before its job returns.
  for (const { id } of videos) expect(await settledJobState({ env }, 'stitch', `stitch-${id}`)).toMatchObject({ state: 'completed' });
  const audioKeys = (await db.query<{ audio_url: string }>('SELECT DISTINCT audio_url FROM voiceovers')).map((r) => `${keyPrefix}/${r.audio_url}`);
  expect(audioKeys.length).toBeGreaterThanOrEqual(4);
  const expected = [
    ...videos.flatMap(({ id, slideCount }) => [
      ...Array.from({ length: slideCount }, (_, i) => `${keyPrefix}/videos/${id}/slides/${String(i + 1).padStart(3, '0')}.png`),
      `${keyPrefix}/videos/${id}/video.mp4`,
      `${keyPrefix}/videos/${id}/thumbnail.jpg`,
      `${keyPrefix}/videos/${id}/captions.vtt`,
      `${keyPrefix}/videos/${id}/captions.srt`,
    ]),
    ...audioKeys,
  ].sort();
  for (const key of audioKeys) expect(key).toMatch(new RegExp(`^${keyPrefix}/blobs/audio/[0-9a-f]{2}/[0-9a-f]{64}\\.wav$`));
  expect(await bucketKeys()).toEqual(expected);
  // The whole bucket: nothing written outside the key prefix either.
  expect(await bucketKeys('')).toEqual(expected);
  // s3rver keeps an unfinished multipart upload as a folder of parts beside the objects.
  expect((await tree(s3.dir)).filter((p) => /uploads/i.test(p))).toEqual([]);

  // Each process's own disk: work folders and temp dirs empty (the killed worker's was
  // swept by the worker restarted on its host), and STORAGE_DIR never created.
  for (const host of Object.values(hosts)) {
    expect([host.name, await tree(host.workDir)]).toEqual([host.name, []]);
    expect([host.name, await tree(host.tmpDir)]).toEqual([host.name, []]);
  }
  await expect(stat(storageDir)).rejects.toMatchObject({ code: 'ENOTDIR' });
  expect((await stat(blockingFile)).size).toBe(0);
});

it('deletes each video: nothing is left under its prefix, the shared audio blobs stay', async () => {
  const blobsBefore = await bucketKeys(`${keyPrefix}/blobs/`);
  for (const { id } of videos) {
    expect((await api.http.request('DELETE', `/api/v1/videos/${id}`, { token })).status).toBe(204);
    expect(await bucketKeys(`${keyPrefix}/videos/${id}/`)).toEqual([]);
    expect((await api.http.get(`/api/v1/videos/${id}`, token)).status).toBe(404);
  }
  expect(await bucketKeys()).toEqual(blobsBefore);
  await expect(stat(storageDir)).rejects.toMatchObject({ code: 'ENOTDIR' });
});
