import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { load } from 'js-yaml';
import { installHttpMetrics, metricsRegistry, startDefaultMetrics } from '@malipo/common';

// promtool is not available here: the rules' YAML is parsed and every metric an expression
// names must be one the services register (a renamed metric would silently never fire).
const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; runbook_url: string };
}

const PROMETHEUS_OWN = new Set(['up']);
const SUFFIXES = /_(bucket|sum|count)$/;

function registeredNames(): Set<string> {
  startDefaultMetrics();
  installHttpMetrics(Fastify());
  return new Set(metricsRegistry.getMetricsAsArray().map((m) => m.name));
}

/** Metric names an expression reads: malipo_* series and Prometheus' own `up`. */
function metricNamesIn(expr: string): string[] {
  const ours = [...expr.matchAll(/\bmalipo_[a-z0-9_]+\b/g)].map((m) => m[0]);
  return /\bup\{/.test(expr) ? [...ours, 'up'] : ours;
}

function known(name: string, registered: Set<string>): boolean {
  return (
    PROMETHEUS_OWN.has(name) || registered.has(name) || registered.has(name.replace(SUFFIXES, ''))
  );
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

function balanced(expr: string): boolean {
  let depth = 0;
  for (const ch of expr) {
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe('Prometheus alert rules (deploy/prometheus/malipo-alerts.yml)', () => {
  const doc = load(read('deploy/prometheus/malipo-alerts.yml')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const rules = doc.groups.flatMap((g) => g.rules);
  const registered = registeredNames();
  const runbook = anchorsOf(read('docs/operations.md'));

  it('covers callback backlog, Daraja errors, reconciler backlog, webhook failures and readiness', () => {
    const names = rules.map((r) => r.alert);
    for (const wanted of [
      'MalipoCallbackBacklogStale',
      'MalipoDarajaErrorRate',
      'MalipoReconcilerBacklog',
      'MalipoWebhookFailures',
      'MalipoNotReady',
    ]) {
      expect(names).toContain(wanted);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s is well formed', (_name, rule) => {
    expect(rule.expr.trim()).not.toBe('');
    expect(balanced(rule.expr)).toBe(true);
    expect(rule.for).toMatch(/^\d+[smh]$/);
    expect(['page', 'warning']).toContain(rule.labels.severity);
    expect(rule.annotations.summary).toBeTruthy();
    const [file, anchor] = rule.annotations.runbook_url.split('#');
    expect(file).toBe('docs/operations.md');
    expect(runbook.has(anchor)).toBe(true);
    const names = metricNamesIn(rule.expr);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !known(n, registered))).toEqual([]);
  });
});

describe('Grafana dashboard (deploy/grafana/malipo-dashboard.json)', () => {
  const dashboard = JSON.parse(read('deploy/grafana/malipo-dashboard.json')) as {
    panels: { id: number; type: string; targets?: { expr: string }[] }[];
  };
  const registered = registeredNames();

  it('reads only metrics the services register, through the datasource variable', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThan(20);
    const names = exprs.flatMap(metricNamesIn);
    expect(names.filter((n) => !known(n, registered))).toEqual([]);
    expect(exprs.filter((e) => !balanced(e))).toEqual([]);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
