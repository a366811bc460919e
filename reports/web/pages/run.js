// One run: summary, live curves while it trains, final metrics, evaluations
// (summary, per-image scores, predicted masks), config and record.
'use strict';
seglab.header('runs');

const runId = seglab.param('id');
const charts = {};  // group -> Chart

function kvTable(element, object) {
  element.innerHTML = '<tbody>' + Object.keys(object).sort().map((key) =>
    '<tr><td>' + seglab.esc(key) + '</td><td>' + seglab.esc(object[key]) + '</td></tr>').join('') + '</tbody>';
}

function renderSummary(run) {
  document.title = 'seglab run ' + run.id;
  document.getElementById('title').innerHTML = 'Run ' + seglab.esc(run.id) + ' <span class="muted">' + seglab.esc(run.name) + '</span> ' + seglab.badge(run.status);
  const stats = [['created (UTC)', run.created_at], ['ended (UTC)', run.ended_at || '-'], ['epochs', run.epochs],
    ['val.dice', seglab.num(run.metrics['val.dice'])], ['config hash', (run.config_hash || '').slice(0, 12)], ['host', run.host]];
  let html = stats.map(([label, value]) => '<span class="stat"><span class="muted">' + label + '</span><b>' + seglab.esc(value) + '</b></span>').join('');
  if (run.sweep) html += '<p>sweep <a href="/?sweep=' + encodeURIComponent(run.sweep) + '">' + seglab.esc(run.sweep) + '</a> (<a href="/api/sweeps/' + encodeURIComponent(run.sweep) + '">JSON</a>)</p>';
  if (run.error) html += '<p class="error">' + seglab.esc(run.error) + '</p>';
  html += '<p>' + run.files.map((f) => '<a href="/api/runs/' + encodeURIComponent(run.id) + '/files/' + f + '">' + f + '</a>').join(' &middot; ');
  if (run.status === 'finished') html += ' &middot; <a href="/segment.html?run=' + encodeURIComponent(run.id) + '">segment an image with this run</a>';
  html += '</p><p class="muted">' + seglab.esc(run.command) + '</p>';
  document.getElementById('summary').innerHTML = html;
  const metrics = run.metrics;
  document.getElementById('metrics').innerHTML = '<thead><tr><th>metric</th><th class="num">last value</th></tr></thead><tbody>' +
    Object.keys(metrics).sort().map((k) => '<tr><td>' + seglab.esc(k) + '</td><td class="num">' + seglab.num(metrics[k]) + '</td></tr>').join('') + '</tbody>';
  kvTable(document.getElementById('params'), run.params);
  kvTable(document.getElementById('record'), run.record);
}

function renderEvals(run) {
  const base = '/api/runs/' + encodeURIComponent(run.id) + '/files/';
  document.getElementById('evals').innerHTML = run.evals.map((ev, e) => {
    const summary = ev.summary.rows.map((row) => '<tr>' + row.map((cell, i) =>
      '<td class="' + (i ? 'num' : '') + '">' + seglab.esc(i ? seglab.num(cell) : cell) + '</td>').join('') + '</tr>').join('');
    const masks = ev.masks.slice(0, 60).map((path) => '<figure><img loading="lazy" src="' + base + path + '" alt="mask"><figcaption>' +
      seglab.esc(path.split('/').pop()) + '</figcaption></figure>').join('');
    return '<h2>Evaluation ' + seglab.esc(ev.name) + '</h2><div class="grid2"><div><div class="table-wrap"><table><thead><tr>' +
      ev.summary.columns.map((c, i) => '<th class="' + (i ? 'num' : '') + '">' + seglab.esc(c) + '</th>').join('') + '</tr></thead><tbody>' + summary +
      '</tbody></table></div></div><div><div class="table-wrap"><table id="per-image-' + e + '"></table></div></div></div>' +
      '<h2>Predicted masks <span class="muted">(' + ev.masks.length + ')</span></h2><div class="thumbs">' + masks + '</div>';
  }).join('');
  run.evals.forEach((ev, e) => {
    const table = document.getElementById('per-image-' + e);
    let sort = 0, descending = false;
    const draw = () => {
      const rows = ev.per_image.rows.slice().sort((a, b) => (descending ? -1 : 1) * seglab.compare(a[sort], b[sort]));
      table.innerHTML = '<thead><tr>' + ev.per_image.columns.map((c, i) => '<th data-key="' + i + '" class="' + (i ? 'num ' : '') +
        (i === sort ? (descending ? 'sorted-desc' : 'sorted-asc') : '') + '">' + seglab.esc(c) + '</th>').join('') + '</tr></thead><tbody>' +
        rows.map((row) => '<tr>' + row.map((cell, i) => '<td class="' + (i ? 'num' : '') + '">' + seglab.esc(i ? seglab.num(cell) : cell) + '</td>').join('') + '</tr>').join('') + '</tbody>';
      seglab.sortable(table, (key) => { descending = sort === Number(key) ? !descending : false; sort = Number(key); draw(); });
    };
    draw();
  });
}

function renderCurves(metrics) {
  const groups = {};
  Object.keys(metrics).sort().forEach((key) => {
    const group = seglab.chartGroup(key);
    if (group) (groups[group] = groups[group] || []).push(key);
  });
  const container = document.getElementById('charts');
  seglab.chartGroups.filter((group) => groups[group]).forEach((group) => {
    const datasets = groups[group].map((key, i) => ({
      label: key, data: seglab.points(metrics[key]), borderColor: seglab.colour(i), backgroundColor: seglab.colour(i),
      pointRadius: metrics[key].step.length < 40 ? 2 : 0,
    }));
    if (charts[group]) {
      charts[group].data.datasets = datasets;
      charts[group].update('none');
      return;
    }
    const box = document.createElement('div');
    box.className = 'card';
    box.innerHTML = '<div class="chart-box"><canvas data-group="' + seglab.esc(group) + '"></canvas></div>';
    container.appendChild(box);
    charts[group] = seglab.lineChart(box.querySelector('canvas'), group, datasets);
  });
  if (!Object.keys(groups).length) container.innerHTML = '<p class="muted">No metric points yet.</p>';
}

async function refresh(first) {
  try {
    const [run, metrics] = await Promise.all([
      seglab.json('/api/runs/' + encodeURIComponent(runId)),
      seglab.json('/api/runs/' + encodeURIComponent(runId) + '/metrics')]);
    renderSummary(run);
    renderCurves(metrics.metrics);
    if (first || run.status !== 'running') renderEvals(run);
    const live = run.status === 'running';
    document.getElementById('live').textContent = live ? 'live: updating every 3 s' : '';
    document.body.dataset.loaded = 'true';
    if (live) setTimeout(() => refresh(false), 3000);
  } catch (error) {
    seglab.showError(document.getElementById('message'), error);
  }
}

if (!runId) seglab.showError(document.getElementById('message'), 'no run id: open this page from the runs table');
else refresh(true);
