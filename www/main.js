// Boots the page: loads the wasm engine, builds the app, mounts the views,
// restores the saved work, and starts the frame loop. A failure at any point
// becomes a visible message instead of a blank or frozen page.
import init, {
  Planar, max_points, plane_half_width, preset_noise, random_seed,
} from './pkg/planar.js';
import { createApp } from './app.js';
import { element } from './dom.js';
import {
  language, onLanguage, pickLanguage, rememberedLanguage, setLanguage, t,
} from './i18n.js';
import { mountControls } from './controls.js';
import { mountTrainingControls } from './training-controls.js';
import { mountCostChart } from './cost-chart.js';
import { mountBranches } from './branches.js';
import { mountScrubber } from './scrubber.js';
import { mountDrivers } from './drivers.js';
import { mountGradientCheck } from './grad-check.js';
import { mountInspector } from './inspector.js';
import { mountLandscape } from './landscape.js';
import { mountLookahead } from './lookahead.js';
import { mountNetworkDiagram } from './network-diagram.js';
import { mountNetworkEditor } from './network-editor.js';
import { mountPlot } from './plot.js';
import { mountPlotKeys } from './plot-keys.js';
import { openQuery, queryLanguage } from './query.js';
import { mountRecent, mountSaveBadge, thumbnailOf } from './recent.js';
import { registerServiceWorker } from './offline.js';
import { autosave, restoreSaved } from './storage.js';
import { createViewState } from './view.js';
import { setupTransfer } from './transfer.js';
import { startTrainingWorker } from './train-driver.js';

const $ = (id) => document.getElementById(id);
const NOTICE_MS = { info: 5000, error: 10000 };

function showFatal(text) {
  $('error-text').textContent = text;
  $('error').hidden = false;
  document.body.classList.add('failed');
}

function describe(error) {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}

let noticeTimer = 0;
function showNotice({ text, kind }) {
  const message = $('message');
  message.textContent = text;
  message.dataset.kind = kind;
  message.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    message.hidden = true;
  }, NOTICE_MS[kind] ?? NOTICE_MS.info);
}

/** The header's switch: one button per language, the current one pressed. */
function mountLanguageSwitch() {
  const buttons = [...document.querySelectorAll('button[data-language]')].filter((node) => node instanceof HTMLButtonElement);
  const show = () => {
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.language === language()));
  };
  for (const button of buttons) {
    button.addEventListener('click', () => setLanguage(button.dataset.language, { remember: true }));
  }
  onLanguage(show);
  show();
}

async function boot() {
  // The language first, so that every view is written in it from the start.
  // A link's language is remembered: the link leaves the address bar, and a
  // reload stays in it.
  const linked = queryLanguage(location.search);
  setLanguage(pickLanguage({
    link: linked,
    remembered: rememberedLanguage(),
    preferred: navigator.languages ?? [navigator.language],
  }), { remember: linked !== null });
  mountLanguageSwitch();
  $('reload').addEventListener('click', () => location.reload());
  let wasm;
  try {
    wasm = await init();
  } catch (error) {
    showFatal(t('fatal.start', { error: describe(error) }));
    return;
  }
  const app = createApp({
    wasm,
    Planar,
    randomSeed: random_seed,
    presetNoise: preset_noise,
    maxPoints: max_points(),
    halfWidth: plane_half_width(),
    reducedMotion: matchMedia('(prefers-reduced-motion: reduce)').matches,
  });
  app.on('fatal', ({ error }) => showFatal(t('fatal.broke', { error: describe(error) })));
  app.on('notice', showNotice);
  // Trains off this thread from the first frames the Worker is ready for.
  startTrainingWorker(app);
  try {
    const view = createViewState({ cx: 0, cy: 0, halfWidth: app.halfWidth });
    const drivers = mountDrivers({ toggle: $('drivers'), note: $('drivers-note') }, app);
    mountPlot($('plot'), app, view, $('fit-view'), [drivers]);
    mountPlotKeys(element('plot', HTMLCanvasElement), app, view, $('plot-status'));
    mountControls(app);
    mountTrainingControls(app);
    mountCostChart({
      canvas: $('cost-chart'), logScale: $('log-scale'), tooltip: $('cost-tooltip'), title: $('cost-title'), legend: $('cost-legend'),
    }, app);
    mountScrubber({ input: $('scrubber'), status: $('scrubber-status'), now: $('scrubber-now') }, app);
    mountBranches($('branches'), app);
    mountNetworkEditor($('network-editor'), app);
    mountNetworkDiagram($('network'), app);
    mountInspector({ root: $('inspector'), toggle: $('step-through') }, app);
    mountLookahead({
      root: $('lookahead'), canvas: $('lookahead-chart'), readout: $('lookahead-readout'), stable: $('lookahead-stable'), warning: $('lr-warning-why'),
    }, app);
    mountGradientCheck({
      root: $('grad-check'), button: $('grad-check-run'), plant: $('plant-bug'), difference: $('grad-check-difference'),
      verdict: $('grad-check-verdict'), timing: $('grad-check-time'), table: $('grad-check-table'),
    }, app);
    mountLandscape({
      root: $('landscape'), canvas: $('landscape-chart'), directions: $('landscape-directions'), button: $('landscape-draw'), status: $('landscape-status'),
    }, app);
    const session = await restoreSaved(app);
    await openQuery(app, session);
    session.thumbnail = () => thumbnailOf($('plot'));
    mountSaveBadge({ badge: $('save-badge'), reason: $('save-badge-reason') }, session);
    mountRecent({ button: $('recent-button'), panel: $('recent') }, session, app);
    autosave(app, session);
    setupTransfer(app, session);
  } catch (error) {
    app.fail(error);
    return;
  }
  // The page is busy until its first frame has drawn the work it opened
  // (assistive technology waits for that, and so do the browser tests).
  const layout = document.querySelector('main');
  const drawn = app.on('frame', () => {
    layout?.setAttribute('aria-busy', 'false');
    drawn();
  });
  app.start();
}

boot();
// Only the production build has a worker: on the dev server a cached page
// would hide the edits being made.
if (import.meta.env.PROD) registerServiceWorker();
