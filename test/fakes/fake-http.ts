import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What every fake server (and the gated proxy) shares: listening on 127.0.0.1,
 * reading whole bodies, answering JSON, the scripted transport failures, counting
 * and scripting calls, and closing without waiting on hung requests.
 */

export interface LocalServer {
  readonly port: number;
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** Also ends hanging requests and keep-alive sockets, so tests never wait on them. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0: a free one) and tracks sockets so close() is immediate. */
export async function listenLocal(listener: RequestListener, port = 0): Promise<LocalServer> {
  const server = createServer(listener);
  // Never time an idle keep-alive socket out. The fakes run in the test's own process,
  // so a test that blocks it (a synchronous RSA key generation, a loaded CI machine)
  // for longer than the 5 s default plus Node's 1 s buffer wakes up with the request
  // it just sent sitting unread on a socket whose idle timer fires in the same turn:
  // the server destroys it and the client reads ECONNRESET. close() ends them instead.
  server.keepAliveTimeout = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    origin: `http://127.0.0.1:${actual}`,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

export type BodyHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

/**
 * Calls `handler` once the whole request body has arrived. A fake that throws
 * answers through `onError` (a 500 by default) instead of leaving the client hanging.
 */
export function withBody(
  handler: BodyHandler,
  onError = (res: ServerResponse, e: Error) => json(res, 500, { error: `fake failed: ${e.message}` }),
): RequestListener {
  return (req, res) => {
    readBody(req)
      .then((body) => handler(req, res, body))
      .catch((e: unknown) => {
        if (!res.headersSent) onError(res, e as Error);
      });
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The body as JSON, or undefined when it does not parse (each fake answers that in its vendor's words). */
export function parseJson(raw: string): { value: any } | undefined {
  try {
    return { value: JSON.parse(raw) };
  } catch {
    return undefined;
  }
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Google's error envelope (Gemini and Cloud Text-to-Speech alike); `details` only when given. */
export function googleError(res: ServerResponse, code: number, status: string, message: string, details?: object[]): void {
  json(res, code, { error: { code, message, status, ...(details ? { details } : {}) } });
}

/**
 * The failures below HTTP that every fake can script: `hang` never answers (the
 * socket stays open until the client gives up or close()), `reset` destroys the
 * socket without a response. True when `kind` was one of them and is handled.
 */
export function transportFailure(res: ServerResponse, kind: string): boolean {
  if (kind === 'hang') return true;
  if (kind === 'reset') {
    res.socket?.destroy();
    return true;
  }
  return false;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a test sees of any scripted fake. */
export interface ScriptedView<Step extends { kind: string }, Recorded> {
  /** Calls received so far (failed ones included). */
  readonly calls: number;
  readonly requests: readonly Recorded[];
  readonly lastRequest: Recorded | undefined;
  /** Queues steps for the next calls, in order; a bare name stands for the step with defaults. */
  script(...steps: (Step | Step['kind'])[]): void;
  /** Resolves once `n` calls have arrived (for acting while a call is in flight, without sleeping). */
  waitForCalls(n: number): Promise<void>;
  /** Forgets the script, the requests and the call count. */
  reset(): void;
}

/**
 * Call counting and scripting: the fake records each call, then takes the next
 * scripted step (undefined: its default behaviour). `expose` joins the view with
 * the fake's own fields (base URL, close).
 */
export function scripted<Step extends { kind: string }, Recorded>() {
  const queue: Step[] = [];
  const requests: Recorded[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  const view: ScriptedView<Step, Recorded> = {
    get calls() {
      return requests.length;
    },
    requests,
    get lastRequest() {
      return requests.at(-1);
    },
    script(...steps) {
      queue.push(...steps.map((s) => (typeof s === 'string' ? ({ kind: s } as Step) : s)));
    },
    waitForCalls(n) {
      return requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
  };
  return {
    record(request: Recorded): void {
      requests.push(request);
      waiters = waiters.filter((w) => (requests.length >= w.n ? (w.resolve(), false) : true));
    },
    next(): Step | undefined {
      return queue.shift();
    },
    expose<Extra extends object>(extra: Extra): Extra & ScriptedView<Step, Recorded> {
      return Object.defineProperties(extra, Object.getOwnPropertyDescriptors(view)) as Extra & ScriptedView<Step, Recorded>;
    },
  };
}
