import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { registerUser, waitForVideo } from './support/pipeline-harness.js';
import { generate, type GoogleStack, startGoogleStack } from './support/provider-fakes.js';
import { type RedisCluster, redisCli, startRedisCluster } from './support/redis-servers.js';
import { waitFor } from './support/wait.js';
import { errorLines } from './support/log-lines.js';

const PROMPT = 'Clusters split keys into slots. Each master owns a range of slots. A hash tag keeps related keys in one slot.';

let cluster: RedisCluster;
let stack: GoogleStack;
let token: string;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  // The api (in this process) and the spawned worker both reach Redis only through the cluster.
  stack = await startGoogleStack({ sharedEnv: { REDIS_CLUSTER_NODES: cluster.nodesEnv } });
  token = await registerUser(stack.pipeline.api, 'clusterfan');
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await cluster?.stop();
  delete process.env.REDIS_CLUSTER_NODES;
});

const h = () => stack.pipeline;

describe('on a three-master Redis Cluster', () => {
  it('makes a video, with every queue key under the {prefix} hash tag', async () => {
    const id = await generate(h().api, token, { prompt: PROMPT, slideCount: 3 });
    const { video } = await waitForVideo(h().api, token, id, 60_000);
    expect(video).toMatchObject({ status: 'completed', progress: 100 });
    const file = await fetch(h().api.http.baseUrl + `/api/v1/videos/${id}/file`, { headers: { authorization: `Bearer ${token}` } });
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(10_000);

    // All of BullMQ's keys hash to one slot, so they sit on one master, and nothing escaped the tag.
    const prefix = h().env.QUEUE_PREFIX;
    const perNode = await Promise.all(cluster.nodes.map((n) => redisCli(n.port, ['--scan', '--pattern', '*'])));
    const keys = perNode.map((out) => out.split('\n').filter(Boolean));
    const all = keys.flat();
    for (const queue of ['slides', 'voice', 'stitch']) expect(all.some((k) => k.startsWith(`{${prefix}}:${queue}:`))).toBe(true);
    expect(all.filter((k) => !k.startsWith(`{${prefix}}:`))).toEqual([]);
    expect(keys.filter((k) => k.length > 0)).toHaveLength(1);
    expect(h().workers[0]!.output()).not.toMatch(/maxmemory-policy|CROSSSLOT/);
    expect(errorLines(h().workers[0]!.output())).toEqual([]);
  });

  it('aborts the running job of a video deleted mid-way, through the cancellation channel', async () => {
    const { geminiProxy } = stack.fakes;
    geminiProxy.hold(); // the deck job stays in its Gemini call until released
    try {
      const id = await generate(h().api, token, { prompt: `${PROMPT} Deleted while writing.`, slideCount: 3 });
      await waitFor(
        async () => geminiProxy.waiting,
        (n) => n >= 1,
        30_000,
        'the deck job to call Gemini',
      );
      expect((await h().api.http.request('DELETE', `/api/v1/videos/${id}`, { token })).status).toBe(204);
      // Only the pub/sub message can abort it now: the job is inside a provider call, not between steps.
      await waitFor(
        async () => h().workers[0]!.output(),
        (out) => out.includes(`video ${id} deleted or cancelled: aborted 1 running job(s)`),
        15_000,
        'the worker to abort the job',
      );
      geminiProxy.release();
      const connection = new Cluster(cluster.nodesEnv.split(',').map((a) => ({ host: '127.0.0.1', port: Number(a.split(':')[1]) })));
      const slides = new Queue('slides', { connection, prefix: `{${h().env.QUEUE_PREFIX}}` });
      try {
        await waitFor(
          () => slides.getJobState(`slides-${id}`),
          (state) => state === 'failed' || state === 'completed' || state === 'unknown',
          30_000,
          'the aborted job to end',
        );
      } finally {
        await slides.close();
        await connection.quit();
      }
      expect(existsSync(join(h().storageDir, 'videos', id))).toBe(false);
      expect(await h().api.db.query('SELECT 1 FROM videos WHERE id = $1', [id])).toHaveLength(0);
    } finally {
      geminiProxy.release();
    }
  });
});
