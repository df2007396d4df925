// The image's HEALTHCHECK, for whichever process the container runs (the image is one
// for api and worker; the command picks). Built to dist/scripts/healthcheck.js and run by
// Docker as `node dist/scripts/healthcheck.js [path]` (path: /health by default, e.g.
// /health/ready where readiness matters): exit 0 when the process answers 2xx, else 1.
// Node itself does the request: a slim image has no curl or wget.
//
// Kept free of the apps' modules: Docker runs it every interval, and loading Nest or the
// configuration for it would cost more than the check. The default ports repeat the
// configuration's (PORT 8000, WORKER_HTTP_PORT 9464); test/healthcheck.spec.ts keeps them equal.
import { readFileSync } from 'node:fs';

export type Role = 'api' | 'worker';

export const DEFAULT_API_PORT = 8000;
export const DEFAULT_WORKER_HTTP_PORT = 9464;

/**
 * The process a container runs, read from PID 1's command line (arguments separated by
 * NUL): `tini -- node dist/apps/worker/src/main.js` under the image's entrypoint, or the
 * node command itself without it. Undefined when it names neither app.
 */
export function roleOf(cmdline: string): Role | undefined {
  for (const arg of cmdline.split('\0')) {
    const match = /(?:^|\/)apps\/(api|worker)\/src\/main\.js$/.exec(arg);
    if (match) return match[1] as Role;
  }
  return undefined;
}

/**
 * The URLs to try. Only the role's own port when the role is known: on a shared network
 * (host networking) the other app's port may be answered by another container, which
 * must not make this one look healthy. Both when it is not known.
 */
export function healthUrls(env: Record<string, string | undefined>, role: Role | undefined, path = '/health'): string[] {
  const api = `http://127.0.0.1:${env.PORT || DEFAULT_API_PORT}${path}`;
  const worker = `http://127.0.0.1:${env.WORKER_HTTP_PORT || DEFAULT_WORKER_HTTP_PORT}${path}`;
  if (role === 'api') return [api];
  if (role === 'worker') return [worker];
  return [api, worker];
}

/** The first URL that answers 2xx within the timeout, or the reasons none did. */
export async function probe(urls: string[], timeoutMs: number): Promise<{ ok: true; url: string } | { ok: false; reasons: string[] }> {
  const reasons: string[] = [];
  for (const url of urls) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      // The body is not needed; reading it ends the request so nothing keeps the process open.
      await response.arrayBuffer();
      if (response.ok) return { ok: true, url };
      reasons.push(`${url}: HTTP ${response.status}`);
    } catch (e) {
      reasons.push(`${url}: ${describe(e)}`);
    }
  }
  return { ok: false, reasons };
}

/** fetch says only "fetch failed"; its cause has the useful part (ECONNREFUSED, a timeout). */
function describe(e: unknown): string {
  const error = e as { message?: string; cause?: { code?: string; message?: string } } | undefined;
  const cause = error?.cause?.code ?? error?.cause?.message;
  return `${error?.message ?? String(e)}${cause ? ` (${cause})` : ''}`;
}

function pid1CommandLine(): string {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8');
  } catch {
    return ''; // not Linux, or /proc hidden: try both ports
  }
}

/** Docker keeps the last lines a check prints (`docker inspect`): say what failed. */
export async function main(argv: string[], env: Record<string, string | undefined>, cmdline = pid1CommandLine()): Promise<number> {
  const path = argv[0] ?? '/health';
  const result = await probe(healthUrls(env, roleOf(cmdline), path), 3000);
  if (result.ok) return 0;
  console.error(`unhealthy: ${result.reasons.join('; ')}`);
  return 1;
}

// process.exit rather than exitCode: an idle keep-alive socket must not hold the check open.
if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main(process.argv.slice(2), process.env));
