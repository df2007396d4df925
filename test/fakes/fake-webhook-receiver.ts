import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { listenLocal, type LocalServer, readBody } from './fake-http.js';

/** One request as the receiver got it. */
export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  /** When the connection closed, for a request the receiver held (no answer sent). */
  closedAt?: number;
}

/** How the receiver answers a request: a status code, or `hang` (no answer until released or the client gives up). */
export type Answer = number | 'hang';

export interface FakeWebhookReceiver extends LocalServer {
  /** `origin` + path: one endpoint of ours per path. */
  url(path: string): string;
  /** Every request so far, or those to one path. */
  received(path?: string): ReceivedWebhook[];
  /** Answers for the next requests to `path`, in order; then `fallback` (see answerAlways), 204 by default. */
  script(path: string, ...answers: Answer[]): void;
  /** How `path` answers once its script is used up. */
  answerAlways(path: string, answer: Answer): void;
  /** Requests held open right now. */
  readonly holding: number;
  /** Answers every held request with `status`. */
  release(status?: number): void;
}

/**
 * A webhook receiver on 127.0.0.1 that records what arrives and answers as scripted per
 * path, speaking plain HTTP as any receiver would; tests verify signatures with the
 * standardwebhooks package (verify() below).
 */
export async function startWebhookReceiver(): Promise<FakeWebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const scripts = new Map<string, Answer[]>();
  const fallbacks = new Map<string, Answer>();
  const held = new Set<ServerResponse>();
  const server = await listenLocal((req, res) => {
    void readBody(req).then((body) => {
      const path = req.url ?? '/';
      const record: ReceivedWebhook = { path, headers: req.headers as Record<string, string>, body, at: Date.now() };
      requests.push(record);
      const answer = scripts.get(path)?.shift() ?? fallbacks.get(path) ?? 204;
      if (answer !== 'hang') return void res.writeHead(answer).end();
      held.add(res);
      res.on('close', () => {
        held.delete(res);
        record.closedAt = Date.now();
      });
    });
  });
  return {
    ...server,
    url: (path) => `${server.origin}${path}`,
    received: (path) => requests.filter((r) => path === undefined || r.path === path),
    script: (path, ...answers) => scripts.set(path, [...(scripts.get(path) ?? []), ...answers]),
    answerAlways: (path, answer) => fallbacks.set(path, answer),
    get holding() {
      return held.size;
    },
    release: (status = 204) => {
      for (const res of held) res.writeHead(status).end();
    },
  };
}

/** The request's event, after checking its signature as any Standard Webhooks receiver would; throws when it does not verify. */
export function verify(secret: string, request: ReceivedWebhook): { type: string; timestamp: string; data: any } {
  const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = request.headers;
  return new Webhook(secret).verify(request.body, { 'webhook-id': id!, 'webhook-timestamp': timestamp!, 'webhook-signature': signature! }) as never;
}
