// Segment an image: pick a finished run, upload an image (or take one of the
// run's dataset), see original | mask | overlay. The server returns the lesion
// probability map once; the threshold slider re-thresholds it here, so moving
// it needs no new prediction. Multi-class runs show the server's arg-max mask.
'use strict';
seglab.header('segment');

const el = (id) => document.getElementById(id);
const lesionColour = [230, 159, 0];  // Okabe-Ito orange, class 1 in reports/overlay
let current = null;  // {name, result, image: ImageData, probability: ImageData}

function setStatus(text) { el('status').textContent = text; }

function decodePng(base64) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = img.width; canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      resolve(ctx.getImageData(0, 0, img.width, img.height));
    };
    img.onerror = () => reject(new Error('the server sent an image the browser cannot decode'));
    img.src = 'data:image/png;base64,' + base64;
  });
}

function put(canvas, imageData) {
  canvas.width = imageData.width; canvas.height = imageData.height;
  canvas.getContext('2d').putImageData(imageData, 0, 0);
}

// Mask (0/255) and overlay (tint + outline) from the probability map.
function draw() {
  if (!current) return;
  el('download').classList.add('disabled');
  const { image, probability, mask: serverMask, overlay: serverOverlay, result } = current;
  const w = image.width, h = image.height;
  if (result.num_classes !== 2) {
    put(el('mask'), serverMask); put(el('overlay'), serverOverlay);
  } else {
    const cut = Number(el('threshold').value) * 255;
    const inside = new Uint8Array(w * h);
    for (let i = 0; i < w * h; ++i) inside[i] = probability.data[4 * i] > cut ? 1 : 0;
    const mask = new ImageData(w, h), overlay = new ImageData(new Uint8ClampedArray(image.data), w, h);
    let lesion = 0;
    for (let y = 0; y < h; ++y) for (let x = 0; x < w; ++x) {
      const i = y * w + x, v = inside[i] ? 255 : 0;
      mask.data[4 * i] = mask.data[4 * i + 1] = mask.data[4 * i + 2] = v; mask.data[4 * i + 3] = 255;
      if (!inside[i]) continue;
      ++lesion;
      const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1 || !inside[i - 1] || !inside[i + 1] || !inside[i - w] || !inside[i + w];
      for (let c = 0; c < 3; ++c) overlay.data[4 * i + c] = edge ? lesionColour[c] : 0.6 * image.data[4 * i + c] + 0.4 * lesionColour[c];
    }
    put(el('mask'), mask); put(el('overlay'), overlay);
    el('mask').dataset.lesionPixels = String(lesion);
    setStatus(current.name + ': ' + w + 'x' + h + ', ' + (100 * lesion / (w * h)).toFixed(1) + '% lesion at threshold ' +
      Number(el('threshold').value).toFixed(2) + ' (run ' + result.run + ')');
  }
  // The PNG is encoded asynchronously: the page is 'done' only once the
  // download link holds this mask, so a click (or a test) never gets the
  // previous one.
  const name = current.name;
  el('mask').toBlob((blob) => {
    const link = el('download');
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(blob);
    link.download = name.replace(/\.[^.]*$/, '') + '_mask.png';
    link.classList.remove('disabled');
    document.body.dataset.state = 'done';
  }, 'image/png');
}

async function segment(blob, name) {
  const run = el('run').value;
  if (!run) { seglab.showError(el('message'), 'no finished run in this store: train one first'); return; }
  el('message').innerHTML = '';
  document.body.dataset.state = 'working';
  setStatus('segmenting ' + name + ' with run ' + run + '…');
  const form = new FormData();
  form.append('image', blob, name);
  form.append('run', run);
  form.append('threshold', el('threshold').value);
  try {
    const result = await seglab.json('/api/predict', { method: 'POST', body: form });
    const [image, probability, mask, overlay] = await Promise.all(
      [result.image_png, result.probability_png, result.mask_png, result.overlay_png].map(decodePng));
    current = { name, result, image, probability, mask, overlay };
    put(el('original'), image);
    el('threshold').disabled = result.num_classes !== 2;
    draw();
  } catch (error) {
    document.body.dataset.state = 'error';
    seglab.showError(el('message'), error);
    setStatus('');
  }
}

async function loadSamples() {
  const select = el('sample');
  select.innerHTML = '<option value="">choose…</option>';
  if (!el('run').value) return;
  try {
    const body = await seglab.json('/api/runs/' + encodeURIComponent(el('run').value) + '/samples');
    select.innerHTML += body.samples.map((id, i) => '<option value="' + i + '">' + seglab.esc(id) + '</option>').join('');
  } catch (error) {
    select.innerHTML = '<option value="">(dataset not readable here)</option>';
  }
}

async function init() {
  try {
    const body = await seglab.json('/api/runs');
    document.getElementById('store').textContent = 'store: ' + body.store;
    const finished = body.runs.filter((r) => r.status === 'finished').reverse();
    const wanted = seglab.param('run');
    el('run').innerHTML = finished.map((r) => '<option value="' + seglab.esc(r.id) + '"' + (r.id === wanted ? ' selected' : '') + '>' +
      seglab.esc(r.id + ' ' + r.name + (r.metrics['val.dice'] !== undefined ? ' (val.dice ' + seglab.num(r.metrics['val.dice'], 3) + ')' : '')) + '</option>').join('');
    if (!finished.length) seglab.showError(el('message'), 'no finished run in this store: train one first (seglab train experiments/quickstart.ini)');
    document.body.dataset.loaded = 'true';
    loadSamples();
  } catch (error) {
    seglab.showError(el('message'), error);
  }
}

el('image-file').addEventListener('change', () => {
  const file = el('image-file').files[0];
  if (file) segment(file, file.name);
});
el('sample').addEventListener('change', async () => {
  const index = el('sample').value;
  if (index === '') return;
  try {
    const response = await fetch('/api/runs/' + encodeURIComponent(el('run').value) + '/samples/' + index + '.png');
    if (!response.ok) throw new Error('cannot read the sample (' + response.status + ')');
    segment(await response.blob(), el('sample').selectedOptions[0].textContent + '.png');
  } catch (error) {
    seglab.showError(el('message'), error);
  }
});
el('run').addEventListener('change', () => { current = null; loadSamples(); });
el('threshold').addEventListener('input', () => {
  el('threshold-value').textContent = Number(el('threshold').value).toFixed(2);
  draw();
});
init();
