import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkConfig, parseAppConfig } from '@app/config';
import { workerStopBudget } from './support/worker-stop-budget.js';

/**
 * docker-compose.yml, checked without a Docker engine: services and their
 * dependencies fit together, every variable the apps are given is documented in
 * .env.example, and the apps' environment, with compose's defaults filled in,
 * passes the same start-up validation the processes run.
 */
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  container_name?: string;
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}

const root = process.cwd();
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const documented = new Set([...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));
const services = compose.services;
const APPS = ['api', 'worker'] as const;

/** Compose's interpolation: ${X:-default} takes the default, ${X:?message} must come from .env (a stand-in here). */
function interpolate(value: string): string {
  return String(value).replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (kind === '?') return name === 'SECRET_KEY' ? 'k'.repeat(48) : `set-${name}`;
    return rest ?? '';
  });
}

const envOf = (service: string) => Object.fromEntries(Object.entries(services[service]!.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));

/** Compose durations as this file writes them: 1h2m3s, 620s, 90s. */
function seconds(duration: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  if (!match || duration === '') throw new Error(`unsupported duration ${duration}`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** Services that run once and exit: others wait for them to complete, never for them to be healthy. */
const oneShots = new Set(
  Object.values(services).flatMap((s) =>
    Object.entries(s.depends_on ?? {})
      .filter(([, d]) => d.condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
);

/**
 * Compose's own validation, which needs no engine: the v2 plugin (`docker compose`) where
 * installed, else Debian's `docker-compose`, which scripts/setup.sh installs for this test.
 */
const composeCommand: [string, string[]] =
  spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0 ? ['docker', ['compose']] : ['docker-compose', []];

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Redis, MinIO with a one-shot bucket creation, the api and a worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'minio', 'minio-init', 'postgres', 'redis', 'worker']);
  });

  it('names only services that exist in depends_on, with conditions those services can meet', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect([name, dependency, dependency in services]).toEqual([name, dependency, true]);
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect([dependency, Boolean(services[dependency]!.healthcheck)]).toEqual([dependency, true]);
        // A one-shot service is never "healthy"; a server never "completes".
        if (condition === 'service_completed_successfully') expect(services[dependency]!.healthcheck).toBeUndefined();
      }
    }
    expect(services.api!.depends_on).toMatchObject({ 'minio-init': { condition: 'service_completed_successfully' } });
    expect(services['minio-init']!.depends_on).toEqual({ minio: { condition: 'service_healthy' } });
  });

  it('declares every named volume it mounts', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/')) expect(compose.volumes).toHaveProperty(source);
      }
    }
  });

  it.each(APPS)('gives the %s only variables that .env.example documents', (app) => {
    for (const name of Object.keys(services[app]!.environment ?? {})) expect([name, documented.has(name)]).toEqual([name, true]);
  });

  it('substitutes only variables that .env.example documents', () => {
    const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    for (const [, name] of text.matchAll(/\$\{([A-Z0-9_]+)/g)) expect([name, documented.has(name!)]).toEqual([name, true]);
  });

  it.each(APPS)('points the %s at the bucket MinIO is given, with no shared disk', (app) => {
    const env = envOf(app);
    expect(env).toMatchObject({ STORAGE_DRIVER: 's3', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'blinked' });
    expect(services[app]!.volumes ?? []).toEqual([]);
    expect(services['minio-init']!.entrypoint).toEqual(['mc', 'mb', '--ignore-existing', `local/${env.S3_BUCKET}`]);
    // The keys the apps use are the ones MinIO starts with.
    const minio = envOf('minio');
    expect([env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY]).toEqual([minio.MINIO_ROOT_USER, minio.MINIO_ROOT_PASSWORD]);
    expect(envOf('minio-init').MC_HOST_local).toBe(`http://${minio.MINIO_ROOT_USER}:${minio.MINIO_ROOT_PASSWORD}@minio:9000`);
  });

  it.each(APPS)('gives the %s an environment that passes its start-up validation', (app) => {
    expect(() => checkConfig(app, envOf(app))).not.toThrow();
  });

  it('gives api and worker the one SECRET_KEY (tokens and media links the api signs, webhook secrets it encrypts)', () => {
    expect(services.worker!.environment!.SECRET_KEY).toBe(services.api!.environment!.SECRET_KEY);
    expect(services.api!.environment!.SECRET_KEY).toMatch(/^\$\{SECRET_KEY:\?/); // from .env, never a default
  });

  it('runs Redis with an append-only file and no eviction, as BullMQ needs', () => {
    const command = services.redis!.command!.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    // The append-only file lives on a volume, or a recreated container starts empty.
    expect(services.redis!.volumes).toEqual([expect.stringMatching(/^redisdata:\/data$/)]);
  });

  it('checks the health of every service that keeps running', () => {
    expect([...oneShots]).toEqual(['minio-init']);
    for (const [name, service] of Object.entries(services)) {
      expect([name, Boolean(service.healthcheck)]).toEqual([name, !oneShots.has(name)]);
    }
  });

  it.each([
    ['api', ['/health/ready']],
    ['worker', []],
  ] as const)("checks the %s with the image's healthcheck script, arguments %j", (app, expectedArgs) => {
    const [kind, node, script, ...args] = services[app]!.healthcheck!.test;
    expect([kind, node]).toEqual(['CMD', 'node']);
    expect(script).toMatch(/^dist\/scripts\/.+\.js$/);
    expect(existsSync(join(root, script!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    expect(args).toEqual(expectedArgs);
  });

  it('publishes the port the api listens on', () => {
    const api = parseAppConfig(envOf('api'));
    expect(services.api!.ports).toEqual([`${api.port}:${api.port}`]);
  });

  it('runs several workers from the worker command the build makes, and can scale them', () => {
    const command = services.worker!.command!;
    expect(command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(existsSync(join(root, 'apps/worker/src/main.ts'))).toBe(true);
    expect(services.worker!.build).toBe(services.api!.build); // one image
    expect(services.worker!.deploy?.replicas).toBeGreaterThanOrEqual(2);
    // A fixed name or a published port would stop `--scale worker=N` at the second container.
    expect([services.worker!.container_name, services.worker!.ports]).toEqual([undefined, undefined]);
  });

  it('gives a stopping worker time to finish its longest stitch, and Docker waits longer than that', () => {
    const budget = workerStopBudget(envOf('worker'));
    expect(budget.graceMs).toBeGreaterThanOrEqual(budget.longestStitchMs);
    expect(budget.graceMs).toBeGreaterThanOrEqual(budget.providerRequestMs);
    expect(seconds(services.worker!.stop_grace_period!) * 1000).toBeGreaterThan(budget.graceMs + budget.forceCloseMs);
  });

  it('is valid for docker compose itself (docker compose config)', () => {
    const [command, prefix] = composeCommand;
    const result = spawnSync(command, [...prefix, '-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SECRET_KEY: 'k'.repeat(48) },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
