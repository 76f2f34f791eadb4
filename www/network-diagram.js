// The 2-n_h-1 network as a diagram: SVG edges coloured by the weight's sign
// and as wide as its size, each hidden unit's activation over the plane and
// the output's probability as small maps, and every value on hover.

import { formatNumber as format } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const POSITIVE = '#0072B2';
const NEGATIVE = '#E69F00';
/** Unit maps' CSS size; the output's is a little larger. */
const UNIT_SIZE = 40;
const OUTPUT_SIZE = 52;
const INPUT_RADIUS = 15;
const ROW_HEIGHT = 52;
/** Fastest redraw while training: the maps cost a render each. */
const TRAINING_INTERVAL_MS = 100;

export function mountNetworkDiagram(container, app) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('role', 'img');
  svg.classList.add('network-svg');
  container.append(svg);

  let width = 0;
  let hidden = 0;
  let nodes = null;
  let drawnRevision = -1;
  let drawnAt = -Infinity;
  const ratio = () => Math.min(2, window.devicePixelRatio || 1);

  new ResizeObserver(() => {
    const measured = container.getBoundingClientRect().width;
    if (measured !== width) {
      width = measured;
      nodes = null;
    }
  }).observe(container);

  app.on('change', () => {
    drawnRevision = -1;
  });

  app.on('frame', () => {
    if (width === 0) return;
    if (app.planar.hidden() !== hidden || !nodes) build();
    const now = performance.now();
    const training = app.state.playing && !app.stepThrough;
    if (drawnRevision === app.revision || (training && now - drawnAt < TRAINING_INTERVAL_MS)) return;
    update();
    drawnRevision = app.revision;
    drawnAt = now;
  });

  /** Lays out the nodes and creates every element for the current width. */
  function build() {
    hidden = app.planar.hidden();
    const height = Math.max(3, hidden) * ROW_HEIGHT + 28;
    container.style.height = `${height}px`;
    svg.replaceChildren();
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('aria-label', `The network: 2 inputs, ${hidden} hidden tanh unit${hidden === 1 ? '' : 's'}, 1 sigmoid output`);
    for (const old of container.querySelectorAll('canvas')) old.remove();

    const middle = (height - 22) / 2;
    const column = { input: width * 0.12, hidden: width * 0.5, output: width * 0.86 };
    const inputs = [0, 1].map((k) => ({ x: column.input, y: middle + (k - 0.5) * ROW_HEIGHT * 1.4 }));
    const units = Array.from({ length: hidden }, (_, j) => ({
      x: column.hidden,
      y: middle + (j - (hidden - 1) / 2) * ROW_HEIGHT,
    }));
    const output = { x: column.output, y: middle };

    const edgeLayer = element('g', { class: 'edges' });
    const nodeLayer = element('g', { class: 'nodes' });
    svg.append(edgeLayer, nodeLayer);

    const inputEdges = units.map((unit) => inputs.map((input) => edge(edgeLayer,
      input.x + INPUT_RADIUS, input.y, unit.x - UNIT_SIZE / 2, unit.y)));
    const outputEdges = units.map((unit) => edge(edgeLayer,
      unit.x + UNIT_SIZE / 2, unit.y, output.x - OUTPUT_SIZE / 2, output.y));

    inputs.forEach((input, k) => {
      const group = element('g', { class: 'input-node' });
      const title = element('title');
      title.textContent = `x${subscript(k + 1)}: the point's ${k === 0 ? 'horizontal' : 'vertical'} coordinate`;
      group.append(title, element('circle', { cx: input.x, cy: input.y, r: INPUT_RADIUS }));
      const label = element('text', { x: input.x, y: input.y, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
      label.textContent = `x${subscript(k + 1)}`;
      group.append(label);
      nodeLayer.append(group);
    });

    const unitMaps = units.map((unit) => nodeMap(unit, UNIT_SIZE, nodeLayer));
    const outputMap = nodeMap(output, OUTPUT_SIZE, nodeLayer);

    const captions = [
      [column.input, 'input x'],
      [column.hidden, `hidden: tanh, n${subscript('h')} = ${hidden}`],
      [column.output, 'output: σ'],
    ];
    for (const [x, text] of captions) {
      const caption = element('text', { x, y: height - 6, 'text-anchor': 'middle', class: 'caption' });
      caption.textContent = text;
      nodeLayer.append(caption);
    }
    nodes = { inputEdges, outputEdges, unitMaps, outputMap };
    drawnRevision = -1;
  }

  function nodeMap(centre, size, layer) {
    layer.append(element('rect', {
      x: centre.x - size / 2 - 1, y: centre.y - size / 2 - 1, width: size + 2, height: size + 2, rx: 3, class: 'map-frame',
    }));
    const canvas = document.createElement('canvas');
    const pixels = Math.round(size * ratio());
    canvas.width = pixels;
    canvas.height = pixels;
    canvas.className = 'node-map';
    canvas.style.left = `${centre.x - size / 2}px`;
    canvas.style.top = `${centre.y - size / 2}px`;
    canvas.style.width = `${size}px`;
    canvas.style.height = `${size}px`;
    container.append(canvas);
    return { canvas, context: canvas.getContext('2d'), pixels, image: null, key: null };
  }

  function edge(layer, x1, y1, x2, y2) {
    const group = element('g', { class: 'edge' });
    const title = element('title');
    const hit = element('line', { x1, y1, x2, y2, class: 'edge-hit' });
    const line = element('line', { x1, y1, x2, y2, class: 'edge-line' });
    group.append(title, hit, line);
    layer.append(group);
    return { title, line };
  }

  /** Restyles the edges, rewrites the titles and redraws the maps. */
  function update() {
    const planar = app.planar;
    const values = planar.parameters();
    const n = hidden;
    for (let j = 0; j < n; j += 1) {
      for (let k = 0; k < 2; k += 1) {
        const w = values[j * 2 + k];
        styleEdge(nodes.inputEdges[j][k], w,
          `W1[${j + 1},${k + 1}] = ${format(w)}: from x${subscript(k + 1)} to hidden unit ${j + 1}`);
      }
      const w2 = values[3 * n + j];
      styleEdge(nodes.outputEdges[j], w2, `W2[1,${j + 1}] = ${format(w2)}: from hidden unit ${j + 1} to the output`);
      const map = nodes.unitMaps[j];
      paint(map, planar.render_unit(j, map.pixels));
      map.canvas.title = `Hidden unit ${j + 1}: A1 = tanh(${format(values[j * 2])}·x₁ + ${format(values[j * 2 + 1])}·x₂ + b1), `
        + `b1[${j + 1}] = ${format(values[2 * n + j])}. Blue where A1 > 0, orange where A1 < 0.`;
    }
    const output = nodes.outputMap;
    paint(output, planar.render_field(output.pixels, output.pixels));
    output.canvas.title = `Output: A2 = σ(W2·A1 + b2) = P(class 1), b2 = ${format(values[4 * n])}.`;
  }

  function paint(map, pointer) {
    const buffer = app.wasm.memory.buffer;
    const key = map.key;
    if (!key || key.buffer !== buffer || key.pointer !== pointer) {
      map.image = new ImageData(new Uint8ClampedArray(buffer, pointer, map.pixels * map.pixels * 4), map.pixels, map.pixels);
      map.key = { buffer, pointer };
    }
    map.context.putImageData(map.image, 0, 0);
  }
}

function styleEdge({ title, line }, weight, text) {
  const finite = Number.isFinite(weight);
  const size = finite ? Math.abs(weight) : 100;
  line.setAttribute('stroke', finite && weight < 0 ? NEGATIVE : POSITIVE);
  line.setAttribute('stroke-width', (0.75 + (6 * size) / (size + 3)).toFixed(2));
  if (title.textContent !== text) title.textContent = text;
}

function element(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function subscript(value) {
  return String(value).replace(/[0-9h]/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[c] ?? 'ₕ');
}
