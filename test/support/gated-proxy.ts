import { request as httpRequest } from 'node:http';
import { listenLocal } from '../fakes/fake-http.js';

export interface GatedProxy {
  /** The proxy's base URL; paths are forwarded unchanged to the target. */
  readonly baseUrl: string;
  /** When each request arrived (Date.now()), in order. */
  readonly arrivals: readonly number[];
  /** Requests held at the gate right now. */
  readonly waiting: number;
  /** From now on, requests wait at the gate until release(). */
  hold(): void;
  /** Lets the held requests (and later ones) through. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of a fake server, for what the fakes do not
 * show: when each request arrived, and holding requests in flight so a test can
 * observe what happens meanwhile (another job waiting on a lock) before letting
 * them go. Forwards method, path, headers and body as they came.
 */
export async function startGatedProxy(targetBaseUrl: string): Promise<GatedProxy> {
  const target = new URL(targetBaseUrl);
  const arrivals: number[] = [];
  let held: (() => void)[] | undefined;
  let waiting = 0;

  const server = await listenLocal((req, res) => {
    arrivals.push(Date.now());
    const forward = () => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      // The client gave up (its timeout): drop the upstream request too.
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    };
    if (!held) return forward();
    req.pause();
    waiting++;
    held.push(() => {
      waiting--;
      forward(); // pipe() resumes the paused request
    });
  });

  return {
    baseUrl: `${server.origin}${target.pathname.replace(/\/+$/, '')}`,
    arrivals,
    get waiting() {
      return waiting;
    },
    hold() {
      held ??= [];
    },
    release() {
      const go = held ?? [];
      held = undefined;
      for (const g of go) g();
    },
    close: server.close,
  };
}
