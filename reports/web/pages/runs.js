// The runs table: filter, sort, status and sweep, select runs to compare.
// Refreshes itself every few seconds while a run is training.
'use strict';
seglab.header('runs');

const columns = [
  { key: 'id', label: 'id' }, { key: 'name', label: 'name' }, { key: 'status', label: 'status' },
  { key: 'sweep', label: 'sweep' }, { key: 'created_at', label: 'created (UTC)' },
  { key: 'model.encoder', label: 'encoder', param: true }, { key: 'train.lr', label: 'lr', param: true, num: true },
  { key: 'epochs', label: 'epochs', num: true },
  { key: 'val.dice', label: 'val.dice', metric: true, num: true },
  { key: 'train.epoch_loss', label: 'train.loss', metric: true, num: true },
];
const state = { runs: [], sort: 'created_at', descending: true, selected: new Set() };

function valueOf(run, column) {
  if (column.param) return run.params[column.key];
  if (column.metric) return run.metrics[column.key];
  return run[column.key];
}

function matches(run) {
  const status = document.getElementById('status').value;
  const sweep = document.getElementById('sweep').value;
  if (status && run.status !== status) return false;
  if (sweep && run.sweep !== sweep) return false;
  const words = document.getElementById('filter').value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return words.every((word) => {
    const eq = word.indexOf('=');
    if (eq > 0) {
      const key = word.slice(0, eq), value = word.slice(eq + 1);
      const found = run.params[key] !== undefined ? run.params[key] : run.metrics[key];
      return found !== undefined && String(found).toLowerCase() === value;
    }
    return [run.id, run.name, run.status, run.sweep].some((text) => String(text).toLowerCase().includes(word));
  });
}

function render() {
  const column = columns.find((c) => c.key === state.sort);
  const shown = state.runs.filter(matches).sort((a, b) => {
    const order = seglab.compare(valueOf(a, column), valueOf(b, column));
    return state.descending ? -order : order;
  });
  const head = '<tr><th></th>' + columns.map((c) =>
    '<th data-key="' + c.key + '" class="' + (c.num ? 'num ' : '') +
    (c.key === state.sort ? (state.descending ? 'sorted-desc' : 'sorted-asc') : '') + '">' + c.label + '</th>').join('') + '</tr>';
  const rows = shown.map((run) => '<tr data-run="' + seglab.esc(run.id) + '"><td><input type="checkbox" data-select="' +
    seglab.esc(run.id) + '"' + (state.selected.has(run.id) ? ' checked' : '') + '></td>' +
    columns.map((c) => {
      const v = valueOf(run, c);
      if (c.key === 'id') return '<td><a href="/run.html?id=' + encodeURIComponent(run.id) + '">' + seglab.esc(v) + '</a></td>';
      if (c.key === 'status') return '<td>' + seglab.badge(v) + '</td>';
      if (c.key === 'sweep' && v) return '<td><a href="/?sweep=' + encodeURIComponent(v) + '">' + seglab.esc(v) + '</a></td>';
      return '<td class="' + (c.num ? 'num' : '') + '">' + seglab.esc(c.num ? seglab.num(v) : v) + '</td>';
    }).join('') + '</tr>').join('');
  const table = document.getElementById('runs');
  table.innerHTML = '<thead>' + head + '</thead><tbody>' + rows + '</tbody>';
  seglab.sortable(table, (key) => {
    state.descending = state.sort === key ? !state.descending : false;
    state.sort = key;
    render();
  });
  table.querySelectorAll('input[data-select]').forEach((box) => box.addEventListener('change', () => {
    if (box.checked) state.selected.add(box.dataset.select); else state.selected.delete(box.dataset.select);
    updateCompare();
  }));
  document.getElementById('count').textContent = shown.length + ' of ' + state.runs.length + ' runs';
  updateCompare();
}

function updateCompare() {
  const button = document.getElementById('compare');
  button.disabled = state.selected.size < 2;
  button.textContent = 'Compare selected (' + state.selected.size + ')';
}

async function load() {
  try {
    const body = await seglab.json('/api/runs');
    state.runs = body.runs;
    document.getElementById('store').textContent = 'store: ' + body.store;
    const sweeps = [...new Set(body.runs.map((r) => r.sweep).filter(Boolean))].sort();
    const select = document.getElementById('sweep');
    // A sweep link (/?sweep=<id>) opens the table filtered to that sweep.
    const current = select.value || new URLSearchParams(location.search).get('sweep') || '';
    select.innerHTML = '<option value="">any sweep</option>' + sweeps.map((s) => '<option>' + seglab.esc(s) + '</option>').join('');
    select.value = current;
    document.getElementById('message').innerHTML = body.runs.length ? '' :
      '<div class="card muted">No runs in this store yet: <code>seglab train experiments/quickstart.ini</code></div>';
    const running = body.runs.some((r) => r.status === 'running');
    document.getElementById('live').textContent = running ? 'live: a run is training' : '';
    render();
    document.body.dataset.loaded = 'true';
    if (running) setTimeout(load, 3000);
  } catch (error) {
    seglab.showError(document.getElementById('message'), error);
  }
}

['filter', 'status', 'sweep'].forEach((id) => document.getElementById(id).addEventListener('input', render));
document.getElementById('compare').addEventListener('click', () => {
  location.href = '/compare.html?runs=' + [...state.selected].map(encodeURIComponent).join(',');
});
load();
