import { Queue } from 'bullmq';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { waitFor } from './support/wait.js';

const PROMPT =
  'Tides are the rise and fall of the sea. The Moon pulls the oceans toward it, and the Earth turns beneath that bulge. ' +
  'The Sun adds a smaller pull, so spring tides come at new and full moon.';

let h: PipelineHarness;
let slides: Queue;

beforeAll(async () => {
  // The deployment's default concurrent quota, and the worker's default slides concurrency (2).
  h = await startPipeline({}, { sharedEnv: { QUOTA_CONCURRENT_VIDEOS: '3' } });
  slides = new Queue('slides', { connection: { url: h.env.REDIS_URL }, prefix: h.env.QUEUE_PREFIX });
}, 60_000);

afterAll(async () => {
  await slides?.close();
  await h?.close();
});

const generate = (token: string) => h.api.http.post('/api/v1/videos/generate', { prompt: PROMPT, slideCount: 3 }, token);

describe('fairness between users', () => {
  it("starts a second user's video after at most the first user's quota of jobs, however much the first one submits", async () => {
    const alice = await registerUser(h.api, 'alice');
    const bob = await registerUser(h.api, 'bob');

    // Alice submits as fast as she can until refused: only 3 get in.
    const aliceIds: string[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await generate(alice);
      statuses.push(res.status);
      if (res.status === 202) aliceIds.push(res.body.id as string);
    }
    expect(statuses).toEqual([202, 202, 202, ...Array<number>(7).fill(429)]);

    const bobRes = await generate(bob);
    expect(bobRes.status).toBe(202);
    const bobId = bobRes.body.id as string;
    const bobSubmittedAt = Date.now();
    // What stands in the slides queue besides Bob's job: only Alice's admitted videos.
    const ahead = (await slides.getJobs(['waiting', 'active', 'delayed', 'prioritized'])).map((j) => j.id).filter((id) => id !== `slides-${bobId}`);
    expect(ahead.length).toBeLessThanOrEqual(3);
    for (const id of ahead) expect(aliceIds.map((a) => `slides-${a}`)).toContain(id);

    // Alice gets a 4th in as soon as one of hers finishes.
    const fourth = await waitFor(
      () => generate(alice),
      (r) => r.status === 202,
      120_000,
      "Alice's 4th video to be accepted",
    );
    const a4 = fourth.body.id as string;

    const [bobDone, a4Done] = await Promise.all([waitForVideo(h.api, bob, bobId), waitForVideo(h.api, alice, a4)]);
    expect([bobDone.video.status, a4Done.video.status]).toEqual(['completed', 'completed']);

    // By the order of events, as the worker recorded them: Bob's slides job started before Alice's 4th,
    // and the only slides jobs that started before Bob's are Alice's first three.
    const started = async (videoId: string) => (await slides.getJob(`slides-${videoId}`))!.processedOn!;
    const bobStart = await started(bobId);
    expect(bobStart).toBeLessThanOrEqual(await started(a4));
    const startedBeforeBob: string[] = [];
    for (const id of [...aliceIds, a4]) if ((await started(id)) < bobStart) startedBeforeBob.push(id);
    for (const id of startedBeforeBob) expect(aliceIds).toContain(id);
    // Reported, not asserted (wall time depends on the machine): how long Bob waited for his first job to start.
    // For measuring: BLINKED_SHOW_TIMINGS=1 npm run test:jest -- test/fairness.e2e-spec.ts
    if (process.env.BLINKED_SHOW_TIMINGS)
      process.stdout.write(
        `fairness: Bob's slides job started ${bobStart - bobSubmittedAt} ms after he submitted; ${startedBeforeBob.length} of Alice's started before it\n`,
      );
  }, 240_000);
});
