import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkConfig } from '@app/config';

/**
 * docker-compose.yml, checked without a Docker engine: services and their
 * dependencies fit together, every variable the apps are given is documented in
 * .env.example, and the apps' environment, with compose's defaults filled in,
 * passes the same start-up validation the processes run.
 */
interface Service {
  image?: string;
  build?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
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
});
