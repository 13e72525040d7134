// Offline checks of the monitoring files under deploy/observability; deploy/k8s/tools/validate.sh runs it.
//  - prometheus-rules.yml: Prometheus's rule-file structure (groups with unique names, each rule an alert with a
//    unique name, an expr, a severity label critical|warning|info, a summary annotation, a valid `for` duration), and
//    every expr parsed as PromQL by Prometheus's own parser (npm @prometheus-io/lezer-promql);
//  - grafana-dashboard.json: a dashboard with a uid, unique panel ids, non-overlapping grid positions, and every
//    target's expr parsed as PromQL.
// Whether the metric names exist is checked against the running services by e2e's LocalStackEndToEndTest.
// Usage: node validate-observability.mjs DIR      node validate-observability.mjs --self-test
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';

const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);

/** The positions where Prometheus's grammar could not parse the expression; empty when it is valid PromQL. */
export function promqlErrors(expr) {
  const found = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) found.push(`at ${node.from}: "${expr.slice(Math.max(0, node.from - 10), node.to + 10).trim()}"`);
    },
  });
  return found;
}

function checkExpr(where, expr) {
  if (typeof expr !== 'string' || !expr.trim()) return fail(where, 'no expr');
  const problems = promqlErrors(expr);
  if (problems.length) fail(where, `not PromQL: ${problems.join('; ')}`);
}

function checkRules(file) {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(doc?.groups) || !doc.groups.length) return fail(file, 'no groups');
  const groups = new Set();
  const alerts = new Set();
  let count = 0;
  for (const group of doc.groups) {
    if (!group.name || groups.has(group.name)) fail(file, `group name missing or repeated: ${group.name}`);
    groups.add(group.name);
    for (const rule of group.rules ?? []) {
      count++;
      const where = `${path.basename(file)} ${group.name}/${rule.alert ?? rule.record}`;
      const unknown = Object.keys(rule).filter(k => !['alert', 'expr', 'for', 'labels', 'annotations', 'keep_firing_for'].includes(k));
      if (unknown.length) fail(where, `unknown fields ${unknown.join(', ')}`);
      if (!rule.alert) fail(where, 'not an alerting rule');
      if (alerts.has(rule.alert)) fail(where, 'alert name repeated');
      alerts.add(rule.alert);
      checkExpr(where, rule.expr);
      if (rule.for !== undefined && !/^(\d+(ms|s|m|h|d|w|y))+$/.test(String(rule.for))) fail(where, `bad duration for: ${rule.for}`);
      if (!['critical', 'warning', 'info'].includes(rule.labels?.severity)) fail(where, `severity must be critical, warning or info: ${rule.labels?.severity}`);
      if (!rule.annotations?.summary) fail(where, 'no summary annotation');
    }
  }
  return count;
}

function checkDashboard(file) {
  const dash = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!dash.uid || !dash.title) fail(file, 'no uid or title');
  const ids = new Set();
  const cells = new Map();
  let targets = 0;
  for (const panel of dash.panels ?? []) {
    const where = `${path.basename(file)} panel ${panel.id} "${panel.title}"`;
    if (ids.has(panel.id)) fail(where, 'panel id repeated');
    ids.add(panel.id);
    const g = panel.gridPos;
    if (!g || ![g.x, g.y, g.w, g.h].every(Number.isInteger) || g.x + g.w > 24) fail(where, `bad gridPos ${JSON.stringify(g)}`);
    else for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
      const other = cells.get(`${x},${y}`);
      if (other !== undefined) { fail(where, `overlaps panel ${other}`); x = g.x + g.w; break; }
      cells.set(`${x},${y}`, panel.id);
    }
    if (!panel.targets?.length) fail(where, 'no targets');
    for (const target of panel.targets ?? []) {
      targets++;
      checkExpr(`${where} ${target.refId}`, target.expr);
    }
  }
  return [ids.size, targets];
}

function selfTest() {
  const bad = ['sum(rate(x[5m])', 'rate(x[5m]) >', 'x{a="b"', 'sum by (a (x)'];
  const good = ['sum by (a) (rate(x_total{b=~"c|d"}[5m])) / sum(rate(x_total[5m])) > 0.1', 'histogram_quantile(0.95, sum by (le) (rate(y_bucket[5m])))'];
  const missed = bad.filter(e => !promqlErrors(e).length);
  const refused = good.filter(e => promqlErrors(e).length);
  if (missed.length || refused.length) {
    console.log(`self-test FAILED: accepted ${JSON.stringify(missed)}, refused ${JSON.stringify(refused)}`);
    process.exit(1);
  }
  console.log(`self-test: ${bad.length} broken PromQL expressions refused, ${good.length} valid ones accepted`);
}

if (process.argv.includes('--self-test')) {
  selfTest();
  process.exit(0);
}
const dir = process.argv[2];
const rules = checkRules(path.join(dir, 'prometheus-rules.yml'));
const [panels, targets] = checkDashboard(path.join(dir, 'grafana-dashboard.json'));
if (errors.length) {
  console.log(`observability: ${errors.length} problem(s)\n  ${errors.join('\n  ')}`);
  process.exit(1);
}
console.log(`observability: ${rules} alert rules and a dashboard of ${panels} panels (${targets} queries): structure and PromQL ok`);
