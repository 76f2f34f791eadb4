// How numbers read on the page: never "NaN", never a wall of digits.

import { roundRate } from './state.js';

/** A learning rate as the slider sets it: 3 significant digits. */
export function formatRate(rate) {
  return String(roundRate(rate));
}

/** A cost: six decimals (the tutorial prints 0.693048), powers of ten when tiny. */
export function formatCost(cost) {
  if (cost === undefined || Number.isNaN(cost)) return '–';
  if (!Number.isFinite(cost)) return cost > 0 ? '∞' : '-∞';
  return cost === 0 || cost >= 1e-4 ? cost.toFixed(6) : cost.toExponential(3);
}

/** A matrix entry: four decimals, or powers of ten when that would hide the value. */
export function formatNumber(value) {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (value === 0) return '0.0000';
  const size = Math.abs(value);
  return size >= 1e4 || size < 1e-4 ? value.toExponential(2) : value.toFixed(4);
}
