import { createServer, type Server, type Socket } from 'node:net';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { listenLocal, type LocalServer } from '@test/fakes/fake-http.js';
import { freePort } from '@test/support/redis-servers.js';
import { isMissingObject, isStoreUnreachable } from './s3.errors.js';

/** The real SDK against `port`, one attempt per call (its own retries change nothing here). */
function client(port: number, requestHandler: { socketTimeout?: number } = {}) {
  return new S3Client({
    endpoint: `http://127.0.0.1:${port}/`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler,
  });
}

/** What the SDK rejects with for one PutObject against `port`. */
async function putFails(port: number, requestHandler?: { socketTimeout?: number }): Promise<unknown> {
  const c = client(port, requestHandler);
  try {
    return await c.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })).then(
      () => new Error('the put succeeded'),
      (e: unknown) => e,
    );
  } finally {
    c.destroy();
  }
}

/** An S3-like server answering every request with `status` and an S3 error body. */
async function answering(status: number, code: string): Promise<LocalServer> {
  return listenLocal((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  });
}

describe('isStoreUnreachable, on what the AWS SDK really throws', () => {
  it('counts a refused connection (nothing listens: the store is stopped)', async () => {
    const error = await putFails(await freePort());
    // In a worker the SDK passes Node's error on, code and all; here (Jest's VM realm) it re-wraps it, quoting it.
    expect(String((error as Error).message)).toMatch(/connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    expect(isStoreUnreachable(error)).toBe(true);
    expect(isStoreUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it("counts the SDK's TimeoutError, which carries no socket code (a store that accepts and never answers)", async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const error = await putFails((silent.address() as { port: number }).port, { socketTimeout: 200 });
      expect(error).toMatchObject({ name: 'TimeoutError' });
      expect((error as { code?: unknown }).code).toBeUndefined();
      expect(isStoreUnreachable(error)).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it("counts the store's 500, 502, 503 and 504, but not 501 (an operation it lacks), 403 or a missing key", async () => {
    const cases: [number, string, boolean][] = [
      [503, 'SlowDown', true],
      [500, 'InternalError', true],
      [502, 'BadGateway', true],
      [504, 'GatewayTimeout', true],
      [501, 'NotImplemented', false],
      [403, 'AccessDenied', false],
    ];
    for (const [status, code, unreachable] of cases) {
      const server = await answering(status, code);
      try {
        const error = await putFails(server.port);
        expect({
          status,
          seen: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
          unreachable: isStoreUnreachable(error),
        }).toEqual({
          status,
          seen: status,
          unreachable,
        });
      } finally {
        await server.close();
      }
    }
    const missing = await answering(404, 'NoSuchKey');
    const c = client(missing.port);
    try {
      const error = await c.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })).catch((e: unknown) => e);
      expect([isMissingObject(error), isStoreUnreachable(error)]).toEqual([true, false]);
    } finally {
      c.destroy();
      await missing.close();
    }
  });

  it('follows the cause chain, and leaves other errors alone', () => {
    expect(isStoreUnreachable(new Error('upload failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }))).toBe(true);
    expect(isStoreUnreachable(new Error('S3 answered GetObject without a body'))).toBe(false);
    expect(isStoreUnreachable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isStoreUnreachable(undefined)).toBe(false);
  });
});
