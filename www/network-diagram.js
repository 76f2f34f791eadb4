// The network as a diagram, every layer of the engine's model(): each input
// feature and each unit as a small live map of its value over the plane,
// each weight as an edge coloured by its sign and as wide as its size, each
// bias as a dot by its unit. Hovering or focusing a node shows its map large
// on the plot; clicking an edge or a bias (or pressing Enter on a unit)
// opens a small editor that sets the value at once, undoably.

import { getClassColors } from './colors.js';
import { formatNumber as format } from './format.js';
import { onLanguage, t } from './i18n.js';
import { squareImages } from './memory.js';
import { ACTIVATION_INFO, FEATURE_LABELS, describeModel } from './model.js';
import {
  activationOf, locateParameter, nodeName, outputLayer, parameterEntry, parameterIndex, subscript,
} from './network-names.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Largest and smallest node maps (CSS px); they shrink to fit many layers. */
const MAX_NODE = 40;
const MIN_NODE = 22;
const CAPTION_HEIGHT = 26;
const MARGIN = 6;
/** Fastest redraw while training: the maps cost a render each. */
const TRAINING_INTERVAL_MS = 100;
/**
 * Fastest rewrite of the weights' and biases' titles (their tooltips and
 * accessible names, one per parameter) while training: a deep network has
 * hundreds. Stopped, they are rewritten with every change.
 */
const TITLES_INTERVAL_MS = 1000;
/**
 * Time a frame may spend on the maps: a deep network has dozens, each a
 * forward pass over its pixels, so they are redrawn a few per frame in turn.
 */
const MAP_BUDGET_MS = 3;
/** A number as a person types it: decimal, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function mountNetworkDiagram(container, app) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('role', 'img');
  svg.classList.add('network-svg');
  container.append(svg);
  const editor = createEditor(container, app);
  const images = squareImages(app.wasm.memory);

  let width = 0;
  let builtFor = null;
  let parts = null;
  let drawnRevision = -1;
  let drawnAt = -Infinity;
  let titledAt = -Infinity;
  /** The map the next frame's redraw starts at: every map gets its turn. */
  let nextMap = 0;
  const ratio = () => Math.min(2, window.devicePixelRatio || 1);

  new ResizeObserver(() => {
    const measured = container.getBoundingClientRect().width;
    if (measured !== width) {
      width = measured;
      parts = null;
    }
  }).observe(container);

  app.on('change', () => {
    drawnRevision = -1;
  });
  app.on('model', () => editor.close());
  onLanguage(() => {
    parts = null;
    editor.relabel();
  });

  app.on('frame', () => {
    if (width === 0) return;
    if (app.model !== builtFor || !parts) build();
    const now = performance.now();
    const training = app.state.playing && !app.stepThrough;
    if (drawnRevision !== app.revision && !(training && now - drawnAt < TRAINING_INTERVAL_MS)) {
      const retitle = !training || now - titledAt >= TITLES_INTERVAL_MS;
      update(retitle);
      drawnRevision = app.revision;
      drawnAt = now;
      if (retitle) titledAt = now;
    }
    drawMaps();
  });

  /** Lays out every node and edge of the current model at the current width. */
  function build() {
    const model = app.model;
    builtFor = model;
    const L = outputLayer(model);
    const dims = model.dims;
    const spacing = (width - 2 * MARGIN - MAX_NODE) / L;
    const tallest = Math.max(...dims);
    const size = Math.round(Math.max(MIN_NODE, Math.min(MAX_NODE, spacing * 0.5)));
    const rowHeight = size + 10;
    const height = Math.max(3, tallest) * rowHeight + CAPTION_HEIGHT + 8;
    container.style.height = `${height}px`;
    svg.replaceChildren();
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('aria-label', t('diagram.label', { model: describeModel(model) }));
    for (const old of container.querySelectorAll('canvas.node-map')) old.remove();

    const middle = (height - CAPTION_HEIGHT) / 2;
    const columnX = (layer) => MARGIN + MAX_NODE / 2 + layer * spacing;
    const centres = dims.map((units, layer) => Array.from({ length: units }, (_, j) => ({
      x: columnX(layer),
      y: middle + (j - (units - 1) / 2) * rowHeight,
    })));

    const edgeLayer = element('g', { class: 'edges' });
    const nodeLayer = element('g', { class: 'nodes' });
    svg.append(edgeLayer, nodeLayer);

    const edges = [];
    const biases = [];
    for (let layer = 1; layer <= L; layer += 1) {
      const name = `W${layer}`;
      centres[layer].forEach((to, j) => {
        centres[layer - 1].forEach((from, k) => {
          const index = parameterIndex(model, name, j, k);
          edges.push(edge(edgeLayer, index, from.x + size / 2, from.y, to.x - size / 2, to.y));
        });
        const index = parameterIndex(model, `b${layer}`, j);
        biases.push(bias(nodeLayer, index, to.x - size / 2 - 6, to.y + size / 2 - 1));
      });
    }

    const maps = [];
    centres.forEach((column, layer) => column.forEach((centre, unit) => {
      maps.push(nodeMap(centre, size, layer, unit));
    }));

    for (let layer = 0; layer <= L; layer += 1) {
      const caption = element('text', { x: columnX(layer), y: height - 8, 'text-anchor': 'middle', class: 'caption' });
      caption.textContent = layer === 0 ? 'X' : layer === L ? 'σ' : ACTIVATION_INFO[activationOf(model, layer)].label();
      nodeLayer.append(caption);
    }
    parts = { edges, biases, maps };
    drawnRevision = -1;
    titledAt = -Infinity;
  }

  /** A node's map: a canvas that shows the node large on the plot when hovered or focused. */
  function nodeMap(centre, size, layer, unit) {
    const frame = element('rect', {
      x: centre.x - size / 2 - 1, y: centre.y - size / 2 - 1, width: size + 2, height: size + 2, rx: 3, class: 'map-frame',
    });
    svg.querySelector('.nodes').append(frame);
    const canvas = document.createElement('canvas');
    const pixels = Math.round(size * ratio());
    canvas.width = pixels;
    canvas.height = pixels;
    canvas.className = 'node-map';
    canvas.tabIndex = 0;
    canvas.dataset.layer = String(layer);
    canvas.dataset.unit = String(unit);
    canvas.setAttribute('role', 'button');
    Object.assign(canvas.style, {
      left: `${centre.x - size / 2}px`, top: `${centre.y - size / 2}px`, width: `${size}px`, height: `${size}px`,
    });
    const show = () => app.setFocusNode({ layer, unit });
    const hide = () => {
      if (app.focusNode?.layer === layer && app.focusNode?.unit === unit) app.setFocusNode(null);
    };
    canvas.addEventListener('pointerenter', show);
    canvas.addEventListener('pointerleave', () => {
      if (document.activeElement !== canvas) hide();
    });
    canvas.addEventListener('focus', show);
    canvas.addEventListener('blur', hide);
    if (layer > 0) {
      const open = () => editor.open(parameterIndex(app.model, `b${layer}`, unit), { layer, unit, anchor: canvas });
      canvas.addEventListener('click', open);
      canvas.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        open();
      });
    }
    container.append(canvas);
    return { canvas, context: canvas.getContext('2d'), pixels, layer, unit, stale: true };
  }

  function edge(layer, index, x1, y1, x2, y2) {
    const group = element('g', { class: 'edge', 'data-index': index });
    const title = element('title');
    const hit = element('line', { x1, y1, x2, y2, class: 'edge-hit' });
    const line = element('line', { x1, y1, x2, y2, class: 'edge-line' });
    group.append(title, hit, line);
    group.addEventListener('click', (event) => editor.open(index, { event }));
    layer.append(group);
    return { title, line, index, drawn: {} };
  }

  function bias(layer, index, cx, cy) {
    const group = element('g', { class: 'bias', 'data-index': index });
    const title = element('title');
    const hit = element('circle', { cx, cy, r: 8, class: 'bias-hit' });
    const dot = element('circle', { cx, cy, r: 3.5, class: 'bias-dot' });
    group.append(title, hit, dot);
    group.addEventListener('click', (event) => editor.open(index, { event }));
    layer.append(group);
    return { title, dot, index, drawn: {} };
  }

  /** Redraws stale maps, in turn from where the last frame stopped, within the frame's budget. */
  function drawMaps() {
    const maps = parts?.maps ?? [];
    const started = performance.now();
    for (let k = 0; k < maps.length; k += 1) {
      const map = maps[(nextMap + k) % maps.length];
      if (!map.stale) continue;
      const pointer = app.shown.render_node(map.layer, map.unit, map.pixels);
      map.context.putImageData(images.at(pointer, map.pixels), 0, 0);
      map.stale = false;
      if (performance.now() - started > MAP_BUDGET_MS) {
        nextMap = (nextMap + k + 1) % maps.length;
        return;
      }
    }
  }

  /**
   * Restyles the edges and biases, rewrites their titles when `retitle`, and
   * marks every map for redrawing. An attribute is set only when it changes.
   */
  function update(retitle = true) {
    const planar = app.shown;
    const model = app.model;
    const values = planar.parameters();
    const [negative, positive] = getClassColors();
    for (const item of parts.edges) {
      const w = values[item.index];
      const size = magnitude(w);
      setAttributes(item.line, item.drawn, {
        stroke: Number.isFinite(w) && w < 0 ? negative : positive,
        'stroke-width': (0.5 + (5 * size) / (size + 3)).toFixed(2),
      });
      if (!retitle) continue;
      item.words ??= { name: describeParameter(model, item.index), edge: edgeText(model, item.index) };
      setText(item.title, t('diagram.weight', { ...item.words, value: format(w) }));
    }
    for (const item of parts.biases) {
      const b = values[item.index];
      const size = magnitude(b);
      setAttributes(item.dot, item.drawn, {
        fill: Number.isFinite(b) && b < 0 ? negative : positive,
        r: (2 + (3 * size) / (size + 1)).toFixed(2),
      });
      if (!retitle) continue;
      if (!item.words) {
        const { entry, row } = locateParameter(model, item.index);
        item.words = { name: describeParameter(model, item.index), node: nodeName(model, entry.layer, row) };
      }
      setText(item.title, t('diagram.bias', { ...item.words, value: format(b) }));
    }
    for (const map of parts.maps) {
      map.stale = true;
      const name = nodeName(model, map.layer, map.unit);
      const text = map.layer === 0
        ? t('diagram.input-map', { node: capitalise(name), feature: FEATURE_LABELS[model.features[map.unit]] })
        : t('diagram.unit-map', { node: capitalise(name), meaning: mapMeaning(model, map.layer) });
      if (map.canvas.title !== text) {
        map.canvas.title = text;
        map.canvas.setAttribute('aria-label', text);
      }
    }
  }
}

/** What a node's map shows. */
function mapMeaning(model, layer) {
  const a = `A${subscript(layer)}`;
  const z = `Z${subscript(layer)}`;
  if (layer === outputLayer(model)) return t('diagram.over-plane', { formula: `${a} = σ(${z}) = P(class 1)` });
  return t('diagram.over-plane', { formula: `${a} = ${ACTIVATION_INFO[activationOf(model, layer)].of(z)}` });
}

/** "W2[3,1]" for a parameter index. */
function describeParameter(model, index) {
  return locateParameter(model, index).label;
}

/** "from x₁ to layer 1, unit 3 (tanh)" for a weight. */
function edgeText(model, index) {
  const { entry, row, col } = locateParameter(model, index);
  return t('diagram.edge', { from: nodeName(model, entry.layer - 1, col), to: nodeName(model, entry.layer, row) });
}

const capitalise = (text) => text[0].toUpperCase() + text.slice(1);

/**
 * The editor of one weight or bias: a small form over the diagram with the
 * parameter (a unit's bias and incoming weights to choose from) and its
 * value. Enter or Apply sets it, Escape or Cancel closes it.
 */
function createEditor(container, app) {
  const form = document.createElement('form');
  form.className = 'param-editor';
  form.hidden = true;
  form.noValidate = true;
  const choiceLabel = document.createElement('label');
  choiceLabel.htmlFor = 'param-choice';
  const choice = document.createElement('select');
  choice.id = 'param-choice';
  const valueLabel = document.createElement('label');
  valueLabel.htmlFor = 'param-value';
  const input = document.createElement('input');
  input.id = 'param-value';
  input.type = 'text';
  input.inputMode = 'decimal';
  input.autocomplete = 'off';
  input.spellcheck = false;
  const what = document.createElement('p');
  what.className = 'param-what';
  const problem = document.createElement('p');
  problem.className = 'param-problem';
  problem.setAttribute('role', 'alert');
  const apply = document.createElement('button');
  apply.type = 'submit';
  apply.className = 'primary';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  const buttons = document.createElement('div');
  buttons.className = 'button-row';
  buttons.append(apply, cancel);
  form.append(choiceLabel, choice, valueLabel, input, what, problem, buttons);
  container.append(form);

  let returnFocus = null;

  /** Writes the form's own words in the page's language; what it shows stays. */
  function relabel() {
    form.setAttribute('aria-label', t('editor.label'));
    choiceLabel.textContent = t('editor.parameter');
    valueLabel.textContent = t('editor.value');
    apply.textContent = t('editor.apply');
    cancel.textContent = t('editor.cancel');
    if (!form.hidden) what.textContent = edgeOrBias(app.model, Number(choice.value));
  }
  relabel();

  function show(index) {
    const model = app.model;
    const value = app.shown.parameters()[index];
    input.value = String(value);
    what.textContent = edgeOrBias(model, index);
    problem.textContent = '';
    choice.value = String(index);
  }

  function edgeOrBias(model, index) {
    const { entry, row } = locateParameter(model, index);
    return entry.name.startsWith('b') ? t('editor.bias', { node: nodeName(model, entry.layer, row) }) : t('editor.weight', { edge: edgeText(model, index) });
  }

  /** The parameters of the unit parameter `index` belongs to: its bias, then its incoming weights. */
  function fillChoices(index) {
    const model = app.model;
    const { entry, row } = locateParameter(model, index);
    const layer = entry.layer;
    const weights = parameterEntry(model, `W${layer}`);
    const options = [parameterIndex(model, `b${layer}`, row)];
    for (let col = 0; col < weights.cols; col += 1) options.push(parameterIndex(model, `W${layer}`, row, col));
    choice.replaceChildren(...options.map((i) => {
      const option = document.createElement('option');
      option.value = String(i);
      option.textContent = locateParameter(model, i).label;
      return option;
    }));
  }

  /**
   * @param {number} index
   * @param {{ event?: MouseEvent | null, anchor?: Element | null, layer?: number, unit?: number }} [where]
   */
  function open(index, { event = null, anchor = null } = {}) {
    if (app.failed || !locateParameter(app.model, index)) return;
    returnFocus = anchor ?? document.activeElement;
    fillChoices(index);
    show(index);
    form.hidden = false;
    const box = container.getBoundingClientRect();
    const at = event
      ? { x: event.clientX - box.left, y: event.clientY - box.top }
      : (() => {
        const rect = anchor.getBoundingClientRect();
        return { x: rect.right - box.left, y: rect.bottom - box.top };
      })();
    const left = Math.max(0, Math.min(at.x + 8, box.width - form.offsetWidth));
    form.style.left = `${left}px`;
    form.style.top = `${Math.max(0, at.y + 8)}px`;
    input.focus();
    input.select();
  }

  function close() {
    if (form.hidden) return;
    form.hidden = true;
    if (returnFocus?.isConnected) returnFocus.focus();
    returnFocus = null;
  }

  choice.addEventListener('change', () => {
    show(Number(choice.value));
    input.focus();
    input.select();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!DECIMAL.test(text)) {
      problem.textContent = text === '' ? t('editor.empty') : t('editor.not-number', { text: JSON.stringify(text.slice(0, 30)) });
      input.focus();
      return;
    }
    const index = Number(choice.value);
    const label = locateParameter(app.model, index).label;
    const error = app.setParameter(index, Number(text));
    if (error) {
      problem.textContent = t('editor.not-applied', { error });
      input.focus();
      return;
    }
    close();
    app.notify(t('editor.applied', { name: label, value: format(Number(text)) }), 'info');
  });
  cancel.addEventListener('click', close);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  return { open, close, relabel };
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** Sets each of `attributes` on `node` whose value differs from the one in `drawn` (what was set last), and notes it there. */
function setAttributes(node, drawn, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (drawn[name] === value) continue;
    node.setAttribute(name, value);
    drawn[name] = value;
  }
}

function element(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** A parameter's size for drawing: a diverged (infinite or NaN) one draws as very large. */
function magnitude(value) {
  return Number.isFinite(value) ? Math.abs(value) : 100;
}
