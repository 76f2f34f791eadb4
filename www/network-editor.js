// The network editor: the input features as toggles, hidden layers added
// and removed, units added and removed per layer, an activation per layer,
// and the initialisation. Each change asks the app for the new architecture;
// the weights start again from the seed, and Undo brings the old network back.

import { onLanguage, t } from './i18n.js';
import {
  ACTIVATIONS, ACTIVATION_INFO, FEATURES, FEATURE_LABELS, INITS, MAX_LAYERS, MAX_UNITS, architectureOf, initLabel,
} from './model.js';

/** A new layer copies the last one's width and activation, or is this. */
const NEW_LAYER = { units: 4, activation: 'tanh' };

export function mountNetworkEditor(root, app) {
  const features = html('fieldset', { class: 'features' });
  const legend = html('legend', {});
  features.append(legend);
  const featureBoxes = FEATURES.map((name) => {
    const box = html('input', { type: 'checkbox', id: `feature-${name}`, value: name });
    box.addEventListener('change', () => toggleFeature(name, box));
    features.append(html('label', { class: 'chip' }, box, FEATURE_LABELS[name]));
    return box;
  });

  const layerCount = html('output', { id: 'layer-count', 'aria-live': 'polite' });
  const removeLayer = button('remove-layer', '−', () => change((a) => a.layers.pop()));
  const addLayer = button('add-layer', '+', () => change((a) => a.layers.push({ ...(a.layers.at(-1) ?? NEW_LAYER) })));
  const layersLabel = html('span', { class: 'row-label', id: 'layers-label' });
  const layersRow = html('div', { class: 'editor-row' },
    layersLabel,
    html('div', { class: 'stepper-control', role: 'group', 'aria-labelledby': 'layers-label' }, removeLayer, layerCount, addLayer));
  const layerList = html('ol', { class: 'layer-list' });

  const init = html('select', { id: 'init' });
  for (const name of INITS) init.append(html('option', { value: name }));
  init.addEventListener('change', () => change((a) => {
    a.init = init.value;
  }));
  const initLabelNode = html('label', { for: 'init', class: 'row-label' });
  const initRow = html('div', { class: 'editor-row' }, initLabelNode, init);

  root.append(features, layersRow, layerList, initRow);

  /** The editor's fixed words in the page's language (the layers' are written by sync). */
  function relabel() {
    legend.textContent = t('editor.features');
    label(removeLayer, t('editor.remove-layer'));
    label(addLayer, t('editor.add-layer'));
    layersLabel.textContent = t('editor.layers');
    layerList.setAttribute('aria-label', t('editor.layers'));
    for (const option of init.options) option.textContent = initLabel(option.value);
    initLabelNode.textContent = t('editor.init');
  }
  relabel();

  /** Applies `edit` to a copy of the current architecture and asks the app for it. */
  function change(edit) {
    const architecture = architectureOf(app.model);
    edit(architecture);
    const error = app.setModel(architecture);
    if (error) app.notify(t('editor.not-changed', { error }), 'error');
    sync();
  }

  function toggleFeature(name, box) {
    const chosen = FEATURES.filter((f, i) => featureBoxes[i].checked);
    if (chosen.length === 0) {
      box.checked = true;
      app.notify(t('editor.one-feature'), 'error');
      return;
    }
    change((a) => {
      a.features = chosen;
    });
  }

  function layerItem(layer, index) {
    const number = index + 1;
    const units = html('output', { id: `units-${number}` }, t('editor.units', { count: layer.units }));
    const fewer = button(`units-minus-${number}`, '−', () => change((a) => {
      a.layers[index].units -= 1;
    }));
    label(fewer, t('editor.remove-unit', { layer: number }));
    const more = button(`units-plus-${number}`, '+', () => change((a) => {
      a.layers[index].units += 1;
    }));
    label(more, t('editor.add-unit', { layer: number }));
    fewer.disabled = layer.units <= 1;
    more.disabled = layer.units >= MAX_UNITS;
    const activation = html('select', { id: `activation-${number}`, 'aria-label': t('editor.activation', { layer: number }) });
    for (const name of ACTIVATIONS) activation.append(html('option', { value: name }, ACTIVATION_INFO[name].label()));
    activation.value = layer.activation;
    activation.addEventListener('change', () => change((a) => {
      a.layers[index].activation = activation.value;
    }));
    const nameId = `layer-label-${number}`;
    return html('li', { class: 'layer-item' },
      html('span', { class: 'layer-name', id: nameId }, t('editor.layer', { layer: number })),
      html('div', { class: 'stepper-control', role: 'group', 'aria-labelledby': nameId }, fewer, units, more),
      activation);
  }

  /** Shows the engine's current architecture; keeps the focus on the control that had it. */
  function sync() {
    const model = app.model;
    featureBoxes.forEach((box, i) => {
      box.checked = model.features.includes(FEATURES[i]);
    });
    const count = model.layers.length;
    layerCount.textContent = String(count);
    removeLayer.disabled = count === 0;
    addLayer.disabled = count >= MAX_LAYERS;
    init.value = model.init;
    const focused = layerList.contains(document.activeElement) ? document.activeElement.id : null;
    layerList.replaceChildren(...model.layers.map(layerItem));
    if (focused) {
      const again = document.getElementById(focused);
      // A button that just became disabled cannot hold the focus: its partner takes it.
      const partner = focused.replace(/minus|plus/, (w) => (w === 'minus' ? 'plus' : 'minus'));
      (again instanceof HTMLButtonElement && !again.disabled ? again : document.getElementById(partner))?.focus();
    }
    if ((document.activeElement === removeLayer && removeLayer.disabled) || (document.activeElement === addLayer && addLayer.disabled)) {
      (removeLayer.disabled ? addLayer : removeLayer).focus();
    }
  }

  app.on('model', sync);
  onLanguage(() => {
    relabel();
    sync();
  });
  app.on('change', ({ what }) => {
    if (what === 'all') sync();
  });
  sync();
}

function button(id, text, action) {
  const node = html('button', { type: 'button', id, class: 'small' }, text);
  node.addEventListener('click', action);
  return node;
}

/** A button's name for screen readers and its tooltip. */
function label(node, text) {
  node.setAttribute('aria-label', text);
  node.title = text;
}

function html(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}
