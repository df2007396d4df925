import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { parseAppConfig, parseWorkerConfig } from '@app/config';
import { DEFAULT_API_PORT, DEFAULT_WORKER_HTTP_PORT, healthUrls, main, probe, roleOf } from '../scripts/healthcheck.js';

/**
 * scripts/healthcheck.ts, the image's HEALTHCHECK: it must pick the port of the process the
 * container runs and fail on anything but a 2xx in time, or Docker (and compose's
 * `depends_on: service_healthy`) trusts a dead process.
 */
describe('healthcheck script', () => {
  let server: Server;
  let port: number;
  let answer: (path: string) => number | 'hang';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = answer(req.url ?? '');
      if (status === 'hang') return; // never answers
      res.writeHead(status).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('knows the process from the command line of PID 1, under tini or without it', () => {
    expect(roleOf('/usr/bin/tini\0--\0node\0dist/apps/worker/src/main.js\0')).toBe('worker');
    expect(roleOf('/usr/bin/tini\0--\0node\0dist/apps/api/src/main.js\0')).toBe('api');
    expect(roleOf('node\0/app/dist/apps/api/src/main.js\0')).toBe('api');
    expect(roleOf('/bin/sh\0-c\0sleep 1000\0')).toBeUndefined();
    // A file merely named like the app elsewhere in the path is not the app.
    expect(roleOf('node\0dist/apps/api/src/main.js.map\0')).toBeUndefined();
  });

  it('defaults to the ports the configuration defaults to', () => {
    expect(DEFAULT_API_PORT).toBe(parseAppConfig({}).port);
    expect(DEFAULT_WORKER_HTTP_PORT).toBe(parseWorkerConfig({}).httpPort);
  });

  it("asks only the role's own port, the configured one, and both when the role is unknown", () => {
    expect(healthUrls({}, 'api')).toEqual(['http://127.0.0.1:8000/health']);
    expect(healthUrls({ PORT: '8080', WORKER_HTTP_PORT: '9000' }, 'worker', '/health/ready')).toEqual(['http://127.0.0.1:9000/health/ready']);
    expect(healthUrls({ PORT: '8080' }, undefined)).toEqual(['http://127.0.0.1:8080/health', 'http://127.0.0.1:9464/health']);
  });

  it('passes on a 2xx and fails on a 503, a refused connection or no answer in time', async () => {
    answer = (path) => (path === '/health' ? 200 : path === '/health/ready' ? 503 : 'hang');
    const base = `http://127.0.0.1:${port}`;
    expect(await probe([`${base}/health`], 2000)).toEqual({ ok: true, url: `${base}/health` });
    expect(await probe([`${base}/health/ready`], 2000)).toEqual({ ok: false, reasons: [`${base}/health/ready: HTTP 503`] });
    const started = Date.now();
    const hung = await probe([`${base}/slow`], 300);
    expect([hung.ok, Date.now() - started < 2000]).toEqual([false, true]);
    // A port nothing listens on: one the system handed out, closed again.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await probe([`http://127.0.0.1:${closedPort}/health`], 2000)).toEqual({
      ok: false,
      reasons: [`http://127.0.0.1:${closedPort}/health: fetch failed (ECONNREFUSED)`],
    });
  });

  it('exits 0 or 1 for the process PID 1 runs, on its configured port', async () => {
    answer = (path) => (path === '/health' ? 200 : 503);
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const worker = '/usr/bin/tini\0--\0node\0dist/apps/worker/src/main.js\0';
      expect(await main([], { WORKER_HTTP_PORT: String(port) }, worker)).toBe(0);
      expect(await main(['/health/ready'], { WORKER_HTTP_PORT: String(port) }, worker)).toBe(1);
      // The api's port is the live server, but the container runs a worker: unhealthy.
      expect(await main([], { PORT: String(port), WORKER_HTTP_PORT: '1' }, worker)).toBe(1);
      expect(quiet).toHaveBeenCalledWith(expect.stringContaining('unhealthy: http://127.0.0.1:1/health'));
    } finally {
      quiet.mockRestore();
    }
  });
});
