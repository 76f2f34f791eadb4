// The inspector: the tutorial's algorithm as live matrices of the current
// state, one point followed through the network, and step-through, which
// walks one iteration stage by stage.

import { STAGES } from './app.js';
import { formatCost, formatNumber as format, formatRate } from './format.js';

/** While training, numbers change too fast to read; four updates a second is plenty. */
const TRAINING_INTERVAL_MS = 250;
/** Plane distance within which the hovered location counts as a data point. */
const POINT_RADIUS = 0.15;

const STAGE_NAMES = { forward: 'Forward', cost: 'Cost', backward: 'Backward', update: 'Update' };

export function mountInspector({ root, toggle }, app) {
  let hidden = -1;
  let parts = null;
  let drawnRevision = -1;
  let drawnHover = null;
  let drawnAt = -Infinity;

  toggle.addEventListener('change', () => app.setStepThrough(toggle.checked));
  app.on('change', () => {
    drawnRevision = -1;
  });

  app.on('frame', () => {
    if (toggle.checked !== app.stepThrough) toggle.checked = app.stepThrough;
    if (app.planar.hidden() !== hidden || !parts) build();
    const now = performance.now();
    const training = app.state.playing && !app.stepThrough;
    const unchanged = drawnRevision === app.revision && drawnHover === app.hover;
    if (unchanged || (training && now - drawnAt < TRAINING_INTERVAL_MS)) return;
    update();
    drawnRevision = app.revision;
    drawnHover = app.hover;
    drawnAt = now;
  });

  function build() {
    hidden = app.planar.hidden();
    const n = hidden;
    root.replaceChildren();

    // Step-through: the stages, the current one's explanation, and the button.
    const stepper = html('div', { class: 'stepper' });
    const next = html('button', { type: 'button', id: 'next-stage', title: 'Show the next stage (N)', 'aria-keyshortcuts': 'N' });
    next.append('Next stage ', html('kbd', {}, 'N'));
    next.addEventListener('click', () => app.nextStage());
    const stageList = html('ol', { class: 'stage-list' });
    const stageItems = STAGES.map((stage) => {
      const item = html('li', { 'data-stage': stage }, STAGE_NAMES[stage]);
      stageList.append(item);
      return item;
    });
    const stageText = html('p', { class: 'stage-text', id: 'stage-text', 'aria-live': 'polite' });
    stepper.append(html('div', { class: 'stepper-bar' }, stageList, next), stageText);
    root.append(stepper);

    const forward = block('forward', 'Forward pass', [
      'Z1 = W1·X + b1', 'A1 = tanh(Z1)', 'Z2 = W2·A1 + b2', 'A2 = σ(Z2)',
    ]);
    const W1 = matrix('W1', n, 2, 'update');
    const b1 = matrix('b1', n, 1, 'update');
    const W2 = matrix('W2', 1, n, 'update');
    const b2 = matrix('b2', 1, 1, 'update');
    forward.grid.append(W1.figure, b1.figure, W2.figure, b2.figure);

    const cost = block('cost', 'Cost', ['J = −(1/m) Σ ( y·log A2 + (1 − y)·log(1 − A2) )']);
    const J = matrix('J', 1, 1, 'cost', 'scalar');
    const m = html('p', { class: 'aside' });
    cost.grid.append(J.figure, m);

    const backward = block('backward', 'Backward pass', [
      'dZ2 = A2 − Y', 'dW2 = dZ2·A1ᵀ / m', 'db2 = Σ dZ2 / m',
      'dZ1 = W2ᵀ·dZ2 ⊙ (1 − A1²)', 'dW1 = dZ1·Xᵀ / m', 'db1 = Σ dZ1 / m',
    ]);
    const dW1 = matrix('dW1', n, 2, 'backward');
    const db1 = matrix('db1', n, 1, 'backward');
    const dW2 = matrix('dW2', 1, n, 'backward');
    const db2 = matrix('db2', 1, 1, 'backward');
    const gradientNote = html('p', { class: 'aside' });
    backward.grid.append(dW1.figure, db1.figure, dW2.figure, db2.figure, gradientNote);

    const updateBlock = block('update', 'Update', ['W1 ← W1 − α·dW1', 'b1 ← b1 − α·db1', 'W2 ← W2 − α·dW2', 'b2 ← b2 − α·db2']);
    const rate = html('p', { class: 'aside' });
    updateBlock.grid.append(rate);

    const point = block('point', 'One point through the network', []);
    const pointNote = html('p', { class: 'aside point-note' });
    const x = matrix('x', 2, 1, 'forward');
    const Z1 = matrix('Z1', n, 1, 'forward');
    const A1 = matrix('A1', n, 1, 'forward');
    const Z2 = matrix('Z2', 1, 1, 'forward');
    const A2 = matrix('A2', 1, 1, 'forward');
    const term = matrix('cost term', 1, 1, 'cost', 'scalar');
    point.grid.append(x.figure, Z1.figure, A1.figure, Z2.figure, A2.figure, term.figure);
    point.section.insertBefore(pointNote, point.grid);
    const termFormula = html('p', { class: 'aside' });
    point.section.append(termFormula);

    root.append(forward.section, cost.section, backward.section, updateBlock.section, point.section);
    parts = {
      stepper, stageItems, stageText, W1, b1, W2, b2, J, m, dW1, db1, dW2, db2, gradientNote, rate,
      pointNote, x, Z1, A1, Z2, A2, term, termFormula,
    };
    drawnRevision = -1;
  }

  function update() {
    const planar = app.planar;
    const n = hidden;
    const p = parts;
    const stage = app.stepThrough && app.stage >= 0 ? STAGES[app.stage] : 'none';
    root.dataset.stage = stage;
    p.stepper.hidden = !app.stepThrough;
    p.stageItems.forEach((item, i) => item.classList.toggle('current', i === app.stage && app.stepThrough));
    p.stageText.textContent = app.stepThrough ? describeStage(stage) : '';

    const values = planar.parameters();
    p.W1.set(values, 0);
    p.b1.set(values, 2 * n);
    p.W2.set(values, 3 * n);
    p.b2.set(values, 4 * n);

    const count = planar.point_count();
    const cost = count > 0 ? planar.cost() : undefined;
    p.J.set([cost ?? Number.NaN], 0);
    p.m.textContent = count > 0 ? `m = ${count} points, iteration ${planar.iteration()}` : 'No points: nothing to average.';

    const upcoming = stage === 'backward' && app.stageGradients;
    const gradients = upcoming ? app.stageGradients : planar.gradients();
    p.dW1.set(gradients, 0);
    p.db1.set(gradients, 2 * n);
    p.dW2.set(gradients, 3 * n);
    p.db2.set(gradients, 4 * n);
    p.gradientNote.textContent = upcoming
      ? 'The gradients at the current weights: what this update will use.'
      : planar.iteration() === 0 ? 'No update yet: the gradients appear after the first step.' : 'The gradients the last update used.';
    p.rate.textContent = `α = ${formatRate(planar.learning_rate())}, the learning rate.`;

    updatePoint();
  }

  function updatePoint() {
    const p = parts;
    const planar = app.planar;
    const n = hidden;
    let location = app.hover;
    let label = null;
    let what;
    if (location) {
      const index = app.nearestPoint(location.x, location.y, POINT_RADIUS);
      if (index >= 0) {
        const points = app.points();
        location = { x: points.x[index], y: points.y[index] };
        label = points.label[index];
        what = `Data point ${index + 1}, class ${label}.`;
      } else {
        what = 'The location under the cursor (not a data point).';
      }
    } else if (planar.point_count() > 0) {
      const points = app.points();
      location = { x: points.x[0], y: points.y[0] };
      label = points.label[0];
      what = `Data point 1, class ${label}. Point at the plot to follow another.`;
    } else {
      location = { x: 0, y: 0 };
      what = 'The origin. Point at the plot to follow another location.';
    }
    const detail = planar.point_detail(location.x, location.y);
    p.pointNote.textContent = what;
    p.x.set([location.x, location.y], 0);
    p.Z1.set(detail, 0);
    p.A1.set(detail, n);
    p.Z2.set(detail, 2 * n);
    p.A2.set(detail, 2 * n + 1);
    if (label === null) {
      p.term.set([Number.NaN], 0);
      p.termFormula.textContent = `Its cost term −(y·log A2 + (1 − y)·log(1 − A2)) would be ${format(detail[2 * n + 2])} as class 0 and ${format(detail[2 * n + 3])} as class 1.`;
    } else {
      p.term.set([detail[2 * n + 2 + label]], 0);
      p.termFormula.textContent = `Cost term = −(y·log A2 + (1 − y)·log(1 − A2)) with y = ${label}; J is the mean of these over all points.`;
    }
  }

  function describeStage(stage) {
    const planar = app.planar;
    const iteration = planar.iteration();
    switch (stage) {
      case 'forward':
        return `Stage 1 of 4, forward: every point X goes through the network. A2 = σ(W2·tanh(W1·X + b1) + b2) is each point's P(class 1); the colour field is A2 over the whole plane.`;
      case 'cost':
        return `Stage 2 of 4, cost: J compares A2 with the labels Y. J = ${formatCost(planar.cost())}; ln 2 ≈ 0.693 is what a coin toss costs.`;
      case 'backward':
        return 'Stage 3 of 4, backward: the chain rule gives how J changes with every parameter: dW1, db1, dW2, db2 (highlighted).';
      case 'update':
        return `Stage 4 of 4, update: every parameter moved against its gradient with α = ${formatRate(planar.learning_rate())}. That was iteration ${iteration}.`;
      default:
        return `Ready at iteration ${iteration}. Press Next stage (N) to walk through iteration ${iteration + 1}.`;
    }
  }
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

/** A labelled matrix of rows × cols numbers whose cells update in place. */
function matrix(name, rows, cols, stage, kind = 'matrix') {
  const figure = html('figure', { class: `matrix ${kind}`, 'data-matrix': name, 'data-stage': stage });
  const caption = html('figcaption', {}, name, ' ', html('span', { class: 'shape' }, `${rows}×${cols}`));
  const table = html('table');
  const body = html('tbody');
  const cells = [];
  for (let r = 0; r < rows; r += 1) {
    const row = html('tr');
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
