// How the views name the parts of the network, from the engine's model():
// its nodes (layer 0 the input features, 1..L−1 the hidden units, L the
// output) and its parameters (W[l] and b[l], located by the model's
// parameters layout, never by an offset computed here).

import { t } from './i18n.js';
import { ACTIVATION_INFO, FEATURE_LABELS } from './model.js';

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** "12" as "₁₂". */
export function subscript(value) {
  return String(value).replace(/[0-9]/g, (c) => SUBSCRIPTS[c]);
}

/** The number of the output layer, L. */
export const outputLayer = (model) => model.layers.length + 1;

/** The activation of layer `layer` (1..L): the hidden layers' own, sigmoid at the output. */
export function activationOf(model, layer) {
  return layer === outputLayer(model) ? 'sigmoid' : model.layers[layer - 1].activation;
}

/** Units in layer `layer` (0..L), from the model's dims. */
export const unitsOf = (model, layer) => model.dims[layer];

/** A node for a person: "feature sin x₁", "layer 2, unit 3 (ReLU)", "the output, P(class 1)". */
export function nodeName(model, layer, unit) {
  if (layer === 0) return t('node.input', { feature: FEATURE_LABELS[model.features[unit]] });
  if (layer === outputLayer(model)) return t('node.output');
  return t('node.unit', { layer, unit: unit + 1, activation: ACTIVATION_INFO[activationOf(model, layer)].label() });
}

/** The parameter entry of model.parameters named `name` ("W2", "b1"). */
export function parameterEntry(model, name) {
  return model.parameters.find((entry) => entry.name === name);
}

/**
 * Where parameter `index` (in the parameters layout) sits: `{ entry, row,
 * col, label }` with label like "W2[3,1]" (1-based, as the course writes
 * them), or null when there is no such index.
 */
export function locateParameter(model, index) {
  for (const entry of model.parameters) {
    const size = entry.rows * entry.cols;
    if (index >= entry.offset && index < entry.offset + size) {
      const row = Math.floor((index - entry.offset) / entry.cols);
      const col = (index - entry.offset) % entry.cols;
      const label = entry.cols === 1 ? `${entry.name}[${row + 1}]` : `${entry.name}[${row + 1},${col + 1}]`;
      return { entry, row, col, label };
    }
  }
  return null;
}

/** The index of W[layer][row, col] or b[layer][row] in the parameters layout. */
export function parameterIndex(model, name, row, col = 0) {
  const entry = parameterEntry(model, name);
  return entry.offset + row * entry.cols + col;
}

/** The trace entry of point_detail's layout named `name` ("X", "Z2", "A1", "cost0"). */
export function traceEntry(model, name) {
  return model.trace.find((entry) => entry.name === name);
}
