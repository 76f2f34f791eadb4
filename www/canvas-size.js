// A chart canvas that keeps its backing store at the device's pixels: the
// cost chart, the next step's chart and the landscape share it.

/**
 * Sizes `canvas`'s pixels to its CSS box times the device pixel ratio now
 * and whenever the box changes, then calls `resized` with the CSS size and
 * the ratio.
 * @param {HTMLCanvasElement} canvas
 * @param {(size: { width: number, height: number, ratio: number }) => void} resized
 */
export function fitToDevicePixels(canvas, resized) {
  new ResizeObserver(() => {
    const rect = canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
    resized({ width: rect.width, height: rect.height, ratio });
  }).observe(canvas);
}
