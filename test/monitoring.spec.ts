import type { ModuleRef } from '@nestjs/core';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ApiMetrics, METRICS, MetricsRegistry, WorkerMetrics } from '@app/observability';
import { QueueGauges } from '../apps/worker/src/observability/queue-gauges.js';
import { metricsOf, type Selector, selectorsOf } from './support/promql.js';

/**
 * Issue 11: deploy/grafana/blinked.json and deploy/prometheus/alerts.yml, parsed, and
 * every metric their PromQL reads held to what the api and the workers export: their
 * metric objects, made from the catalog (METRICS) as the processes make them, with
 * prom-client's process defaults, rendered to series names the way Prometheus stores
 * them (a histogram is its _bucket, _sum and _count series).
 */
const root = process.cwd();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/**
 * promtool is Prometheus's: the rules, their unit tests and the dashboard's queries are
 * checked by Prometheus's own parser too. It is the machine's, PROMTOOL's, or the one
 * scripts/setup.sh unpacks from Debian's prometheus package into .runtime/tools/.
 */
const promtool =
  process.env.PROMTOOL ??
  (spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0 ? 'promtool' : join(process.cwd(), '.runtime/tools/promtool'));

/** Runs promtool; a missing one fails the test with what to do (scripts/setup.sh unpacks it). */
function runPromtool(args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(promtool, args, { cwd, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool (${promtool}) could not run: ${result.error.message}; run bash scripts/setup.sh, or set PROMTOOL`);
  return result;
}

/** Labels Prometheus adds to every series it scrapes. */
const TARGET_LABELS = ['job', 'instance'];

interface Series {
  /** The metric as registered (for a histogram, the name before _bucket/_sum/_count). */
  metric: string;
  labels: Set<string>;
  /** Every value each label takes when the process starts, for labels whose series start at 0. */
  values: Map<string, Set<string>>;
}

/** The series names each process can export, mapped to what they carry. */
async function exported(): Promise<Map<string, Series>> {
  const api = new MetricsRegistry();
  new ApiMetrics(api);
  const worker = new MetricsRegistry();
  new WorkerMetrics(worker);
  // The worker's queue gauges, over queues that answer no jobs at all.
  const queue = (token: string) => ({ name: token.replace(/^BullQueue_/, ''), getJobCounts: () => Promise.resolve({}) });
  new QueueGauges({ get: queue } as unknown as ModuleRef, worker).onApplicationBootstrap();

  const series = new Map<string, Series>();
  for (const { registry } of [api, worker]) {
    for (const json of await registry.getMetricsAsJSON()) {
      // prom-client's JSON says 'counter', 'gauge', 'histogram' or 'summary' (its typings, an enum).
      const type = String(json.type);
      const labelNames = [...(registry.getSingleMetric(json.name) as unknown as { labelNames: string[] }).labelNames, ...TARGET_LABELS];
      const names =
        type === 'histogram'
          ? [`${json.name}_bucket`, `${json.name}_sum`, `${json.name}_count`]
          : type === 'summary'
            ? [json.name, `${json.name}_sum`, `${json.name}_count`]
            : [json.name];
      for (const name of names) {
        const s = series.get(name) ?? { metric: json.name, labels: new Set<string>(), values: new Map<string, Set<string>>() };
        for (const l of labelNames) s.labels.add(l);
        if (name.endsWith('_bucket')) s.labels.add('le');
        if (type === 'summary' && name === json.name) s.labels.add('quantile');
        for (const v of json.values) {
          for (const [l, value] of Object.entries(v.labels)) {
            if (l === 'le' || l === 'quantile') continue;
            s.values.set(l, (s.values.get(l) ?? new Set()).add(String(value)));
          }
        }
        series.set(name, s);
      }
    }
  }
  return series;
}

/**
 * The problems of one expression against the exported series: unknown metrics, label
 * names a metric does not carry, and (for labels whose every value is known from the
 * start) values it never takes, which would make a panel empty or an alert silent.
 */
function problems(expr: string, series: Map<string, Series>): string[] {
  const out: string[] = [];
  let selectors: Selector[];
  try {
    selectors = selectorsOf(expr);
  } catch (e) {
    return [(e as Error).message];
  }
  for (const { metric, matchers } of selectors) {
    const s = series.get(metric);
    if (!s) {
      out.push(`${metric} is not a metric the services export`);
      continue;
    }
    for (const { label, op, value } of matchers) {
      if (!s.labels.has(label)) out.push(`${metric} has no label ${label}`);
      const known = s.values.get(label);
      // Plain values, or alternations of them: a Grafana variable or a real regex is left alone.
      if (!known || (op !== '=' && op !== '=~') || !/^[\w-]+(\|[\w-]+)*$/.test(value)) continue;
      for (const v of value.split('|')) if (!known.has(v)) out.push(`${metric}{${label}="${v}"}: ${label} is one of ${[...known].join(', ')}`);
    }
  }
  return out;
}

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  definition?: string;
}
interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}
interface RuleTests {
  rule_files: string[];
  tests: {
    input_series: { series: string; values: string }[];
    alert_rule_test: { alertname: string; eval_time: string; exp_alerts: unknown[] }[];
  }[];
}
interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe('the PromQL metric extractor', () => {
  it('finds the metric of a selector with matchers, a range and Grafana variables', () => {
    expect(selectorsOf('rate(foo_total{a="x", b=~"y|z", c!="$queue"}[$__rate_interval])')).toEqual([
      {
        metric: 'foo_total',
        matchers: [
          { label: 'a', op: '=', value: 'x' },
          { label: 'b', op: '=~', value: 'y|z' },
          { label: 'c', op: '!=', value: '$queue' },
        ],
      },
    ]);
    expect(metricsOf('increase(bar_total[${__range}]) / increase(baz_total[5m])')).toEqual(['bar_total', 'baz_total']);
  });

  it('skips aggregations, their by/without labels before or after, and functions', () => {
    expect(metricsOf('histogram_quantile(0.95, sum by (le, stage) (rate(h_seconds_bucket[5m])))')).toEqual(['h_seconds_bucket']);
    expect(metricsOf('sum(rate(x_total[1m])) without (instance) / count by (job) (up_gauge)')).toEqual(['up_gauge', 'x_total']);
    expect(metricsOf('topk(5, max by (queue) (g)) or quantile(0.9, g2)')).toEqual(['g', 'g2']);
  });

  it('skips binary operators written as words, vector matching, bool, numbers and Inf', () => {
    expect(metricsOf('a > bool 0 and on (queue) b unless ignoring (state) group_left (x) c or d == Inf and e > -1e3 and f < 0x1f atan2 NaN')).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
  });

  it('skips strings (label_replace arguments, regexes), offsets, subqueries, @ and comments', () => {
    expect(metricsOf('label_replace(m1, "dst", "$1 rate(fake)", "src", "(.*)") # m2{x="y"}')).toEqual(['m1']);
    expect(metricsOf('deriv(max by (q) (g)[15m:1m] offset 5m) + m3 @ start() + m4 offset -1h')).toEqual(['g', 'm3', 'm4']);
    expect(metricsOf('count_values(\'version\', v{a="b"})')).toEqual(['v']);
  });

  it('reads {__name__="…"} as the metric', () => {
    expect(selectorsOf('{__name__="named_total", a="b"}')).toEqual([{ metric: 'named_total', matchers: [{ label: 'a', op: '=', value: 'b' }] }]);
  });

  it('throws on a misspelt function, a selector without a metric, unbalanced braces', () => {
    expect(() => selectorsOf('rat(foo[5m])')).toThrow('unknown function rat()');
    expect(() => selectorsOf('{a="b"}')).toThrow('without a metric name');
    expect(() => selectorsOf('foo{a="b"')).toThrow('unbalanced braces');
  });
});

describe('the exported series', () => {
  it('are those of the catalog, histograms as _bucket/_sum/_count, with the process defaults', async () => {
    const series = await exported();
    for (const d of Object.values(METRICS)) {
      const names = 'buckets' in d ? [`${d.name}_bucket`, `${d.name}_sum`, `${d.name}_count`] : [d.name];
      for (const name of names) expect([name, series.has(name)]).toEqual([name, true]);
    }
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds_bucket',
    ]) {
      expect([name, series.has(name)]).toEqual([name, true]);
    }
    expect(series.has('blinked_stage_duration_seconds')).toBe(false);
    expect(series.get('blinked_queue_jobs')!.values.get('state')).toEqual(new Set(['waiting', 'active', 'delayed', 'failed', 'waiting-children']));
  });

  it('catch a misspelt metric, label or label value', async () => {
    const series = await exported();
    expect(problems('sum(rate(blinked_video_finished_total[5m]))', series)).toEqual(['blinked_video_finished_total is not a metric the services export']);
    expect(problems('rate(blinked_stage_duration_seconds[5m])', series)).toEqual(['blinked_stage_duration_seconds is not a metric the services export']);
    expect(problems('blinked_queue_jobs{status="waiting"}', series)).toEqual(['blinked_queue_jobs has no label status']);
    expect(problems('blinked_webhook_deliveries_total{outcome=~"failure|retrying"}', series)).toEqual([
      'blinked_webhook_deliveries_total{outcome="failure"}: outcome is one of delivered, retrying, failed, refused',
    ]);
    expect(problems('rate(blinked_http_request_duration_seconds_count{job="api", status_code=~"5.."}[5m])', series)).toEqual([]);
  });
});

describe('deploy/grafana/blinked.json', () => {
  const dashboard = JSON.parse(read('deploy/grafana/blinked.json')) as Dashboard;
  const all = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const graphs = all.filter((p) => p.type !== 'row');
  const exprs = graphs.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? '' })));

  it('is a dashboard with unique panel ids, a Prometheus data source variable and a queue variable', async () => {
    expect(dashboard).toMatchObject({ title: 'BlinkEd', uid: expect.stringMatching(/^[\w-]{1,40}$/) });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    const variables = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect(variables.get('DS_PROMETHEUS')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const queue = variables.get('queue')!;
    expect(queue.type).toBe('query');
    const query = typeof queue.query === 'string' ? queue.query : queue.query.query;
    const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
    expect(m).not.toBeNull();
    const series = await exported();
    expect(problems(`${m![1]!}{${m![2]!}!=""}`, series)).toEqual([]);
  });

  it('has panels that each query Prometheus through the variable, laid out without overlaps', () => {
    expect(graphs.length).toBeGreaterThan(20);
    for (const p of graphs) {
      expect([p.title, p.datasource?.uid]).toEqual([p.title, '${DS_PROMETHEUS}']);
      expect([p.title, (p.targets ?? []).some((t) => (t.expr ?? '').trim() !== '')]).toEqual([p.title, true]);
    }
    const overlaps = (a: Panel['gridPos'], b: Panel['gridPos']) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (const p of all) expect([p.title, p.gridPos.x + p.gridPos.w <= 24]).toEqual([p.title, true]);
    for (const [i, a] of all.entries())
      for (const b of all.slice(i + 1)) expect([a.title, b.title, overlaps(a.gridPos, b.gridPos)]).toEqual([a.title, b.title, false]);
  });

  it('reads only metrics, labels and label values the services export', async () => {
    const series = await exported();
    expect(exprs.flatMap(({ panel, expr }) => problems(expr, series).map((p) => `${panel}: ${p}`))).toEqual([]);
  });

  it("has queries Prometheus parses (promtool check rules, Grafana's variables filled in)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'blinked-dashboard-'));
    try {
      const fill = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$__range', '1h').replaceAll('$queue', '.*');
      const rules = exprs.map(({ expr }, i) => ({ record: `dashboard:query_${i}`, expr: fill(expr) }));
      writeFileSync(join(dir, 'dashboard.yml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
      const result = runPromtool(['check', 'rules', 'dashboard.yml'], dir);
      expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.stringContaining(`SUCCESS: ${rules.length} rules found`)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows every metric of the catalog, and filters the queue gauges by $queue', () => {
    const used = new Set(exprs.flatMap(({ expr }) => metricsOf(expr)));
    for (const d of Object.values(METRICS)) {
      const names = 'buckets' in d ? [`${d.name}_bucket`, `${d.name}_sum`, `${d.name}_count`] : [d.name];
      expect([d.name, names.some((n) => used.has(n))]).toEqual([d.name, true]);
    }
    for (const { expr } of exprs.filter(({ expr }) => metricsOf(expr).includes(METRICS.queueJobs.name))) expect(expr).toContain('queue=~"$queue"');
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  const file = parse(read('deploy/prometheus/alerts.yml')) as { groups: { name: string; rules: Rule[] }[] };
  const rules = file.groups.flatMap((g) => g.rules);

  it('has the four alerts of issue 11, each with a for, a severity, a summary and a description', () => {
    const names = rules.map((r) => r.alert);
    expect(names).toEqual(
      expect.arrayContaining(['BlinkEdBacklogGrowing', 'BlinkEdFailureRateHigh', 'BlinkEdQueueNoConsumer', 'BlinkEdWebhookEndpointsFailing']),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect([r.alert, r.for]).toEqual([r.alert, expect.stringMatching(/^\d+[smh]$/)]);
      expect([r.alert, r.labels?.severity]).toEqual([r.alert, expect.stringMatching(/^(warning|critical)$/)]);
      expect([r.alert, Boolean(r.annotations?.summary?.trim()), Boolean(r.annotations?.description?.trim())]).toEqual([r.alert, true, true]);
    }
  });

  it('reads only metrics, labels and label values the services export', async () => {
    const series = await exported();
    expect(rules.flatMap((r) => problems(r.expr, series).map((p) => `${r.alert}: ${p}`))).toEqual([]);
    for (const r of rules) expect([r.alert, metricsOf(r.expr).length > 0]).toEqual([r.alert, true]);
  });

  it('has promtool unit tests that see each alert fire and stay quiet, on series the services export', async () => {
    const unit = parse(read('deploy/prometheus/alerts.test.yml')) as RuleTests;
    expect(unit.rule_files).toEqual(['alerts.yml']);
    const cases = unit.tests.flatMap((t) => t.alert_rule_test);
    for (const r of rules) {
      expect([r.alert, cases.some((c) => c.alertname === r.alert && c.exp_alerts.length > 0)]).toEqual([r.alert, true]);
      expect([r.alert, cases.some((c) => c.alertname === r.alert && c.exp_alerts.length === 0)]).toEqual([r.alert, true]);
    }
    const series = await exported();
    expect(unit.tests.flatMap((t) => t.input_series.flatMap((i) => problems(i.series, series)))).toEqual([]);
  });

  it('passes promtool check rules and promtool test rules', () => {
    const cwd = join(root, 'deploy/prometheus');
    for (const args of [
      ['check', 'rules', 'alerts.yml'],
      ['test', 'rules', 'alerts.test.yml'],
    ]) {
      const result = runPromtool(args, cwd);
      expect([args.join(' '), result.status, result.stdout + result.stderr]).toEqual([args.join(' '), 0, expect.stringContaining('SUCCESS')]);
    }
  });

  it('is loaded by the example Prometheus configuration, which scrapes api and workers with the token', () => {
    const config = parse(read('deploy/prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; metrics_path: string; authorization?: { type: string } }[];
    };
    expect(config.rule_files).toContain('alerts.yml');
    expect(config.scrape_configs.map((s) => s.job_name)).toEqual(['blinked-api', 'blinked-worker']);
    for (const s of config.scrape_configs) expect([s.job_name, s.metrics_path, s.authorization?.type]).toEqual([s.job_name, '/metrics', 'Bearer']);
  });
});
