/**
 * The metrics a PromQL expression reads, without a PromQL parser: enough for the
 * expressions of a dashboard and a rule file (test/monitoring.spec.ts), strict enough
 * that a misspelt metric or function shows. Grafana's variables ($queue, ${queue},
 * $__rate_interval, $__range) are accepted where Grafana puts them.
 */

/** One label matcher of a selector: `label op "value"`. */
export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** One vector selector: the metric and its label matchers (but a __name__ one). */
export interface Selector {
  metric: string;
  matchers: Matcher[];
}

/** Aggregation operators: followed by `(` or by a `by`/`without` clause. */
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

/** Keywords, binary operators written as words, and number literals written as words. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2', 'inf', 'nan']);

/** PromQL's functions (Prometheus 2.x and 3.x); an unknown name followed by `(` is an error. */
const FUNCTIONS = new Set(
  (
    'abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp clamp_max clamp_min ' +
    'cos cosh count_over_time day_of_month day_of_week day_of_year days_in_month deg delta deriv double_exponential_smoothing ' +
    'exp floor histogram_avg histogram_count histogram_fraction histogram_quantile histogram_stddev histogram_stdvar ' +
    'histogram_sum holt_winters hour idelta increase info irate label_join label_replace last_over_time ln log10 log2 ' +
    'mad_over_time max_over_time min_over_time minute month pi predict_linear present_over_time quantile_over_time rad ' +
    'rate resets round scalar sgn sin sinh sort sort_by_label sort_by_label_desc sort_desc sqrt stddev_over_time ' +
    'stdvar_over_time sum_over_time tan tanh time timestamp vector year start end'
  ).split(' '),
);

/** Grouping clauses whose parentheses hold label names, not expressions. */
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)/g;

/**
 * Every vector selector of `expr` (those with matchers first), duplicates kept. Throws on what it cannot
 * read: an unknown function, unbalanced braces, a selector with no metric name.
 */
export function selectorsOf(expr: string): Selector[] {
  // String literals first (label values, label_replace's arguments, regexes): their
  // content is never a metric. A `{__name__="x"}` matcher is the one exception, kept aside.
  const strings: string[] = [];
  let text = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, (s) => {
    strings.push(s.slice(1, -1));
    return `"${strings.length - 1}"`;
  });
  text = text.replace(/#[^\n]*/g, ' ');
  // Grafana's variables, then ranges and subqueries ([5m], [1h:1m], [$__rate_interval]),
  // offsets and @ modifiers: none of them names a metric.
  text = text.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '0');
  text = text.replace(/\[[^\]]*\]/g, '[]');
  text = text.replace(/\boffset\s+-?[0-9][0-9a-z.]*/gi, ' ');
  text = text.replace(/@\s*(start|end)\s*\(\s*\)|@\s*[0-9.]+/g, ' ');
  text = text.replace(GROUPING, '$1 ()');

  const selectors: Selector[] = [];
  // A matcher list: with the metric before it, or alone with __name__.
  const matcherList = /([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^{}]*)\}/g;
  text = text.replace(matcherList, (_m, metric: string | undefined, body: string) => {
    const matchers: Matcher[] = [];
    let named: string | undefined;
    for (const matcher of body.split(',').filter((s) => s.trim() !== '')) {
      const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"(\d+)"\s*$/.exec(matcher);
      if (!m) throw new Error(`cannot read the matcher "${matcher.trim()}" in: ${expr}`);
      if (m[1] === '__name__') {
        if (m[2] !== '=') throw new Error(`only __name__="metric" is understood, in: ${expr}`);
        named = strings[Number(m[3])];
      } else matchers.push({ label: m[1]!, op: m[2] as Matcher['op'], value: strings[Number(m[3])]! });
    }
    const isMetric = metric !== undefined && !KEYWORDS.has(metric.toLowerCase()) && !AGGREGATIONS.has(metric) && !FUNCTIONS.has(metric);
    const name = isMetric ? metric : named;
    if (!name) throw new Error(`a selector without a metric name in: ${expr}`);
    selectors.push({ metric: name, matchers });
    return ` ${isMetric ? '' : (metric ?? '')} `;
  });
  if (/[{}]/.test(text)) throw new Error(`unbalanced braces in: ${expr}`);

  // What is left: identifiers, numbers, operators, parentheses.
  for (const m of text.matchAll(/[0-9.]*[eE]?[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const token = m[0];
    if (/^[0-9.]/.test(token)) continue; // 1e3, 0x1f, 5m
    const next = text.slice(m.index + token.length).trimStart()[0];
    if (KEYWORDS.has(token.toLowerCase()) || AGGREGATIONS.has(token)) continue;
    if (next === '(') {
      if (!FUNCTIONS.has(token)) throw new Error(`unknown function ${token}() in: ${expr}`);
      continue;
    }
    selectors.push({ metric: token, matchers: [] });
  }
  return selectors;
}

/** The metric names `expr` reads, each once, sorted. */
export function metricsOf(expr: string): string[] {
  return [...new Set(selectorsOf(expr).map((s) => s.metric))].sort();
}
