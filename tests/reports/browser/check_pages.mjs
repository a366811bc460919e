// Drives Debian's Chromium (headless, through puppeteer-core) through the
// seglab web UI as a person would, and prints what it saw as one JSON line:
//   node check_pages.mjs <base url> <run id> <image to upload> <screenshot dir> [<run id>,<run id> to compare]
// Used by tests/reports/web_browser_test.cpp, which starts `seglab serve` and
// checks the figures; the screenshots are those of docs/web-ui.md and README.md.
import puppeteer from 'puppeteer-core';

const [base, runId, imagePath, shotDir, compareIds] = process.argv.slice(2);

// What each Chart.js chart of the page drew, read back through Chart.js's
// public API (instances, getDatasetMeta, isDatasetVisible, scales, chartArea,
// legend) and the canvas pixels, so that it holds for whichever Chart.js
// Debian ships: per dataset its label, its data, whether it is shown and how
// many of its points were drawn inside the plot area where the data says
// (within a pixel); per chart how many plot-area pixels carry a dataset's
// colour. (Not per dataset: a curve along the axis is half clipped, and two
// runs with equal values draw one line over the other.)
const chartsDrawn = (page) => page.evaluate(() => Object.values(Chart.instances).map((chart) => {
  const canvas = chart.canvas;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const area = chart.chartArea, xScale = chart.scales.x, yScale = chart.scales.y;
  const ratio = canvas.width / chart.width;  // canvas pixels per CSS pixel
  const pixelX = (xScale.max - xScale.min) / (area.right - area.left) * 1.01;
  const pixelY = (yScale.max - yScale.min) / (area.bottom - area.top) * 1.01;
  const colours = new Set(chart.data.datasets.map((d) => d.borderColor.toLowerCase()));
  const hex = (v) => v.toString(16).padStart(2, '0');
  let dataPixels = 0;  // inside the plot area only: the legend's boxes have the colours too
  for (let y = Math.ceil(area.top * ratio); y < Math.floor(area.bottom * ratio); ++y)
    for (let x = Math.ceil(area.left * ratio); x < Math.floor(area.right * ratio); ++x) {
      const p = (y * canvas.width + x) * 4;
      if (pixels[p + 3] === 255 && colours.has('#' + hex(pixels[p]) + hex(pixels[p + 1]) + hex(pixels[p + 2]))) ++dataPixels;
    }
  return {
    group: canvas.dataset.group || null, key: canvas.dataset.key || null,
    type: chart.config.type, x_scale: xScale.type, title: chart.options.plugins.title.text,
    // the title plugin's layout box: the title is laid out on the canvas, not only configured
    title_boxes: chart.boxes.filter((box) => box.options && box.options.display && box.options.text === chart.options.plugins.title.text).length,
    legend: chart.legend.legendItems.map((item) => item.text),
    data_pixels: dataPixels,
    datasets: chart.data.datasets.map((dataset, i) => ({
      label: dataset.label, x: dataset.data.map((p) => p.x), y: dataset.data.map((p) => p.y), visible: chart.isDatasetVisible(i),
      drawn: chart.getDatasetMeta(i).data.filter((element, k) =>
        element.x >= area.left - 0.5 && element.x <= area.right + 0.5 && element.y >= area.top - 0.5 && element.y <= area.bottom + 0.5 &&
        Math.abs(xScale.getValueForPixel(element.x) - dataset.data[k].x) <= pixelX &&
        Math.abs(yScale.getValueForPixel(element.y) - dataset.data[k].y) <= pixelY).length,
    })),
  };
}));
const browser = await puppeteer.launch({
  executablePath: process.env.SEGLAB_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
});
const result = { console_errors: [] };
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1360, height: 860 });
  page.on('pageerror', (error) => result.console_errors.push(String(error)));
  page.on('console', (message) => { if (message.type() === 'error') result.console_errors.push(message.text()); });

  // Runs table.
  await page.goto(base + '/', { waitUntil: 'networkidle0' });
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 20000 });
  result.runs_rows = await page.$$eval('#runs tbody tr', (rows) => rows.map((r) => r.dataset.run));
  result.runs_status = await page.$eval(`#runs tbody tr[data-run="${runId}"] .badge`, (b) => b.textContent);
  await page.screenshot({ path: shotDir + '/web-runs.png' });

  // Run page: curves drawn by Chart.js.
  await page.goto(base + '/run.html?id=' + runId, { waitUntil: 'networkidle0' });
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 20000 });
  result.run_charts = await page.$$eval('#charts canvas', (canvases) => canvases.map((c) => c.dataset.group));
  result.run_chart_points = await page.evaluate(() => Object.values(Chart.instances)
    .reduce((n, chart) => n + chart.data.datasets.reduce((m, d) => m + d.data.length, 0), 0));
  result.run_drawn = await chartsDrawn(page);
  await page.screenshot({ path: shotDir + '/web-run.png', fullPage: false });

  if (compareIds) {
    await page.goto(base + '/compare.html?runs=' + compareIds, { waitUntil: 'networkidle0' });
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 20000 });
    result.compare_drawn = await chartsDrawn(page);
    result.compare_params_head = await page.$$eval('#params thead th', (cells) => cells.map((c) => c.textContent));
    result.compare_params = await page.$$eval('#params tbody tr', (rows) => rows.map((r) => ({
      differs: r.classList.contains('differs'), cells: [...r.cells].map((c) => c.textContent) })));
    await page.screenshot({ path: shotDir + '/web-compare.png' });
  }

  // Segment page: upload a real image, wait for the mask.
  await page.goto(base + '/segment.html?run=' + runId, { waitUntil: 'networkidle0' });
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 20000 });
  const input = await page.$('#image-file');
  await input.uploadFile(imagePath);
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 120000 });
  result.segment_state = await page.$eval('body', (b) => b.dataset.state);
  result.segment_message = await page.$eval('#message', (m) => m.textContent);
  result.segment_status = await page.$eval('#status', (s) => s.textContent);
  const canvasInfo = () => page.evaluate(() => {
    const info = {};
    for (const id of ['original', 'mask', 'overlay']) {
      const c = document.getElementById(id);
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let white = 0, nonBlack = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255) ++white;
        if (data[i] || data[i + 1] || data[i + 2]) ++nonBlack;
      }
      info[id] = { width: c.width, height: c.height, white, non_black: nonBlack };
    }
    info.download = document.getElementById('download').getAttribute('download');
    info.download_ready = !document.getElementById('download').classList.contains('disabled');
    return info;
  });
  result.segment = await canvasInfo();
  await page.screenshot({ path: shotDir + '/web-segment.png' });
  // A higher threshold keeps fewer pixels, with no new request.
  await page.$eval('#threshold', (slider) => { slider.value = '0.9'; slider.dispatchEvent(new Event('input')); });
  result.segment_high_threshold = await canvasInfo();
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
