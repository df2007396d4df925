import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueKeys } from 'bullmq';
import { parseAllDocuments } from 'yaml';
import { type AppName, checkConfig, parseAppConfig, parseRedisConfig, parseWorkerConfig } from '@app/config';
import { DEFAULT_POOL_SIZE } from '@app/db';
import { ALL_QUEUES, bullPrefix } from '@app/jobs';
import { workerPoolSize } from '../apps/worker/src/lifecycle/db-pool-size.js';
import { workerStopBudget } from './support/worker-stop-budget.js';

/**
 * deploy/kubernetes, checked without a cluster: every manifest parses, and what they name
 * fits together and fits the code (image, commands, ports, probe paths, variables against
 * .env.example and the start-up validation, the queues' Redis keys, the stop budget).
 */
const root = process.cwd();
const dir = join(root, 'deploy/kubernetes');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Labels = Record<string, string>;
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Labels; annotations?: Labels };
  spec?: any;
  data?: Record<string, string>;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const manifests: (Manifest & { file: string })[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return { ...(doc.toJS() as Manifest), file };
  }),
);
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const one = (kind: string, name: string) => {
  const found = ofKind(kind).filter((m) => m.metadata.name === name);
  expect([kind, name, found.length]).toEqual([kind, name, 1]);
  return found[0]!;
};

const kustomization = ofKind('Kustomization')[0]!;
const deployments = ofKind('Deployment');
const deploymentOf = (component: 'api' | 'worker') => {
  const found = deployments.filter((d) => d.spec.template.metadata.labels['app.kubernetes.io/component'] === component);
  expect([component, found.length]).toEqual([component, 1]);
  return found[0]!;
};
const containerOf = (component: 'api' | 'worker'): Container => {
  const containers = deploymentOf(component).spec.template.spec.containers as Container[];
  expect(containers).toHaveLength(1);
  return containers[0]!;
};
const podLabels = (deployment: Manifest): Labels => deployment.spec.template.metadata.labels;
const selects = (selector: Labels, labels: Labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

const documented = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));
const configMaps = new Map(ofKind('ConfigMap').map((c) => [c.metadata.name, c.data ?? {}]));

/** Stand-ins for what the Secrets hold: what an operator puts there, shaped as the apps expect. */
const SECRET_VALUES: Record<string, string> = {
  DATABASE_URL: 'postgres://blinked:pw@postgres.example:5432/blinked',
  REDIS_URL: 'redis://:pw@redis.example:6379/0',
  SECRET_KEY: 'k'.repeat(48),
  S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'example-secret',
  GOOGLE_GEMINI_API_KEY: 'gemini-key',
  OPENAI_API_KEY: 'openai-key',
  GOOGLE_TTS_API_KEY: 'tts-key',
};

/** The environment a container starts with; optional Secret keys only when `withOptional`. */
function environmentOf(container: Container, withOptional: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    expect(from.secretRef).toBeUndefined(); // whole Secrets would hide which variables a pod gets
    Object.assign(env, configMaps.get(from.configMapRef!.name));
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (secret && (withOptional || !secret.optional)) env[variable.name] = SECRET_VALUES[secret.key]!;
  }
  return env;
}

/** A probe's port as a number: named ports resolve through the container's ports. */
function probePort(container: Container, probe: Probe): number {
  const port = probe.httpGet.port;
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  expect([port, Boolean(named)]).toEqual([port, true]);
  return named!.containerPort;
}

const probesOf = (container: Container) => ({
  startup: container.startupProbe && { path: container.startupProbe.httpGet.path, port: probePort(container, container.startupProbe) },
  liveness: container.livenessProbe && { path: container.livenessProbe.httpGet.path, port: probePort(container, container.livenessProbe) },
  readiness: container.readinessProbe && { path: container.readinessProbe.httpGet.path, port: probePort(container, container.readinessProbe) },
});

const APPS: ('api' | 'worker')[] = ['api', 'worker'];

// `kubectl kustomize` is not run: kubectl is no Debian package, and a test that runs only
// where it happens to be installed would be skipped on a fresh machine. The specs below read
// the kustomization as kustomize does (its resources, namespace and image).

describe('deploy/kubernetes', () => {
  it('applies every manifest through its kustomization, and each parses into kinds it expects', () => {
    expect(kustomization.resources!.slice().sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'Deployment',
        'Kustomization',
        'Namespace',
        'PodDisruptionBudget',
        'PodDisruptionBudget',
        'ScaledObject',
        'Service',
        'TriggerAuthentication',
      ].sort(),
    );
    for (const m of manifests) expect([m.file, m.kind, typeof m.apiVersion]).toEqual([m.file, m.kind, 'string']);
  });

  it('runs api and worker from the one image, whose tag the kustomization sets', () => {
    const images = new Set(APPS.map((app) => containerOf(app).image));
    expect(images.size).toBe(1);
    const [image] = [...images];
    expect(kustomization.images).toEqual([expect.objectContaining({ name: image!.split(':')[0] })]);
  });

  it.each(APPS)("starts the %s with its app's command, under the image's entrypoint", (app) => {
    const container = containerOf(app);
    // `command` would replace the entrypoint (tini): SIGTERM and ffmpeg's children would go unhandled.
    expect(container.command).toBeUndefined();
    expect(container.args).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    expect(existsSync(join(root, `apps/${app}/src/main.ts`))).toBe(true);
  });

  it.each(APPS)('selects its own pods in the %s Deployment, and no other', (app) => {
    const deployment = deploymentOf(app);
    const selector = deployment.spec.selector.matchLabels as Labels;
    expect(selects(selector, podLabels(deployment))).toBe(true);
    for (const other of deployments.filter((d) => d !== deployment)) expect(selects(selector, podLabels(other))).toBe(false);
  });

  it('serves the api on PORT, through a Service that selects the api pods', () => {
    const container = containerOf('api');
    const port = parseAppConfig(environmentOf(container, false)).port;
    const http = container.ports!.find((p) => p.name === 'http')!;
    expect(http.containerPort).toBe(port);
    const service = one('Service', 'blinked-api');
    expect(selects(service.spec.selector, podLabels(deploymentOf('api')))).toBe(true);
    expect(selects(service.spec.selector, podLabels(deploymentOf('worker')))).toBe(false);
    for (const { targetPort } of service.spec.ports as { targetPort: string | number }[]) {
      expect(typeof targetPort === 'number' ? targetPort : container.ports!.find((p) => p.name === targetPort)?.containerPort).toBe(port);
    }
  });

  it('probes the api at /health for start-up and liveness and /health/ready for readiness, on PORT', () => {
    const container = containerOf('api');
    const port = parseAppConfig(environmentOf(container, false)).port;
    expect(probesOf(container)).toEqual({
      startup: { path: '/health', port },
      liveness: { path: '/health', port },
      readiness: { path: '/health/ready', port },
    });
  });

  it('probes the worker at the same paths on WORKER_HTTP_PORT', () => {
    const container = containerOf('worker');
    const port = parseWorkerConfig(environmentOf(container, false)).httpPort;
    expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(probesOf(container)).toEqual({
      startup: { path: '/health', port },
      liveness: { path: '/health', port },
      readiness: { path: '/health/ready', port },
    });
  });

  it.each(APPS)('tells Prometheus where the %s serves /metrics', (app) => {
    const annotations = deploymentOf(app).spec.template.metadata.annotations as Labels;
    const ports = containerOf(app).ports!.map((p) => String(p.containerPort));
    expect(annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics' });
    expect(ports).toContain(annotations['prometheus.io/port']);
  });

  it('uses only variables that .env.example documents, each Secret key named after its variable', () => {
    for (const [name, data] of configMaps) for (const key of Object.keys(data)) expect([name, key, documented.has(key)]).toEqual([name, key, true]);
    for (const app of APPS) {
      for (const variable of containerOf(app).env ?? []) {
        expect([app, variable.name, documented.has(variable.name)]).toEqual([app, variable.name, true]);
        const secret = variable.valueFrom?.secretKeyRef;
        // One key per variable: `kubectl create secret --from-env-file` of a .env-style file fills it.
        if (secret) expect([variable.name, secret.key, secret.key in SECRET_VALUES]).toEqual([variable.name, variable.name, true]);
      }
    }
  });

  it('gives api and worker the one SECRET_KEY, from the Secret', () => {
    const refs = APPS.map((app) => containerOf(app).env!.find((v) => v.name === 'SECRET_KEY')?.valueFrom?.secretKeyRef);
    expect(refs[0]).toEqual({ name: 'blinked-secrets', key: 'SECRET_KEY' });
    expect(refs[1]).toEqual(refs[0]);
  });

  it.each(APPS.flatMap((app) => [[app, 'with'] as const, [app, 'without'] as const]))(
    'gives the %s an environment that passes its start-up validation, %s the optional keys',
    (app, optional) => {
      expect(() => checkConfig(app as AppName, environmentOf(containerOf(app), optional === 'with'))).not.toThrow();
    },
  );

  it('refers only to ConfigMaps it defines, and to Secrets the README says how to create', () => {
    const readme = read('README.md');
    const secrets = new Set<string>();
    for (const app of APPS) {
      const container = containerOf(app);
      for (const from of container.envFrom ?? []) expect(configMaps.has(from.configMapRef!.name)).toBe(true);
      for (const variable of container.env ?? []) if (variable.valueFrom?.secretKeyRef) secrets.add(variable.valueFrom.secretKeyRef.name);
    }
    for (const auth of ofKind('TriggerAuthentication')) for (const ref of auth.spec.secretTargetRef as { name: string }[]) secrets.add(ref.name);
    expect([...secrets].sort()).toEqual(['blinked-keda-redis', 'blinked-secrets']);
    for (const secret of secrets) expect([secret, readme.includes(`kubectl -n blinked create secret generic ${secret}`)]).toEqual([secret, true]);
    expect(ofKind('Namespace').map((n) => n.metadata.name)).toEqual([kustomization.namespace ?? 'blinked']);
  });

  it('covers each Deployment with a PodDisruptionBudget that selects its pods, and keeps an api pod serving', () => {
    const budgets = ofKind('PodDisruptionBudget');
    for (const deployment of deployments) {
      const covering = budgets.filter((b) => selects(b.spec.selector.matchLabels, podLabels(deployment)));
      expect([deployment.metadata.name, covering.length]).toEqual([deployment.metadata.name, 1]);
    }
    for (const budget of budgets) expect(deployments.some((d) => selects(budget.spec.selector.matchLabels, podLabels(d)))).toBe(true);
    const api = budgets.find((b) => selects(b.spec.selector.matchLabels, podLabels(deploymentOf('api'))))!;
    expect(deploymentOf('api').spec.replicas - api.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
  });

  it("scales the worker Deployment with KEDA, one trigger per queue on BullMQ's wait list under QUEUE_PREFIX", () => {
    const scaled = one('ScaledObject', 'blinked-worker');
    const worker = deploymentOf('worker');
    expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: worker.metadata.name });
    // A count in the Deployment would fight the autoscaler on every apply.
    expect(worker.spec.replicas).toBeUndefined();

    const redis = parseRedisConfig(environmentOf(containerOf('worker'), false));
    const keys = new QueueKeys(bullPrefix(redis));
    const triggers = scaled.spec.triggers as { type: string; name: string; metadata: Record<string, string>; authenticationRef: { name: string } }[];
    // Queues being added on other branches may have their trigger first; every queue of the code must have one.
    const COMING = ['webhooks'];
    expect(triggers.map((t) => t.name).sort()).toEqual([...new Set([...ALL_QUEUES, ...COMING])].sort());
    for (const trigger of triggers) {
      expect(trigger.type).toBe(redis.topology.kind === 'cluster' ? 'redis-cluster' : 'redis');
      expect(trigger.metadata.listName).toBe(keys.getKeys(trigger.name).wait);
      expect(trigger.metadata.listLength).toMatch(/^[1-9]\d*$/); // KEDA wants a string
      // The server comes from the TriggerAuthentication, never from here.
      expect(trigger.metadata.address).toBeUndefined();
      const auth = one('TriggerAuthentication', trigger.authenticationRef.name);
      expect((auth.spec.secretTargetRef as { parameter: string }[]).map((r) => r.parameter).sort()).toEqual(['address', 'password']);
    }
  });

  it('never scales workers to zero: they also promote delayed jobs and run the reconciler', () => {
    const scaled = one('ScaledObject', 'blinked-worker');
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaled.spec.maxReplicaCount).toBeGreaterThan(scaled.spec.minReplicaCount);
  });

  it("fits PostgreSQL's default max_connections at full scale", () => {
    const scaled = one('ScaledObject', 'blinked-worker');
    const perWorker = workerPoolSize(parseWorkerConfig(environmentOf(containerOf('worker'), false)).concurrency);
    const total = scaled.spec.maxReplicaCount * perWorker + deploymentOf('api').spec.replicas * DEFAULT_POOL_SIZE;
    // max_connections 100, of which superuser_reserved_connections keeps 3 (PostgreSQL's defaults).
    expect(total).toBeLessThanOrEqual(97);
    expect(read('deploy/kubernetes/worker-autoscaling.yaml')).toContain(`up to ${perWorker} database connections`);
  });

  it("gives a stopping worker time to finish its longest stitch, and waits for the worker's own grace", () => {
    const spec = deploymentOf('worker').spec.template.spec;
    const budget = workerStopBudget(environmentOf(containerOf('worker'), false));
    expect(budget.graceMs).toBeGreaterThanOrEqual(budget.longestStitchMs);
    expect(budget.graceMs).toBeGreaterThanOrEqual(budget.providerRequestMs);
    expect(spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(budget.graceMs + budget.forceCloseMs);
  });

  it('lets the api finish its preStop pause within its termination grace', () => {
    const spec = deploymentOf('api').spec.template.spec;
    const [sleep, seconds] = containerOf('api').lifecycle!.preStop!.exec!.command;
    expect(sleep).toBe('sleep');
    expect(Number(seconds)).toBeLessThan(spec.terminationGracePeriodSeconds);
  });

  it.each(APPS)("runs the %s as the image's user, read-only but for a scratch volume where WORK_DIR points", (app) => {
    const pod = deploymentOf(app).spec.template.spec;
    const container = containerOf(app);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(read('Dockerfile')).toMatch(/^USER node$/m); // uid 1000 in the official Node images
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const workDir = parseWorkerConfig(environmentOf(container, false)).workDir;
    const mounts = container.volumeMounts ?? [];
    expect(mounts.some((m) => workDir === m.mountPath || workDir.startsWith(`${m.mountPath}/`))).toBe(true);
    for (const mount of mounts) expect((pod.volumes as { name: string; emptyDir?: object }[]).find((v) => v.name === mount.name)?.emptyDir).toBeDefined();
  });
});
