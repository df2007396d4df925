// Polling: GET /api/v1/videos/{id} with a bearer token, as a client following a video
// does, against the built api in its own process (production settings, fresh database,
// own Redis prefix), and the same bytes and headers from a bare Fastify server in another
// process: the ceiling on this machine. Load comes from this process (autocannon, 20
// connections). Rounds interleave api and bare so a busy machine hits both alike; one more
// round sends If-None-Match with the ETag (the 304 path).
// Usage: npm run bench:poll [-- --rounds 3 --seconds 5 --connections 20]
// Needs PostgreSQL (TEST_DATABASE_URL or DATABASE_URL, else postgres@127.0.0.1:5432) and
// Redis (REDIS_URL, else 127.0.0.1:6379). The last line of output is JSON.
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { VideoStatus, withRepositories } from '@app/db';
import { arg, emit } from './bench/report.js';
import { type RunningChild, spawnNodeUntil } from './bench/child-process.js';
import { type Stack, startStack } from './bench/stack.js';

const ROUNDS = Number(arg('rounds', '3'));
const SECONDS = Number(arg('seconds', '5'));
const CONNECTIONS = Number(arg('connections', '20'));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Headers a proxy or the client adds per request, not part of what is served again byte for byte.
const NOT_REPLAYED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'x-request-id']);

interface Round {
  reqPerSec: number;
  p99Ms: number;
}

async function load(url: string, headers: Record<string, string>, expected: '2xx' | '3xx'): Promise<Round> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  const wrong = result.requests.total - result[expected];
  // A figure made of 401s, 429s or 500s would measure the wrong thing.
  if (wrong > 0 || result.errors > 0) throw new Error(`${url}: ${wrong} answers were not ${expected}, ${result.errors} errors`);
  return { reqPerSec: result.requests.average, p99Ms: result.latency.p99 };
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A user and one video in the middle of its pipeline, as a client would poll it. */
async function prepare(api: Stack): Promise<{ url: string; token: string }> {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${api.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const { accessToken } = await json<{ accessToken: string }>(
    await post('/auth/register', { email: 'poll@example.com', username: 'poller', password: 'correct horse battery' }),
  );
  const video = await json<{ id: string }>(await post('/videos/generate', { prompt: 'How glaciers carve valleys, for a ten-year-old' }, accessToken));
  // No worker runs: the video is moved to where a client typically polls it, through the repositories a worker uses.
  await withRepositories(api.databaseUrl, async ({ videos }) => {
    await videos.advanceStatus(video.id, VideoStatus.GeneratingVoice, 'Voicing 5 slides', 40);
    await videos.reportProgress(video.id, VideoStatus.GeneratingVoice, 'Voiced 2 of 5 slides', 52);
  });
  await ageRevocationMarker(api.queuePrefix);
  return { url: `${api.baseUrl}/api/v1/videos/${video.id}`, token: accessToken };
}

/**
 * An api that has run for an access-token lifetime trusts the revocation records in Redis
 * (AccessRevocations) and reads no users row per request; one just started checks the
 * database until then. The bench measures the steady state, so it dates the marker back.
 */
async function ageRevocationMarker(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await redis.set(`${prefix}:auth:revocations-since`, String(Date.now() - 24 * 3600_000));
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  let api: Stack | undefined;
  let bare: RunningChild | undefined;
  try {
    console.log(`starting the built api (NODE_ENV=production) on a fresh database`);
    // The per-user rate limit would answer 429 long before this load ends; raised to its maximum, still counted.
    // The api alone, logging at production's default level (a line per request); the per-user
    // rate limit is raised by the stack (still counted on every request).
    api = await startStack({ workers: 0, env: { LOG_LEVEL: 'log' } });
    const { url, token } = await prepare(api);
    const auth = { authorization: `Bearer ${token}` };
    const first = await fetch(url, { headers: auth });
    const body = await first.text();
    if (first.status !== 200) throw new Error(`GET ${url}: ${first.status} ${body}`);
    const headers = Object.fromEntries([...first.headers].filter(([name]) => !NOT_REPLAYED.has(name)));
    const etag = first.headers.get('etag');
    console.log(`polled video: ${body.length} bytes, ${Object.keys(headers).length} headers, ETag ${etag ?? '(none)'}`);

    bare = await spawnNodeUntil(
      [resolve('dist/scripts/bench/bare-server.js')],
      { BARE_RESPONSE: JSON.stringify({ status: 200, headers, body }) },
      /listening on (\S+)/,
    );
    const bareUrl = `${bare.match[1]!}/api/v1/videos/x`;

    // Warm both up (JIT, connection pools), not counted. The api needs seconds, not one: its
    // first measured round was a third slower than the rest after a 1 s warm-up.
    await autocannon({ url, connections: CONNECTIONS, duration: 4, headers: auth });
    await autocannon({ url, connections: CONNECTIONS, duration: 1, headers: { ...auth, ...(etag ? { 'if-none-match': etag } : {}) } });
    await autocannon({ url: bareUrl, connections: CONNECTIONS, duration: 1 });

    const apiRounds: Round[] = [];
    const bareRounds: Round[] = [];
    const notModified: Round[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      apiRounds.push(await load(url, auth, '2xx'));
      bareRounds.push(await load(bareUrl, {}, '2xx'));
      console.log(
        `round ${i}/${ROUNDS}: api ${Math.round(apiRounds.at(-1)!.reqPerSec)} req/s p99 ${apiRounds.at(-1)!.p99Ms} ms; ` +
          `bare ${Math.round(bareRounds.at(-1)!.reqPerSec)} req/s p99 ${bareRounds.at(-1)!.p99Ms} ms`,
      );
      if (etag) {
        notModified.push(await load(url, { ...auth, 'if-none-match': etag }, '3xx'));
        console.log(
          `round ${i}/${ROUNDS}: api with If-None-Match (304) ${Math.round(notModified.at(-1)!.reqPerSec)} req/s p99 ${notModified.at(-1)!.p99Ms} ms`,
        );
      }
    }
    emit('poll', {
      reqPerSec: apiRounds.map((r) => r.reqPerSec),
      p99Ms: apiRounds.map((r) => r.p99Ms),
      bareReqPerSec: bareRounds.map((r) => r.reqPerSec),
      bareP99Ms: bareRounds.map((r) => r.p99Ms),
      ratio: apiRounds.map((r, i) => r.reqPerSec / bareRounds[i]!.reqPerSec),
      // 0 when the api sends no ETag (before issue 13).
      notModifiedReqPerSec: notModified.length ? notModified.map((r) => r.reqPerSec) : 0,
    });
  } finally {
    await bare?.stop();
    await api?.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
