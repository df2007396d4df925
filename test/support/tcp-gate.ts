import { createServer, type Server, type Socket, connect } from 'node:net';

export interface TcpGate {
  /** The port clients connect to instead of the target's. */
  readonly port: number;
  /** `url` with its port replaced by the gate's (e.g. a DATABASE_URL or REDIS_URL). */
  through(url: string): string;
  /** Down: open connections are cut and new ones refused (ECONNREFUSED), as a stopped server does. */
  cut(): Promise<void>;
  /** Up again, on the same port. */
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP pass-through in front of a real server (PostgreSQL, Redis) that a test can
 * take down and bring back, for outages without stopping the shared server: the
 * clients see exactly what a stopped server gives them (connections reset, then
 * refused), and the server keeps its state, as after a restart.
 */
export async function startTcpGate(targetHost: string, targetPort: number): Promise<TcpGate> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    const s = createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as { port: number }).port;
    server = s;
  };

  const shut = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    through(url: string) {
      const u = new URL(url);
      u.port = String(port);
      return u.toString();
    },
    cut: shut,
    open: async () => {
      if (!server) await listen();
    },
    close: shut,
  };
}
