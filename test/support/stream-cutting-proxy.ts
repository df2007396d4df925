import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StreamCuttingProxy {
  url: string;
  /** How many event streams it cut. */
  cut: number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the api that passes everything through, except that it cuts
 * every server-sent event stream (`…/events`) right after its first chunk: what a load
 * balancer with a short idle timeout, or an api restart, does to a long stream.
 */
export async function startStreamCuttingProxy(target: string): Promise<StreamCuttingProxy> {
  const upstream = new URL(target);
  const state = { cut: 0 };
  const server: Server = createServer((req, res) => {
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      const isStream = String(answer.headers['content-type'] ?? '').startsWith('text/event-stream');
      if (!isStream) return void answer.pipe(res);
      answer.once('data', (chunk: Buffer) => {
        res.write(chunk, () => {
          state.cut += 1;
          answer.destroy();
          res.destroy(); // no clean end: the client sees the stream break
        });
      });
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get cut() {
      return state.cut;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
