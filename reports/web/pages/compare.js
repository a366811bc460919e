// Selected runs side by side: every metric's curves overlaid (one chart per
// key), last metric values and parameters, with differing parameters marked.
'use strict';
seglab.header('compare');

const ids = seglab.param('runs').split(',').map((s) => s.trim()).filter(Boolean);
document.getElementById('ids').value = ids.join(',');
document.getElementById('go').addEventListener('click', () => {
  location.href = '/compare.html?runs=' + document.getElementById('ids').value.split(',').map((s) => encodeURIComponent(s.trim())).join(',');
});

// `show` writes a value: metrics rounded (seglab.num), parameters in full
// (the API's number or text), so two learning rates that differ never look alike.
function sideBySide(runs, keysOf, valueOf, show, markDiffs) {
  const keys = [...new Set(runs.flatMap(keysOf))].sort();
  const head = '<thead><tr><th>key</th>' + runs.map((r) => '<th>' + seglab.esc(r.id) + ' <span class="muted">' + seglab.esc(r.name) + '</span></th>').join('') + '</tr></thead>';
  const rows = keys.map((key) => {
    const values = runs.map((r) => valueOf(r, key));
    const differs = new Set(values.map((v) => JSON.stringify(v))).size > 1;
    if (markDiffs && document.getElementById('only-diff').checked && !differs) return '';
    return '<tr class="' + (markDiffs && differs ? 'differs' : '') + '"><td>' + seglab.esc(key) + '</td>' +
      values.map((v) => '<td class="num">' + seglab.esc(show(v)) + '</td>').join('') + '</tr>';
  }).join('');
  return head + '<tbody>' + rows + '</tbody>';
}

async function load() {
  if (ids.length === 0) {
    document.getElementById('message').innerHTML = '<p class="muted">Select runs in the <a href="/">runs table</a>, or type their ids above.</p>';
    return;
  }
  try {
    const runs = await Promise.all(ids.map((id) => seglab.json('/api/runs/' + encodeURIComponent(id))));
    const metrics = await Promise.all(runs.map((r) => seglab.json('/api/runs/' + encodeURIComponent(r.id) + '/metrics')));
    const keys = [...new Set(metrics.flatMap((m) => Object.keys(m.metrics)))].filter((k) => seglab.chartGroup(k)).sort();
    const container = document.getElementById('charts');
    keys.forEach((key) => {
      const datasets = runs.map((run, i) => metrics[i].metrics[key] && {
        label: run.id + ' ' + run.name, data: seglab.points(metrics[i].metrics[key]),
        borderColor: seglab.colour(i), backgroundColor: seglab.colour(i),
        pointRadius: metrics[i].metrics[key].step.length < 40 ? 2 : 0,
      }).filter(Boolean);
      const box = document.createElement('div');
      box.className = 'card';
      box.innerHTML = '<div class="chart-box"><canvas data-key="' + seglab.esc(key) + '"></canvas></div>';
      container.appendChild(box);
      seglab.lineChart(box.querySelector('canvas'), key, datasets);
    });
    document.getElementById('metrics').innerHTML = sideBySide(runs, (r) => Object.keys(r.metrics), (r, k) => r.metrics[k], seglab.num, false);
    const drawParams = () => {
      document.getElementById('params').innerHTML = sideBySide(runs, (r) => Object.keys(r.params), (r, k) => r.params[k], (v) => v, true);
    };
    drawParams();
    document.getElementById('only-diff').addEventListener('change', drawParams);
    document.body.dataset.loaded = 'true';
  } catch (error) {
    seglab.showError(document.getElementById('message'), error);
  }
}
load();
