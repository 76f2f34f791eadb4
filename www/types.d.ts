// The shapes that cross the page's module boundaries, for the type check
// (tsconfig.json): what the engine's model() returns, the settings, and the
// saved document. The engine's own methods are typed by the declarations
// wasm-bindgen writes beside its bindings (www/pkg/planar.d.ts).

/// <reference types="vite/client" />

/** A feature's name, in the course's order. */
export type FeatureName = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2';
export type ActivationName = 'tanh' | 'relu' | 'leaky_relu' | 'sigmoid' | 'linear';
export type InitName = 'tutorial' | 'xavier' | 'he';

/** One hidden layer. */
export interface LayerSpec {
  units: number;
  activation: ActivationName;
}

/** The network's architecture, as documents, links and the page hold it. */
export interface Architecture {
  features: FeatureName[];
  layers: LayerSpec[];
  init: InitName;
}

/** One parameter matrix of the engine's layout: W1, b1, … in the engine's order. */
export interface ParameterLayout {
  name: string;
  /** 1 for W1 and b1, L for the output layer. */
  layer: number;
  rows: number;
  cols: number;
  /** Index of its first value in the engine's parameter array. */
  offset: number;
}

/** One matrix of the engine's step-through trace (Z1, A1, dZ1, …, cost0, cost1). */
export interface TraceLayout {
  name: string;
  layer: number;
  len: number;
  offset: number;
}

/** The engine's model(), parsed: the architecture and every layout that crosses the boundary. */
export interface ModelJson extends Architecture {
  /** Units per layer, inputs first and the output last: n[0] … n[L]. */
  dims: number[];
  parameters: ParameterLayout[];
  parameter_count: number;
  trace: TraceLayout[];
  trace_count: number;
}

/** The page's serializable settings (state.js's table). */
export interface Settings {
  dataset: string;
  dataSeed: number;
  weightSeed: number;
  learningRate: number;
  speed: number;
  playing: boolean;
  selectedClass: 0 | 1;
  logScale: boolean;
  optimizer: string;
  beta: number;
  beta1: number;
  beta2: number;
  batch: number;
  l2: number;
  l1: number;
  trainShare: number;
  noise: number | null;
  pointCount: number;
  clickTest: boolean;
  showTest: boolean;
  discrete: boolean;
}

/** One row of state.js's settings table. */
export interface SettingRule {
  initial: string | number | boolean | null;
  link: string;
  type: 'text' | 'number' | 'boolean';
  valid: (value: unknown) => boolean;
}

/** Points as three parallel columns. */
export interface Points {
  x: number[];
  y: number[];
  label: number[];
  /** 1 for each point held out for testing (version 3). */
  test?: number[];
}

/** A run: what a document holds of it, and what a kept run holds. */
export interface RunBody {
  settings: Settings;
  model: Architecture;
  points: Points;
  weights: { values: number[] };
  iteration: number;
  /** Parameter updates so far (version 3: several per epoch with mini-batches). */
  updates?: number;
  /**
   * Version 4: the optimizer's state, when its moments are not all zero: the
   * updates t it counted and its moments v and s, in the order of the weights.
   */
  moments?: { t: number, v: number[], s: number[] };
  history?: number[];
  testHistory?: number[];
}

/** A version-2, 3 or 4 document (Export JSON, saved works, links), after validation. */
export interface PlanarDocument extends RunBody {
  format: 'planar';
  version: 2 | 3 | 4;
  /** Version 4: the runs kept beside this one (branches.js). */
  branches?: KeptRun[];
}

/** A run kept beside the current one: a document body of its own. */
export interface KeptRun extends RunBody {
  /** The engine's progress() (in memory only): a restored run goes on exactly. */
  progress?: number[];
  pinned: boolean;
}

/** A version-1 document (the tutorial's shape: x1, x2 into `hidden` tanh units). */
export interface Version1Document {
  format: 'planar';
  version: 1;
  settings: Settings & { hidden: number };
  points: Points;
  weights: { hidden: number; values: number[] };
  iteration: number;
  history?: number[];
}

/** A check's answer: `ok` with its fields, or a message naming the problem. */
export type Checked<T> =
  | ({ ok: true; error?: undefined } & T)
  | ({ ok: false; error: string } & { [K in keyof T]?: undefined });

/** What parseDocument, validateDocument and decodeHash answer. */
export type DocumentChecked = Checked<{ document: PlanarDocument | Version1Document; warnings: string[] }>;
