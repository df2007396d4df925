import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { MetricsConfig } from '@app/config';
import { METRICS_CHALLENGE, metricsAuthorized, MetricsRegistry, notReadyMessage } from '@app/observability';
import { WorkerReadiness } from './worker-readiness.service.js';

/**
 * Binds WORKER_HTTP_PORT before the worker starts taking jobs: a port that is taken
 * stops the process (one line) before it holds any job, instead of after, when a
 * restart loop would stall the jobs it took until they failed. Until the worker is
 * up, every request is answered 503 "starting".
 */
export async function openWorkerListener(port: number): Promise<Server> {
  const server = createServer((_req, res) => send(res, 503, { message: 'The worker is starting' }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === 'EADDRINUSE' ? `WORKER_HTTP_PORT ${port} is already in use (give each worker on a host its own, or 0 for any free port)` : e.message,
        ),
      ),
    );
    server.listen(port, () => resolve());
  });
  return server;
}

/**
 * The worker's only HTTP surface, on WORKER_HTTP_PORT: GET /metrics for Prometheus
 * (METRICS_TOKEN as a bearer when set), /health (liveness) and /health/ready
 * (readiness) for probes, in the api's answers' shapes. Plain node:http: three GET
 * routes need no framework, and nothing else may be served here. Closed on shutdown.
 */
@Injectable()
export class WorkerHttpServer implements OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly token?: string;
  private server?: Server;

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly readiness: WorkerReadiness,
    config: ConfigService,
  ) {
    this.token = config.getOrThrow<MetricsConfig>('metrics').token;
  }

  /** Starts answering on the listener main.ts opened. */
  serve(server: Server): void {
    this.server = server;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.route(req, res));
    // Tests (WORKER_HTTP_PORT=0) read the port from this line.
    this.logger.log(`metrics and health on :${(server.address() as AddressInfo).port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // a scraper's keep-alive connection would hold the close open
    await closed;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { message: 'Only GET is served here' }, { allow: 'GET, HEAD' });
      switch (path) {
        case '/metrics':
          if (!metricsAuthorized(req.headers.authorization, this.token)) {
            return send(res, 401, { message: 'Metrics need the METRICS_TOKEN as a bearer token' }, { 'www-authenticate': METRICS_CHALLENGE });
          }
          return sendText(res, this.registry.contentType, await this.registry.render());
        case '/health':
          return sendJson(res, 200, { status: 'ok' });
        case '/health/ready': {
          const report = await this.readiness.report();
          if (report.ready) return sendJson(res, 200, { status: 'ok', checks: report.checks });
          return send(res, 503, { message: `Not ready: ${notReadyMessage(report)}` });
        }
        default:
          return send(res, 404, { message: 'Not found: this port serves /metrics, /health and /health/ready' });
      }
    } catch (e) {
      this.logger.error(`${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) send(res, 500, { message: 'Internal server error' });
      else res.destroy();
    }
  }
}

/** An error in the api's shape: `{statusCode, error, message}`. */
function send(res: ServerResponse, status: number, body: { message: string }, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  sendJson(res, status, { statusCode: status, error: STATUS_CODES[status] ?? 'Error', ...body });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, contentType: string, text: string): void {
  res.statusCode = 200;
  res.setHeader('content-type', contentType);
  res.setHeader('cache-control', 'no-store');
  res.end(text);
}
