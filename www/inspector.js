// The inspector: the course's algorithm as live matrices of the current
// state, for every layer of the engine's model() (shapes and offsets from
// its layouts), one point followed through every layer, and step-through,
// which walks one iteration stage by stage.

import { STAGES } from './app.js';
import { formatCost, formatNumber as format, formatRate } from './format.js';
import { onLanguage, t } from './i18n.js';
import { ACTIVATION_INFO, FEATURE_LABELS } from './model.js';
import { activationOf, outputLayer, traceEntry } from './network-names.js';

/** While training, numbers change too fast to read; four updates a second is plenty. */
const TRAINING_INTERVAL_MS = 250;
/** Plane distance within which the hovered location counts as a data point. */
const POINT_RADIUS = 0.15;

export function mountInspector({ root, toggle }, app) {
  let builtFor = null;
  let parts = null;
  let drawnRevision = -1;
  let drawnHover = null;
  let drawnAt = -Infinity;

  toggle.addEventListener('change', () => app.setStepThrough(toggle.checked));
  app.on('change', () => {
    drawnRevision = -1;
  });
  // Rebuilt in the new language on the next frame; the values are the engine's.
  onLanguage(() => {
    builtFor = null;
    drawnRevision = -1;
  });

  app.on('frame', () => {
    if (toggle.checked !== app.stepThrough) toggle.checked = app.stepThrough;
    if (app.model !== builtFor || !parts) build();
    const now = performance.now();
    const training = app.state.playing && !app.stepThrough;
    const unchanged = drawnRevision === app.revision && drawnHover === app.hover;
    if (unchanged || (training && now - drawnAt < TRAINING_INTERVAL_MS)) return;
    update();
    drawnRevision = app.revision;
    drawnHover = app.hover;
    drawnAt = now;
  });

  /** Every block for the current model: its layers' formulas and matrices, shapes from model(). */
  function build() {
    const model = app.model;
    builtFor = model;
    const L = outputLayer(model);
    const layers = Array.from({ length: L }, (_, i) => i + 1);
    root.replaceChildren();

    // Step-through: the stages, the current one's explanation, and the button.
    const stepper = html('div', { class: 'stepper' });
    const next = html('button', { type: 'button', id: 'next-stage', title: t('stage.next-title'), 'aria-keyshortcuts': 'N' });
    next.append(`${t('stage.next')} `, html('kbd', {}, 'N'));
    next.addEventListener('click', () => app.nextStage());
    const stageList = html('ol', { class: 'stage-list' });
    const stageItems = STAGES.map((stage) => {
      const item = html('li', { 'data-stage': stage }, t(`stage.${stage}`));
      stageList.append(item);
      return item;
    });
    const stageText = html('p', { class: 'stage-text', id: 'stage-text', 'aria-live': 'polite' });
    stepper.append(html('div', { class: 'stepper-bar' }, stageList, next), stageText);
    root.append(stepper);

    const features = model.features.map((f) => FEATURE_LABELS[f]);
    const forward = block('forward', t('math.forward'), [
      t('math.x', { features: features.join('; '), n: model.dims[0] }),
      ...layers.flatMap((l) => [
        `Z${l} = W${l}·${input(l)} + b${l}`,
        `A${l} = ${ACTIVATION_INFO[activationOf(model, l)].of(`Z${l}`)}`,
      ]),
    ]);
    const parameters = parameterMatrices(model, 'update', '');
    forward.grid.append(...parameters.map((m) => m.figure));

    const cost = block('cost', t('math.cost'), [`J = −(1/m) Σ ( y·log A${L} + (1 − y)·log(1 − A${L}) )`]);
    const J = matrix('J', 1, 1, 'cost', { kind: 'scalar' });
    const m = html('p', { class: 'aside' });
    cost.grid.append(J.figure, m);

    const backward = block('backward', t('math.backward'), [
      `dZ${L} = A${L} − Y`,
      ...layers.slice().reverse().flatMap((l) => {
        const lines = [`dW${l} = dZ${l}·${input(l)}ᵀ / m`, `db${l} = Σ dZ${l} / m`];
        if (l > 1) {
          const g = ACTIVATION_INFO[activationOf(model, l - 1)];
          lines.push(`dZ${l - 1} = W${l}ᵀ·dZ${l} ⊙ ${g.slope(`Z${l - 1}`, `A${l - 1}`)}`);
        }
        return lines;
      }),
    ]);
    const gradients = parameterMatrices(model, 'backward', 'd');
    const gradientNote = html('p', { class: 'aside' });
    backward.grid.append(...gradients.map((g) => g.figure), gradientNote);

    const updateBlock = block('update', t('math.update'), layers.flatMap((l) => [`W${l} ← W${l} − α·dW${l}`, `b${l} ← b${l} − α·db${l}`]));
    const rate = html('p', { class: 'aside' });
    updateBlock.grid.append(rate);

    const point = block('point', t('math.point'), []);
    const pointNote = html('p', { class: 'aside point-note' });
    const trace = model.trace.filter((entry) => !entry.name.startsWith('cost')).map((entry) => ({
      entry,
      view: matrix(entry.name, entry.len, 1, 'forward', { rowLabels: entry.name === 'X' ? features : null }),
    }));
    const term = matrix(t('math.cost-term'), 1, 1, 'cost', { kind: 'scalar' });
    point.grid.append(...trace.map((t) => t.view.figure), term.figure);
    point.section.insertBefore(pointNote, point.grid);
    const termFormula = html('p', { class: 'aside' });
    point.section.append(termFormula);

    root.append(forward.section, cost.section, backward.section, updateBlock.section, point.section);
    parts = {
      stepper, stageItems, stageText, parameters, J, m, gradients, gradientNote, rate, pointNote, trace, term, termFormula,
      cost0: traceEntry(model, 'cost0').offset, cost1: traceEntry(model, 'cost1').offset, output: `A${L}`,
    };
    drawnRevision = -1;
  }

  function update() {
    const planar = app.shown;
    const p = parts;
    const stage = app.stepThrough && app.stage >= 0 ? STAGES[app.stage] : 'none';
    root.dataset.stage = stage;
    p.stepper.hidden = !app.stepThrough;
    p.stageItems.forEach((item, i) => item.classList.toggle('current', i === app.stage && app.stepThrough));
    p.stageText.textContent = app.stepThrough ? describeStage(stage) : '';

    const values = planar.parameters();
    for (const matrixView of p.parameters) matrixView.set(values, matrixView.entry.offset);

    const count = planar.point_count();
    const cost = count > 0 ? planar.cost() : undefined;
    p.J.set([cost ?? Number.NaN], 0);
    p.m.textContent = count > 0 ? t('math.m', { count, iteration: planar.iteration() }) : t('math.no-points');

    const upcoming = stage === 'backward' && app.stageGradients;
    const gradients = upcoming ? app.stageGradients : planar.gradients();
    for (const matrixView of p.gradients) matrixView.set(gradients, matrixView.entry.offset);
    p.gradientNote.textContent = upcoming
      ? t('math.gradients-upcoming')
      : planar.iteration() === 0 ? t('math.gradients-none') : t('math.gradients-last');
    p.rate.textContent = t('math.rate', { rate: formatRate(planar.learning_rate()) });

    updatePoint();
  }

  function updatePoint() {
    const p = parts;
    const planar = app.shown;
    let location = app.hover;
    let label = null;
    let what;
    if (location) {
      const index = app.nearestPoint(location.x, location.y, POINT_RADIUS);
      if (index >= 0) {
        const points = app.points();
        location = { x: points.x[index], y: points.y[index] };
        label = points.label[index];
        what = t('point.data', { index: index + 1, label, x: format(location.x), y: format(location.y) });
      } else {
        what = t('point.location', { x: format(location.x), y: format(location.y) });
      }
    } else if (planar.point_count() > 0) {
      const points = app.points();
      location = { x: points.x[0], y: points.y[0] };
      label = points.label[0];
      what = t('point.first', { label });
    } else {
      location = { x: 0, y: 0 };
      what = t('point.origin');
    }
    const detail = planar.point_detail(location.x, location.y);
    p.pointNote.textContent = what;
    for (const { entry, view } of p.trace) view.set(detail, entry.offset);
    const A = p.output;
    if (label === null) {
      p.term.set([Number.NaN], 0);
      p.termFormula.textContent = t('point.term-either', {
        formula: `−(y·log ${A} + (1 − y)·log(1 − ${A}))`, cost0: format(detail[p.cost0]), cost1: format(detail[p.cost1]),
      });
    } else {
      p.term.set([detail[label === 0 ? p.cost0 : p.cost1]], 0);
      p.termFormula.textContent = t('point.term', { formula: `−(y·log ${A} + (1 − y)·log(1 − ${A}))`, label });
    }
  }

  function describeStage(stage) {
    const planar = app.shown;
    const iteration = planar.iteration();
    const L = outputLayer(app.model);
    switch (stage) {
      case 'forward':
        return t('stage.forward-text', { A: `A${L}`, Z: `Z${L}` });
      case 'cost':
        return t('stage.cost-text', { A: `A${L}`, J: formatCost(planar.cost()) });
      case 'backward':
        return t('stage.backward-text', { gradients: Array.from({ length: L }, (_, i) => `dW${L - i}, db${L - i}`).join(', ') });
      case 'update':
        return t('stage.update-text', { rate: formatRate(planar.learning_rate()), iteration });
      default:
        return t('stage.ready-text', { iteration, next: iteration + 1 });
    }
  }
}

/** What layer `l` takes in: X for the first, A[l−1] after. */
const input = (l) => (l === 1 ? 'X' : `A${l - 1}`);

/**
 * A matrix view for every entry of the parameters layout (W1, b1, W2, ...),
 * named with `prefix` ("d" for the gradients), each remembering its entry.
 */
function parameterMatrices(model, stage, prefix) {
  return model.parameters.map((entry) => {
    const view = matrix(`${prefix}${entry.name}`, entry.rows, entry.cols, stage);
    view.entry = entry;
    return view;
  });
}

/** A titled section of the inspector with its formulas and a grid for matrices. */
function block(stage, title, formulas) {
  const section = html('section', { class: 'math-block', 'data-stage': stage });
  section.append(html('h3', {}, title));
  if (formulas.length > 0) {
    const list = html('ul', { class: 'formulas' });
    for (const formula of formulas) list.append(html('li', {}, formula));
    section.append(list);
  }
  const grid = html('div', { class: 'matrices' });
  section.append(grid);
  return { section, grid };
}

/** A labelled matrix of rows × cols numbers whose cells update in place; rows may be labelled. */
function matrix(name, rows, cols, stage, { kind = 'matrix', rowLabels = null } = {}) {
  const figure = html('figure', { class: `matrix ${kind}`, 'data-matrix': name, 'data-stage': stage });
  const caption = html('figcaption', {}, name, ' ', html('span', { class: 'shape' }, `${rows}×${cols}`));
  const table = html('table');
  const body = html('tbody');
  const cells = [];
  for (let r = 0; r < rows; r += 1) {
    const row = html('tr');
    if (rowLabels) row.append(html('th', { scope: 'row' }, rowLabels[r]));
    for (let c = 0; c < cols; c += 1) {
      const cell = html('td', {}, '–');
      cells.push(cell);
      row.append(cell);
    }
    body.append(row);
  }
  table.append(body);
  figure.append(caption, table);
  return {
    figure,
    /** Shows values[offset ..] in row-major order. */
    set(values, offset) {
      for (let i = 0; i < cells.length; i += 1) {
        const text = format(values[offset + i]);
        if (cells[i].textContent !== text) cells[i].textContent = text;
      }
    },
  };
}

function html(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}
