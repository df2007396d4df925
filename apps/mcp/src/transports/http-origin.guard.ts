import type { IncomingMessage } from 'node:http';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

function hostnameOf(value: string, scheme = 'http://'): string | undefined {
  try {
    return new URL(value.includes('://') ? value : `${scheme}${value}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Why a request must be refused (403), or undefined to serve it. Anyone who reaches the
 * server acts as BLINKED_TOKEN's user, and the MCP spec asks local servers to check Origin
 * against DNS rebinding: a web page whose name was re-pointed at 127.0.0.1 reaches a
 * loopback server with its own name in Host and Origin. So on a loopback address only
 * loopback names are served, and a browser's Origin must be the server's own host.
 */
export function refusal(req: IncomingMessage, listenHost: string): string | undefined {
  const host = req.headers.host;
  const hostname = host === undefined ? undefined : hostnameOf(host);
  if (!hostname) return 'Missing or invalid Host header';
  if (isLoopback(listenHost) && !isLoopback(hostname)) return `Invalid Host: ${hostname}`;
  const origin = req.headers.origin;
  if (origin !== undefined && hostnameOf(origin) !== hostname) return `Invalid Origin: ${origin}`;
  return undefined;
}
