'use strict';
// The MASPO dashboard: a run list and a run page that follows GET /api/v1/runs/{id}/events. Everything it shows
// comes from the API with the key the user gave; the page itself holds no data.

const KEY_STORAGE = 'maspo.apiKey';
const RECONNECT_MS = 2000;
const RUN_POLL_MS = 3000;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

const $ = (selector) => document.querySelector(selector);

/** An element with attributes and children (strings become text nodes, so nothing is parsed as HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) {
      node.setAttribute(name, value);
    }
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : String(child ?? ''));
  }
  return node;
}

const fmt = {
  score: (v) => (v === null || v === undefined ? '–' : Number(v).toFixed(3)),
  pct: (v) => (v === null || v === undefined ? '–' : (100 * v).toFixed(1) + ' %'),
  time: (iso) => (iso ? new Date(iso).toLocaleTimeString() : '–'),
  duration: (seconds) => {
    if (!isFinite(seconds) || seconds < 0) return '–';
    const s = Math.round(seconds);
    return s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s'
      : Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  },
};

// ---- API access -------------------------------------------------------------------------------------------------

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

async function api(path, options = {}) {
  const headers = Object.assign({Authorization: 'Bearer ' + apiKey()}, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, {headers}));
  if (response.status === 401) {
    logout('The API refused the key: log in again.');
    throw new Error('unauthorized');
  }
  return response;
}

async function errorText(response) {
  try {
    const body = await response.json();
    const violations = (body.violations || []).map((v) => `${v.field}: ${v.message}`);
    return [body.error || 'HTTP ' + response.status, ...violations].join('\n');
  } catch (e) {
    return 'HTTP ' + response.status;
  }
}

/**
 * Follows a run's event stream. EventSource cannot send the Authorization header, so the stream is read with fetch;
 * on a broken connection it reconnects with Last-Event-ID and the server replays what was missed.
 */
async function follow(runId, onEvent, onState, signal) {
  let lastId = 0;
  while (!signal.aborted) {
    try {
      const headers = {Accept: 'text/event-stream'};
      if (lastId > 0) headers['Last-Event-ID'] = String(lastId);
      const response = await api(`/api/v1/runs/${encodeURIComponent(runId)}/events`, {headers, signal});
      if (response.status === 404) {
        onState('run not found');
        return;
      }
      if (!response.ok) throw new Error(await errorText(response));
      onState('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) {
            lastId = event.id;
            onEvent(event);
            if (event.type === 'finished') {
              onState('ended');
              return;
            }
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      onState('reconnecting (' + e.message + ')');
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}

function parseEvent(block) {
  let id = null;
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) continue; // a comment
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = Number(value);
    else if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  return id === null ? null : {id, type, data: JSON.parse(data.join('\n'))};
}

// ---- Views ------------------------------------------------------------------------------------------------------

let leaveView = () => {};

function show(view) {
  for (const id of ['login-view', 'runs-view', 'run-view']) {
    $('#' + id).hidden = id !== view;
  }
  $('#logout').hidden = view === 'login-view';
}

function logout(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  $('#login-error').textContent = message || '';
  route();
}

function route() {
  leaveView();
  leaveView = () => {};
  if (!apiKey()) {
    show('login-view');
    return;
  }
  const match = location.hash.match(/^#\/runs\/([^/]+)$/);
  if (match) {
    leaveView = openRun(decodeURIComponent(match[1]));
  } else {
    leaveView = openRunList();
  }
}

// ---- Run list ---------------------------------------------------------------------------------------------------

function openRunList() {
  show('runs-view');
  let timer = null;
  const load = async () => {
    const response = await api('/api/v1/runs');
    if (!response.ok) return;
    const body = await response.json();
    const runs = Array.isArray(body) ? body : body.items || [];
    const rows = runs.map((run) => {
      const calls = (run.cost || []).reduce((sum, c) => sum + c.calls, 0);
      return el('tr', {'data-run-id': run.id},
        el('td', {}, el('a', {href: '#/runs/' + encodeURIComponent(run.id)}, run.name)),
        el('td', {}, el('span', {class: 'status ' + run.status}, run.status)),
        el('td', {}, run.phase), el('td', {}, run.strategy), el('td', {}, new Date(run.createdAt).toLocaleString()),
        el('td', {}, calls), el('td', {}, fmt.pct(run.seedAccuracy) + ' → ' + fmt.pct(run.optimizedAccuracy)));
    });
    $('#runs-table tbody').replaceChildren(...rows);
  };
  const loop = () => load().catch(() => {}).finally(() => { timer = setTimeout(loop, RUN_POLL_MS * 2); });
  loop();
  return () => clearTimeout(timer);
}

async function submitRun() {
  const file = $('#spec-file').files[0];
  $('#submit-error').textContent = '';
  if (!file) {
    $('#submit-error').textContent = 'Choose a run spec file first.';
    return;
  }
  const response = await api('/api/v1/runs', {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: await file.text(),
  });
  if (response.status !== 201) {
    $('#submit-error').textContent = await errorText(response);
    return;
  }
  const run = await response.json();
  location.hash = '#/runs/' + encodeURIComponent(run.id);
}

// ---- Run page ---------------------------------------------------------------------------------------------------

const charts = {};

function chart(id, config) {
  charts[id]?.destroy();
  config.options = Object.assign({animation: false, maintainAspectRatio: false, responsive: true}, config.options);
  charts[id] = new Chart(document.getElementById(id), config);
  return charts[id];
}

/** A chart axis titled {@code text}. */
function axis(text, extra = {}) {
  return Object.assign({title: {display: true, text}}, extra);
}

function lineChart(id, x, y) {
  return chart(id, {type: 'line', data: {datasets: []}, options: {parsing: false, spanGaps: true, scales: {x, y}}});
}

/** The dataset of a line chart named {@code label}, created on first use. */
function series(chartObject, label) {
  let dataset = chartObject.data.datasets.find((d) => d.label === label);
  if (!dataset) {
    const color = COLORS[chartObject.data.datasets.length % COLORS.length];
    dataset = {label, data: [], borderColor: color, backgroundColor: color, pointRadius: 3};
    chartObject.data.datasets.push(dataset);
  }
  return dataset;
}

function openRun(runId) {
  show('run-view');
  const abort = new AbortController();
  const state = {start: null, steps: [], costs: [], best: {}, finished: null, run: null, testing: false};
  $('#run-id').textContent = runId;
  $('#run-name').textContent = '';
  $('#run-error').textContent = '';
  $('#accuracy-seed').textContent = '–';
  $('#accuracy-optimized').textContent = '–';
  for (const table of ['#steps-table', '#refresh-table', '#beam-table']) {
    $(table + ' tbody').replaceChildren();
  }
  $('#beam-select').replaceChildren();
  $('#diff').replaceChildren();
  $('#refresh-stability').textContent = '';

  const layerAxis = axis('layer of the agent', {type: 'linear', ticks: {stepSize: 1}});
  const scores = lineChart('chart-scores', layerAxis, axis('J'));
  const misalignment = lineChart('chart-misalignment', layerAxis, axis('misaligned / drawn', {min: 0, max: 1}));
  const cost = lineChart('chart-cost', axis('seconds since submission', {type: 'linear'}), axis('paid calls'));
  const proposals = chart('chart-proposals', {
    type: 'bar',
    data: {labels: [], datasets: [
      {label: 'accepted (R > 0)', data: [], backgroundColor: '#2ca02c'},
      {label: 'rejected (R ≤ 0)', data: [], backgroundColor: '#d62728'},
      {label: 'invalid proposal', data: [], backgroundColor: '#ff7f0e'},
      {label: 'scoring failed', data: [], backgroundColor: '#7f7f7f'},
    ]},
    options: {scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}},
  });
  const accuracy = chart('chart-accuracy', {
    type: 'bar', data: {labels: ['seed', 'optimized'], datasets: [{label: 'test accuracy', data: [null, null],
      backgroundColor: ['#7f7f7f', '#1f77b4']}]},
    options: {plugins: {legend: {display: false}}, scales: {y: {min: 0, max: 1}}},
  });

  const onEvent = (event) => {
    const d = event.data;
    switch (event.type) {
      case 'phase':
        if (d.phase === 'SEARCHING') {
          state.start = d;
        } else {
          state.testing = true;
        }
        break;
      case 'layer':
        state.steps.push({kind: 'layer', ...d});
        series(scores, d.agent).data.push({x: d.layer, y: d.topScore});
        series(misalignment, d.agent).data.push({x: d.layer, y: d.misalignmentRate});
        proposals.data.labels.push(d.agent + ' L' + d.layer);
        [d.accepted, d.rejected, d.invalid, d.failed].forEach((n, i) => proposals.data.datasets[i].data.push(n));
        addStepRow(d, 'layer');
        addBeamOption(d, `${d.agent} layer ${d.layer}`);
        break;
      case 'refresh':
        state.steps.push({kind: 'refresh', ...d});
        addStepRow(d, 'refresh');
        addBeamOption(d, `${d.agent} refresh (visit ${d.visit})`);
        $('#refresh-table tbody').append(el('tr', {}, el('td', {}, d.agent), el('td', {}, d.visit),
          el('td', {}, d.status), el('td', {}, d.topStable ? 'yes' : 'no'), el('td', {}, d.reanchored ? 'yes' : 'no')));
        break;
      case 'best':
        state.best[d.agent] = d.prompt;
        break;
      case 'cost':
        state.costs.push(d);
        if (state.start && d.at) {
          const seconds = (new Date(d.at) - new Date(state.start.at)) / 1000;
          for (const role of d.roles) series(cost, role.role).data.push({x: seconds, y: role.calls});
        }
        break;
      case 'finished':
        state.finished = d;
        Object.assign(state.best, d.bestPrompts || {});
        accuracy.data.datasets[0].data = [d.seedAccuracy, d.optimizedAccuracy];
        $('#accuracy-seed').textContent = fmt.pct(d.seedAccuracy);
        $('#accuracy-optimized').textContent = fmt.pct(d.optimizedAccuracy);
        setStatus(d.status);
        if (d.error) $('#run-error').textContent = d.error;
        pollNow(); // the final cost
        break;
      default:
        return;
    }
    scheduleRender();
  };

  // Events can come in bursts (a replay): redraw once per frame, not once per event.
  let renderPending = false;
  const scheduleRender = () => {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      for (const c of [scores, misalignment, cost, proposals, accuracy]) c.update('none');
      renderProgress(state);
      renderDiff(state);
      renderStability(state);
    });
  };

  const pollRun = async () => {
    const response = await api('/api/v1/runs/' + encodeURIComponent(runId));
    if (response.status === 404) {
      $('#run-error').textContent = 'No run with id ' + runId;
      return false;
    }
    if (!response.ok) return true;
    state.run = await response.json();
    $('#run-name').textContent = state.run.name;
    $('#run-strategy').textContent = state.run.strategy;
    setStatus(state.run.status);
    renderProgress(state);
    return !['COMPLETED', 'FAILED', 'STOPPED'].includes(state.run.status);
  };
  let timer = null;
  const loop = () => pollRun().then((again) => {
    if (again && !abort.signal.aborted) timer = setTimeout(loop, RUN_POLL_MS);
  }).catch(() => { timer = setTimeout(loop, RUN_POLL_MS); });
  const pollNow = () => {
    clearTimeout(timer);
    loop();
  };
  loop();
  follow(runId, onEvent, (s) => { $('#stream-state').textContent = s; }, abort.signal);

  $('#cancel-run').onclick = async () => {
    const response = await api(`/api/v1/runs/${encodeURIComponent(runId)}/cancel`, {method: 'POST'});
    $('#run-error').textContent = response.ok ? '' : 'Cancel failed: ' + await errorText(response);
    if (response.ok) pollNow();
  };
  $('#export-run').onclick = async () => {
    const response = await api(`/api/v1/runs/${encodeURIComponent(runId)}/export`);
    if (!response.ok) {
      $('#run-error').textContent = 'Export failed: ' + await errorText(response);
      return;
    }
    const link = el('a', {href: URL.createObjectURL(await response.blob()), download: `maspo-prompts-${runId}.json`});
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return () => {
    abort.abort();
    clearTimeout(timer);
  };
}

function setStatus(status) {
  const badge = $('#run-status');
  badge.textContent = status;
  badge.className = 'status ' + status;
  $('#cancel-run').hidden = !['PENDING', 'RUNNING'].includes(status);
}

function addStepRow(d, kind) {
  const row = kind === 'layer'
    ? [d.step, 'layer ' + d.layer, d.agent, d.status, fmt.score(d.topScore), d.accepted, d.rejected, d.invalid,
      d.drawn ? `${d.misaligned ?? '–'} / ${d.drawn}` : '–', d.bestChanged ? 'yes' : '', d.paidCallsSoFar ?? '–',
      fmt.time(d.recordedAt)]
    : [d.step, 'refresh ' + d.visit, d.agent, d.status, fmt.score(d.beam[0]?.score), '', '', '', '',
      d.reanchored ? 'yes' : '', d.paidCallsSoFar ?? '–', fmt.time(d.recordedAt)];
  $('#steps-table tbody').append(el('tr', {'data-type': kind, 'data-agent': d.agent},
    ...row.map((cell) => el('td', {}, cell))));
}

function addBeamOption(d, label) {
  const select = $('#beam-select');
  const option = el('option', {value: d.step}, `step ${d.step}: ${label}`);
  option.beam = d.beam;
  select.append(option);
  select.value = String(d.step);
  renderBeam();
}

function renderBeam() {
  const option = $('#beam-select').selectedOptions[0];
  $('#beam-table tbody').replaceChildren(...(option?.beam || []).map((node) => el('tr', {},
    el('td', {}, el('code', {}, node.id)), el('td', {}, fmt.score(node.score)),
    el('td', {}, el('code', {}, node.parentId ?? '–')), el('td', {}, el('pre', {}, node.prompt)))));
}

function renderProgress(state) {
  const start = state.start;
  const run = state.run;
  const done = state.steps.length;
  if (start) {
    const total = start.steps;
    $('#progress-bar').value = state.finished ? 1 : total ? done / total : 0;
    const last = state.steps[done - 1];
    let text = `${done} of ${total} search steps`;
    let eta = '–';
    if (state.finished) {
      text += ` · finished: ${state.finished.status}` + (state.finished.finishReason ? ` (${state.finished.finishReason})` : '');
    } else if (state.testing) {
      const jobs = Object.entries(run?.progress || {}).filter(([kind]) => kind.startsWith('test'))
        .reduce((sum, [, p]) => ({done: sum.done + p.done + p.failed, total: sum.total + p.total}), {done: 0, total: 0});
      text += ` · measuring test accuracy: ${jobs.done} of ${jobs.total} test jobs`;
    } else if (last?.recordedAt && done > 0) {
      const elapsed = (new Date(last.recordedAt) - new Date(start.at)) / 1000;
      eta = fmt.duration(elapsed / done * (total - done)) + ' (search, at the pace so far)';
    }
    $('#progress-text').textContent = text;
    $('#eta').textContent = eta;
  }
  const budget = start?.budget || {};
  // The run (polled) and the last cost event each tell the cost at some moment; spend only grows, so the larger is newer.
  const paid = (roles) => (roles || []).reduce((sum, r) => sum + r.calls, 0);
  const lastCost = state.costs[state.costs.length - 1];
  const roles = (paid(run?.cost) >= paid(lastCost?.roles) ? run?.cost : lastCost?.roles) || [];
  const calls = paid(roles);
  const tokens = roles.reduce((sum, r) => sum + r.promptTokens + r.completionTokens, 0);
  const finishedAt = state.finished?.finishedAt || run?.finishedAt;
  const end = finishedAt ? new Date(finishedAt) : new Date();
  const seconds = start ? (end - new Date(start.at)) / 1000 : null;
  const line = (label, used, max, unit) => el('li', {}, `${label}: ${used}${unit}` + (max
    ? ` of ${max}${unit} (${(100 * used / max).toFixed(1)} %)` : ' (no ceiling)'));
  $('#budget').replaceChildren(
    line('LLM calls', calls, budget.maxLlmCalls, ''),
    line('tokens', tokens, budget.maxTokens, ''),
    line('wall time', seconds === null ? 0 : Math.round(seconds), budget.maxWallSeconds, ' s'),
    // null: a model without a price, whose cost in money is unknown (never shown as 0)
    run?.costUsd == null ? el('li', {}, 'cost: unknown (no price for a model)') : line('cost', run.costUsd, budget.maxCostUsd, ' USD'),
    ...roles.map((r) => el('li', {class: 'muted'}, `${r.role}: ${r.calls} paid, ${r.cachedCalls} cached`
      + (r.elapsedMillis == null ? '' : `, busy ${(r.elapsedMillis / 1000).toFixed(1)} s`)
      + (r.costUsd == null ? '' : `, ${r.costUsd} USD`))));
}

function renderStability(state) {
  const refreshes = state.steps.filter((s) => s.kind === 'refresh' && s.status === 'COMPLETED');
  const stable = refreshes.filter((s) => s.topStable).length;
  $('#refresh-stability').textContent = refreshes.length
    ? `top node unchanged in ${stable} of ${refreshes.length} completed refreshes` : 'no completed refresh yet';
}

function renderDiff(state) {
  if (!state.start) return;
  const blocks = state.start.agents.map((agent) => {
    const seed = state.start.seedPrompts[agent] || '';
    const best = state.best[agent] ?? seed;
    const lines = lineDiff(seed, best).map(([op, text]) =>
      el('div', {class: op === '+' ? 'added' : op === '-' ? 'removed' : ''}, op + ' ' + text));
    return el('div', {class: 'diff', 'data-agent': agent}, el('h3', {}, agent + (best === seed ? ' (unchanged)' : '')),
      el('pre', {}, ...lines));
  });
  $('#diff').replaceChildren(...blocks);
}

/** A line diff by longest common subsequence: [op, line] with op ' ', '-' (seed only) or '+' (optimized only). */
function lineDiff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({length: a.length + 1}, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push([' ', a[i++]]);
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push(['-', a[i++]]);
    } else {
      out.push(['+', b[j++]]);
    }
  }
  while (i < a.length) out.push(['-', a[i++]]);
  while (j < b.length) out.push(['+', b[j++]]);
  return out;
}

// ---- Start ------------------------------------------------------------------------------------------------------

$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, $('#api-key').value.trim());
  $('#api-key').value = '';
  try {
    const response = await api('/api/v1/runs');
    if (response.ok) {
      $('#login-error').textContent = '';
      route();
    } else {
      $('#login-error').textContent = await errorText(response);
    }
  } catch (err) {
    // api() has logged out and said why
  }
});
$('#logout').addEventListener('click', () => logout(''));
$('#submit-run').addEventListener('click', () => submitRun().catch((e) => { $('#submit-error').textContent = e.message; }));
$('#beam-select').addEventListener('change', renderBeam);
window.addEventListener('hashchange', route);
route();
