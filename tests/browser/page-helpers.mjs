// Helpers for the page tests: everything goes through the page's own UI
// (clicks, keys, sliders); the only reading done directly is of the DOM and
// the plot canvas's pixels.

export const CLASS_RGB = [[230, 159, 0], [0, 114, 178]];

export const readNumber = async (page, selector) => Number.parseFloat(await page.textContent(selector));

/** Waits until the views have drawn at least one more frame. */
export const nextFrames = (page) => page.evaluate(() => new Promise((done) => {
  requestAnimationFrame(() => requestAnimationFrame(done));
}));

/** Sets a range input as a user drag would end: the value, then an input event. */
export async function setRange(page, selector, value) {
  await page.$eval(selector, (element, v) => {
    element.value = String(v);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

export async function pause(page) {
  if ((await page.textContent('#play')).trim() === 'Pause') await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play').textContent.trim() === 'Play');
}

export async function play(page) {
  if ((await page.textContent('#play')).trim() === 'Play') await page.click('#play');
}

/** Trains at full speed until #iteration reaches `iterations`, then pauses. */
export async function trainUntil(page, iterations) {
  await setRange(page, '#speed', 3);
  await play(page);
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) >= n, iterations, { timeout: 30_000 });
  await pause(page);
}

/** Clicks #step `count` times in one go (each click is exactly one iteration). */
export async function clickStep(page, count) {
  await page.$eval('#step', (button, n) => {
    for (let i = 0; i < n; i += 1) button.click();
  }, count);
}

/** The viewport position of plane location (x, y) on the plot. */
export function planeToClient(page, x, y) {
  return page.$eval('#plot', (canvas, [px, py]) => {
    const rect = canvas.getBoundingClientRect();
    return { x: rect.left + ((px + 5) / 10) * rect.width, y: rect.top + ((5 - py) / 10) * rect.height };
  }, [x, y]);
}

/**
 * The plot's pixels around plane locations: for each, the RGB triples of the
 * (2r+1)² device pixels centred on it.
 */
export function plotPixels(page, locations, radius = 0) {
  return page.$eval('#plot', (canvas, [spots, r]) => {
    const rect = canvas.getBoundingClientRect();
    const context = canvas.getContext('2d');
    return spots.map(([x, y]) => {
      const px = Math.floor(((x + 5) / 10) * rect.width * (canvas.width / rect.width));
      const py = Math.floor(((5 - y) / 10) * rect.height * (canvas.height / rect.height));
      const data = context.getImageData(px - r, py - r, 2 * r + 1, 2 * r + 1).data;
      const pixels = [];
      for (let i = 0; i < data.length; i += 4) pixels.push([data[i], data[i + 1], data[i + 2]]);
      return pixels;
    });
  }, [locations, radius]);
}

export const near = (rgb, target, tolerance = 4) => rgb.every((v, i) => Math.abs(v - target[i]) <= tolerance);

/**
 * Which class the colour field shows among `pixels`: only pale field pixels
 * count (points are saturated, outlines and the contour dark); orange has
 * more red than blue, blue the reverse. Returns 0, 1 or null.
 */
export function fieldClass(pixels) {
  let votes = 0;
  let counted = 0;
  for (const [r, g, b] of pixels) {
    if (Math.min(r, g, b) < 80) continue;
    counted += 1;
    votes += b > r ? 1 : -1;
  }
  if (counted === 0 || votes === 0) return null;
  return votes > 0 ? 1 : 0;
}

/**
 * The flower's petal centres at `radius` from the origin: the tutorial draws
 * class j at angles t in [3.12 j, 3.12 (j + 1)] with r = 4 sin 4t, so its
 * petals lie at t = π j + π/8 + k π/4 with the sign of sin 4t.
 */
export function petalCentres(label, radius) {
  return [0, 1, 2, 3].map((k) => {
    const t = Math.PI * label + Math.PI / 8 + (k * Math.PI) / 4;
    const r = radius * Math.sign(Math.sin(4 * t));
    return [r * Math.sin(t), r * Math.cos(t)];
  });
}

/** The units of hidden layer `layer` (1-based) as the editor shows them. */
export async function unitsOf(page, layer) {
  return Number.parseInt(await page.textContent(`#units-${layer}`), 10);
}

/** Sets hidden layer `layer` to `units` with the editor's − and + buttons, as a reader would. */
export async function setUnits(page, layer, units) {
  for (let current = await unitsOf(page, layer); current !== units; current = await unitsOf(page, layer)) {
    await page.click(current < units ? `#units-plus-${layer}` : `#units-minus-${layer}`);
  }
}

/** Adds or removes hidden layers with the editor until there are `count`. */
export async function setLayerCount(page, count) {
  for (let current = Number(await page.textContent('#layer-count')); current !== count; current = Number(await page.textContent('#layer-count'))) {
    await page.click(current < count ? '#add-layer' : '#remove-layer');
  }
}

/** The architecture the editor shows: features, [units, activation] per layer, init. */
export function editorState(page) {
  return page.evaluate(() => ({
    features: [...document.querySelectorAll('#network-editor .features input')].filter((box) => box.checked).map((box) => box.value),
    layers: [...document.querySelectorAll('#network-editor .layer-item')].map((item) => [
      Number.parseInt(item.querySelector('output').textContent, 10), item.querySelector('select').value,
    ]),
    init: document.querySelector('#init').value,
  }));
}
