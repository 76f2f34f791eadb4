// The page's colours for what its canvases and SVG draw, read from the style
// sheet's custom properties, where they are defined once (--class-0,
// --class-1). The field's pale colours are the engine's (crate/src/field.rs).

function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

let classColors = null;
let curveColors = null;

/** The cost chart's curves: { training, test }. */
export function getCurveColors() {
  curveColors ??= { training: cssColor('--curve-training'), test: cssColor('--curve-test') };
  return curveColors;
}

/** [class 0, class 1] as CSS colours; class 1 also marks positive weights, class 0 negative. */
export function getClassColors() {
  classColors ??= [cssColor('--class-0'), cssColor('--class-1')];
  return classColors;
}

let runColors = null;

/** The kept runs' curves in the cost chart (branches.js), one colour each: --run-1 to --run-3. */
export function getRunColors() {
  runColors ??= [1, 2, 3].map((n) => cssColor(`--run-${n}`));
  return runColors;
}
