// Helpers shared by the pages: fetching the JSON API, formatting, the header.
'use strict';

const seglab = {
  // Fetches JSON; a 4xx/5xx answer throws an Error with the server's message.
  async json(url, options) {
    const response = await fetch(url, options);
    let body = null;
    try { body = await response.json(); } catch (e) { body = { error: response.statusText }; }
    if (!response.ok) {
      const error = new Error((body.error || response.statusText) + (body.remedy ? ' (' + body.remedy + ')' : ''));
      error.status = response.status;
      throw error;
    }
    return body;
  },
  esc(value) {
    return String(value === undefined || value === null ? '' : value)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  },
  num(value, digits = 4) {
    if (value === undefined || value === null || value === '') return '';
    if (typeof value !== 'number') return String(value);
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
    return Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(3) : value.toFixed(digits);
  },
  badge(status) { return '<span class="badge ' + seglab.esc(status) + '">' + seglab.esc(status) + '</span>'; },
  param(name) { return new URLSearchParams(location.search).get(name) || ''; },
  // The page header with its navigation; `active` is the page's key.
  header(active) {
    const links = [['runs', '/', 'Runs'], ['compare', '/compare.html', 'Compare'], ['segment', '/segment.html', 'Segment an image']];
    const nav = links.map(([key, href, label]) =>
      '<a href="' + href + '"' + (key === active ? ' class="active"' : '') + '>' + label + '</a>').join('');
    document.body.insertAdjacentHTML('afterbegin',
      '<header><span class="brand">seglab</span><nav>' + nav + '</nav><span class="store" id="store"></span></header>');
  },
  showError(element, error) {
    element.innerHTML = '<div class="error">' + seglab.esc(error.message || error) + '</div>';
  },
  // Okabe-Ito, colour-blind safe (the palette of reports/overlay).
  colours: ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#f0e442', '#000000'],
  colour(i) { return seglab.colours[i % seglab.colours.length]; },
  // Metric keys grouped into charts (in this order): losses, scores, learning
  // rate, throughput. Points of `seglab eval` are single values, shown as tables.
  chartGroups: ['loss', 'metrics', 'learning rate', 'throughput'],
  chartGroup(key) {
    if (/^eval\./.test(key)) return null;
    if (/loss/.test(key)) return 'loss';
    if (/(^|\.)lr$/.test(key)) return 'learning rate';
    if (/per_second|seconds/.test(key)) return 'throughput';
    return 'metrics';
  },
  lineChart(canvas, title, datasets) {
    return new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
        elements: { point: { radius: 0 }, line: { borderWidth: 1.6 } },
        scales: { x: { type: 'linear', title: { display: true, text: 'optimizer step' } } },
      },
    });
  },
  // A metric series of the API as Chart.js points {x: step, y: value}.
  points(series) { return series.step.map((step, i) => ({ x: step, y: series.value[i] })); },
  // Makes a table's header cells sort its rows (numbers numerically).
  sortable(table, onSort) {
    table.querySelectorAll('th[data-key]').forEach((th) => {
      th.classList.add('sortable');
      th.addEventListener('click', () => onSort(th.dataset.key));
    });
  },
  compare(a, b) {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (a === undefined || a === null || a === '') return 1;
    if (b === undefined || b === null || b === '') return -1;
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  },
};
