//! The one file that knows wasm-bindgen: the trainer as the page sees it.
//!
//! Rust owns the state and computes the pixels; the page reads small values
//! through getters and large ones (points, pixels) as typed-array views of
//! wasm memory at the pointers returned here. A view is valid until the next
//! call that changes what it shows.

use wasm_bindgen::prelude::*;

use crate::data::{MAX_POINTS, PLANE_HALF_WIDTH, Points, Preset};
use crate::field::{Field, Node, View};
use crate::fused;
use crate::history::CostHistory;
use crate::model::{Activation, Feature, Init, MAX_LAYERS, MAX_UNITS, Model};
use crate::network;
use crate::optim::{Optimizer, Training};
use crate::rng;
use crate::trainer::{Split, Trainer};

/// The largest weight a reader may type: far beyond any trained network,
/// small enough that a step cannot overflow.
const MAX_EDITED_WEIGHT: f64 = 1e100;

/// The view a map covers: the square centred on (cx, cy) with half width
/// `half_width`, each defaulting to the plane's square.
fn view_of(cx: Option<f64>, cy: Option<f64>, half_width: Option<f64>) -> Result<View, JsError> {
    let view = View {
        cx: cx.unwrap_or(0.0),
        cy: cy.unwrap_or(0.0),
        half_width: half_width.unwrap_or(PLANE_HALF_WIDTH),
    };
    let sane = |v: f64| v.is_finite() && v.abs() <= 1e7;
    if !(sane(view.cx) && sane(view.cy) && sane(view.half_width) && view.half_width > 0.0) {
        return Err(JsError::new(&format!(
            "a view is a centre and a positive half width within ±1e7, not ({}, {}) ± {}",
            view.cx, view.cy, view.half_width
        )));
    }
    Ok(view)
}

/// Installs the panic hook, so a Rust panic reaches the console with its message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A fresh seed from the browser's entropy source.
#[wasm_bindgen]
pub fn random_seed() -> u32 {
    rng::entropy_seed()
}

/// The most points the page accepts.
#[wasm_bindgen]
pub fn max_points() -> u32 {
    MAX_POINTS as u32
}

/// Half the width of the square of the plane the page shows, centred on 0.
#[wasm_bindgen]
pub fn plane_half_width() -> f64 {
    PLANE_HALF_WIDTH
}

/// The data set names, in menu order.
#[wasm_bindgen]
pub fn preset_names() -> Vec<String> {
    Preset::ALL.iter().map(|p| p.name().to_string()).collect()
}

/// The noise a data set has unless another is asked for (0 for an unknown name).
#[wasm_bindgen]
pub fn preset_noise(name: &str) -> f64 {
    Preset::from_name(name).map_or(0.0, |p| p.default_noise())
}

/// The most noise a data set takes.
#[wasm_bindgen]
pub fn max_noise() -> f64 {
    crate::data::MAX_NOISE
}

/// The optimizers' names: "gd", "momentum", "adam".
#[wasm_bindgen]
pub fn optimizer_names() -> Vec<String> {
    Optimizer::NAMES.iter().map(|n| n.to_string()).collect()
}

/// The input features' names, in row order.
#[wasm_bindgen]
pub fn feature_names() -> Vec<String> {
    Feature::ALL.iter().map(|f| f.name().to_string()).collect()
}

/// The hidden activations' names.
#[wasm_bindgen]
pub fn activation_names() -> Vec<String> {
    Activation::ALL
        .iter()
        .map(|a| a.name().to_string())
        .collect()
}

/// The initialisations' names.
#[wasm_bindgen]
pub fn init_names() -> Vec<String> {
    Init::ALL.iter().map(|i| i.name().to_string()).collect()
}

/// The most hidden layers a network may have.
#[wasm_bindgen]
pub fn max_layers() -> u32 {
    MAX_LAYERS as u32
}

/// The most units a hidden layer may have.
#[wasm_bindgen]
pub fn max_units() -> u32 {
    MAX_UNITS as u32
}

/// The model and every layout that crosses the boundary, as JSON: its
/// features, layers, initialisation and dims; where each W[l] and b[l]
/// lies in `parameters()` (and `gradients()`); where each part of
/// `point_detail()` lies.
pub fn model_json(model: &Model) -> String {
    let quoted = |s: &str| format!("\"{s}\"");
    let list = |items: Vec<String>| format!("[{}]", items.join(","));
    let features = list(model.features.iter().map(|f| quoted(f.name())).collect());
    let layers = list(
        model
            .hidden
            .iter()
            .map(|l| {
                format!(
                    "{{\"units\":{},\"activation\":{}}}",
                    l.units,
                    quoted(l.activation.name())
                )
            })
            .collect(),
    );
    let dims = list(
        (0..=model.depth())
            .map(|l| model.units(l).to_string())
            .collect(),
    );
    let parameters = list(
        model
            .layout()
            .iter()
            .map(|s| {
                format!(
                    "{{\"name\":{},\"layer\":{},\"rows\":{},\"cols\":{},\"offset\":{}}}",
                    quoted(&s.name()),
                    s.layer,
                    s.rows,
                    s.cols,
                    s.offset
                )
            })
            .collect(),
    );
    let mut trace = fused::trace_layout(model);
    let end = trace.last().map_or(0, |t| t.2 + t.3);
    let depth = model.depth();
    trace.push(("cost0".into(), depth, end, 1));
    trace.push(("cost1".into(), depth, end + 1, 1));
    let trace_json = list(
        trace
            .iter()
            .map(|(name, layer, offset, len)| {
                format!(
                    "{{\"name\":{},\"layer\":{layer},\"len\":{len},\"offset\":{offset}}}",
                    quoted(name)
                )
            })
            .collect(),
    );
    format!(
        "{{\"features\":{features},\"layers\":{layers},\"init\":{},\"dims\":{dims},\"parameters\":{parameters},\"parameter_count\":{},\"trace\":{trace_json},\"trace_count\":{}}}",
        quoted(model.init.name()),
        model.parameter_count(),
        end + 2
    )
}

/// A history in at most `max_buckets` buckets: `[width, len, low..., high...]`.
fn snapshot_of(history: &CostHistory, max_buckets: u32) -> Vec<f64> {
    let compact = history.compacted(max_buckets as usize);
    let (width, len, low, high) = compact.parts();
    [&[width as f64, len as f64][..], low, high].concat()
}

/// The history a snapshot from [`snapshot_of`] holds, if it is one.
fn history_of(snapshot: &[f64]) -> Option<CostHistory> {
    let (&[width, len], rest) = snapshot.split_first_chunk::<2>()?;
    if rest.len() % 2 != 0 || width < 1.0 || len < 0.0 {
        return None;
    }
    let (low, high) = rest.split_at(rest.len() / 2);
    CostHistory::from_parts(width as u64, len as u64, low.to_vec(), high.to_vec())
}

#[wasm_bindgen]
pub struct Planar {
    trainer: Trainer,
    field: Field,
}

impl Default for Planar {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Planar {
    /// The tutorial's run: the flower set from seed 1, weights from seed 2,
    /// n_h = 4, learning rate 1.2.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Planar {
        Planar {
            trainer: Trainer::tutorial(),
            field: Field::new(),
        }
    }

    // ---- training ----

    /// Runs `n` iterations (epochs, with mini-batches); returns how many
    /// ran (0 without training points).
    pub fn step(&mut self, n: u32) -> u32 {
        self.trainer.step(u64::from(n)) as u32
    }

    /// Iterations done so far: epochs, with mini-batches.
    pub fn iteration(&self) -> f64 {
        self.trainer.iteration() as f64
    }

    /// Updates done so far: one per batch.
    pub fn updates(&self) -> f64 {
        self.trainer.updates() as f64
    }

    /// How training goes besides the learning rate, from the next update
    /// on: `optimizer` "gd", "momentum" (with `beta`) or "adam" (with
    /// `beta1`, `beta2`, ε 1e-8); L2 and L1 rates λ; `batch` points per
    /// mini-batch (0: the full batch). A different optimizer starts its
    /// moments from zero; nothing else is reset. On an error nothing changes.
    #[allow(clippy::too_many_arguments)]
    pub fn set_training(
        &mut self,
        optimizer: &str,
        beta: f64,
        beta1: f64,
        beta2: f64,
        l2: f64,
        l1: f64,
        batch: u32,
    ) -> Result<(), JsError> {
        let optimizer = match optimizer {
            "gd" => Optimizer::GradientDescent,
            "momentum" => Optimizer::Momentum { beta },
            "adam" => Optimizer::Adam {
                beta1,
                beta2,
                epsilon: Optimizer::DEFAULT_EPSILON,
            },
            other => {
                return Err(JsError::new(&format!(
                    "unknown optimizer \"{other}\" (one of {})",
                    Optimizer::NAMES.join(", ")
                )));
            }
        };
        let training = Training {
            optimizer,
            l2,
            l1,
            batch: batch as usize,
            ..*self.trainer.training()
        };
        Ok(self.trainer.set_training(training)?)
    }

    /// The current parameters' cost, or undefined without points.
    pub fn cost(&mut self) -> Option<f64> {
        self.trainer.cost()
    }

    /// Training accuracy in percent, or undefined without points.
    pub fn accuracy(&mut self) -> Option<f64> {
        self.trainer.accuracy()
    }

    /// The training points' cross-entropy without the regularisation's
    /// penalty, or undefined without points.
    pub fn cross_entropy(&mut self) -> Option<f64> {
        self.trainer.cross_entropy()
    }

    /// The held-out points' cross-entropy, or undefined when none is held out.
    pub fn test_cost(&mut self) -> Option<f64> {
        self.trainer.test_evaluation().map(|e| e.cost)
    }

    /// The held-out points' accuracy in percent, or undefined when none is held out.
    pub fn test_accuracy(&mut self) -> Option<f64> {
        self.trainer.test_evaluation().map(|e| e.accuracy)
    }

    /// True when the learning rate is too high for this run.
    pub fn diverging(&self) -> bool {
        self.trainer.diverging()
    }

    pub fn learning_rate(&self) -> f64 {
        self.trainer.learning_rate()
    }

    pub fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), JsError> {
        Ok(self.trainer.set_learning_rate(learning_rate)?)
    }

    /// The current model and its layouts, as JSON (see [`model_json`]).
    pub fn model(&self) -> String {
        model_json(self.trainer.model())
    }

    /// A new network, from the names the reference takes: `features`
    /// "x1,x2,sinx1", `layers` "8,8" (empty: none), `activations` one name
    /// or one per layer, `init` "tutorial", "xavier" or "he". Re-initializes
    /// the weights from the current seed; on an error nothing changes.
    pub fn set_model(
        &mut self,
        features: &str,
        layers: &str,
        activations: &str,
        init: &str,
    ) -> Result<(), JsError> {
        let model = Model::parse(features, layers, activations, init)?;
        Ok(self.trainer.set_model(model)?)
    }

    /// The seed of the initial weights.
    pub fn seed(&self) -> u32 {
        self.trainer.seed()
    }

    /// New initial weights from `seed`; the points stay.
    pub fn reset(&mut self, seed: u32) {
        self.trainer.reset(seed);
    }

    // ---- points ----

    /// Replaces the points with a data set: `name` from `preset_names()`,
    /// about `m` points from `seed`, at `noise` (the set's own when left out).
    pub fn load_preset(
        &mut self,
        name: &str,
        m: u32,
        seed: u32,
        noise: Option<f64>,
    ) -> Result<(), JsError> {
        let preset = Preset::from_name(name)
            .ok_or_else(|| JsError::new(&format!("unknown data set \"{name}\"")))?;
        let m = (m as usize).min(MAX_POINTS);
        let noise = noise.unwrap_or(preset.default_noise());
        self.trainer
            .set_points(preset.generate_with_noise(m, seed, noise));
        Ok(())
    }

    /// Holds out the points of `RandomState(seed).permutation(m)` past the
    /// first round(share · m) as the test set (share from 0.1 to 1; 1
    /// holds out none). On an error nothing changes.
    pub fn set_split(&mut self, share: f64, seed: u32) -> Result<(), JsError> {
        Ok(self.trainer.set_split(Split { share, seed })?)
    }

    /// Each point's set as saved: 1 held out, 0 training, one per point.
    /// On an error nothing changes.
    pub fn set_held_out(&mut self, held_out: Vec<u8>) -> Result<(), JsError> {
        Ok(self.trainer.set_held_out(&held_out)?)
    }

    /// Points held out for testing.
    pub fn test_count(&self) -> u32 {
        self.trainer.test_count() as u32
    }

    /// A pointer to `point_count()` bytes: 1 where the point is held out.
    pub fn held_out_ptr(&self) -> *const u8 {
        self.trainer.held_out().as_ptr()
    }

    /// Replaces every point, all or nothing: on an error nothing changes.
    pub fn set_points(&mut self, x: Vec<f64>, y: Vec<f64>, label: Vec<f64>) -> Result<(), JsError> {
        let points = Points::from_vecs(x, y, label)?;
        self.trainer.set_points(points);
        Ok(())
    }

    pub fn point_count(&self) -> u32 {
        self.trainer.points().len() as u32
    }

    /// Adds a point, to the test set when `test` is true; returns its index.
    pub fn add_point(
        &mut self,
        x: f64,
        y: f64,
        label: f64,
        test: Option<bool>,
    ) -> Result<u32, JsError> {
        Ok(self.trainer.add_point(x, y, label, test.unwrap_or(false))? as u32)
    }

    /// Removes the point nearest (x, y) within `radius`; returns its index or -1.
    pub fn remove_nearest(&mut self, x: f64, y: f64, radius: f64) -> i32 {
        self.trainer
            .remove_nearest(x, y, radius)
            .map_or(-1, |i| i as i32)
    }

    /// The index of the point nearest (x, y) within `radius`, or -1.
    pub fn nearest(&self, x: f64, y: f64, radius: f64) -> i32 {
        match self.trainer.points().nearest(x, y) {
            Some((i, distance)) if distance <= radius => i as i32,
            _ => -1,
        }
    }

    pub fn move_point(&mut self, index: u32, x: f64, y: f64) -> Result<(), JsError> {
        Ok(self.trainer.move_point(index as usize, x, y)?)
    }

    pub fn clear_points(&mut self) {
        self.trainer.set_points(Points::new());
    }

    /// Pointers to the points' x, y and label arrays (`point_count()` f64s each).
    pub fn points_x_ptr(&self) -> *const f64 {
        self.trainer.points().x.as_ptr()
    }

    pub fn points_y_ptr(&self) -> *const f64 {
        self.trainer.points().y.as_ptr()
    }

    pub fn points_label_ptr(&self) -> *const f64 {
        self.trainer.points().label.as_ptr()
    }

    /// Classifies every point with the current parameters; returns a pointer
    /// to `point_count()` bytes, each the predicted class.
    pub fn predict_points(&mut self) -> *const u8 {
        self.trainer.predicted().as_ptr()
    }

    // ---- the maths, for the inspector and the diagram ----

    /// W1, b1, W2, b2, ... concatenated, each row-major: the layout of
    /// `model()`'s "parameters".
    pub fn parameters(&self) -> Vec<f64> {
        self.trainer.params().to_vec()
    }

    /// The last step's dW1, db1, dW2, db2, ..., in the layout of `parameters()`.
    pub fn gradients(&self) -> Vec<f64> {
        self.trainer.grads().to_vec()
    }

    /// The gradients at the current parameters, without updating them: what
    /// the next step's backward pass computes.
    pub fn next_gradients(&self) -> Vec<f64> {
        self.trainer.next_gradients().to_vec()
    }

    /// The forward pass for one location, in the layout of `model()`'s
    /// "trace": the features X, then Z[l] and A[l] for every layer, then the
    /// cost term it would have with label 0 and with label 1.
    pub fn point_detail(&self, x: f64, y: f64) -> Vec<f64> {
        let mut trace = fused::trace_point(self.trainer.model(), self.trainer.params(), x, y);
        let z_out = trace[trace.len() - 2];
        trace.extend([
            network::point_cost(z_out, 0.0),
            network::point_cost(z_out, 1.0),
        ]);
        trace
    }

    /// Restores saved parameters for the current model (in the layout of
    /// `parameters()`), the iteration count and the update count (the
    /// iteration count when left out); on an error nothing changes.
    pub fn set_parameters(
        &mut self,
        values: Vec<f64>,
        iteration: f64,
        updates: Option<f64>,
    ) -> Result<(), JsError> {
        let count = |n: f64| n >= 0.0 && n <= 2f64.powi(53) && n.fract() == 0.0;
        let updates = updates.unwrap_or(iteration);
        if !(count(iteration) && count(updates)) {
            return Err(JsError::new(
                "the iteration and update counts must be whole numbers from 0",
            ));
        }
        Ok(self
            .trainer
            .restore(&values, iteration as u64, updates as u64)?)
    }

    /// Sets one weight or bias (its index in `parameters()`); the run goes on from it.
    pub fn set_parameter(&mut self, index: u32, value: f64) -> Result<(), JsError> {
        if value.abs() > MAX_EDITED_WEIGHT {
            return Err(JsError::new(&format!(
                "a weight must lie within ±{MAX_EDITED_WEIGHT:e}, not {value}"
            )));
        }
        Ok(self.trainer.set_parameter(index as usize, value)?)
    }

    // ---- pixels ----

    /// Shows the predicted class (1 where P > 0.5) instead of the
    /// probability in the field from the next render.
    pub fn set_discrete(&mut self, discrete: bool) {
        self.field.set_discrete(discrete);
    }

    /// Renders P(class 1) at `width x height` pixels with the 0.5 contour,
    /// over the square centred on (cx, cy) with half width `half_width` (the
    /// plane's square when they are left out); returns a pointer to
    /// `width * height` RGBA pixels.
    pub fn render_field(
        &mut self,
        width: u32,
        height: u32,
        cx: Option<f64>,
        cy: Option<f64>,
        half_width: Option<f64>,
    ) -> Result<*const u32, JsError> {
        let view = view_of(cx, cy, half_width)?;
        Ok(self
            .field
            .render(
                self.trainer.model(),
                self.trainer.params(),
                view,
                width as usize,
                height as usize,
            )
            .as_ptr())
    }

    /// Renders one node at `size x size` pixels: layer 0 is input feature
    /// `unit`, layers 1 to L − 1 the hidden units, layer L the output.
    /// Returns a pointer to the RGBA pixels.
    pub fn render_node(
        &mut self,
        layer: u32,
        unit: u32,
        size: u32,
        cx: Option<f64>,
        cy: Option<f64>,
        half_width: Option<f64>,
    ) -> Result<*const u32, JsError> {
        let view = view_of(cx, cy, half_width)?;
        let model = self.trainer.model();
        let (layer, unit) = (layer as usize, unit as usize);
        if layer > model.depth() || unit >= model.units(layer) {
            return Err(JsError::new(&format!("no unit {unit} in layer {layer}")));
        }
        let node = match layer {
            0 => Node::Feature(unit),
            l if l == model.depth() => Node::Output,
            l => Node::Hidden { layer: l, unit },
        };
        Ok(self
            .field
            .render_node(model, self.trainer.params(), node, view, size as usize)
            .as_ptr())
    }

    // ---- the cost history ----

    /// Iterations in the cost history.
    pub fn history_len(&self) -> f64 {
        self.trainer.history().len() as f64
    }

    /// The run's cost in `columns` slices: `[low, high]` per slice.
    pub fn cost_envelope(&self, columns: u32) -> Vec<f64> {
        self.trainer.history().envelope(columns as usize)
    }

    /// The test cost after each iteration, as `cost_envelope` (NaN where
    /// no point was held out).
    pub fn test_cost_envelope(&self, columns: u32) -> Vec<f64> {
        self.trainer.test_history().envelope(columns as usize)
    }

    /// The lowest and highest cost over iterations `[start, end)`, or an empty array.
    pub fn cost_span(&self, start: f64, end: f64) -> Vec<f64> {
        self.trainer
            .history()
            .span(start as u64, end as u64)
            .map_or(Vec::new(), |s| vec![s.low, s.high])
    }

    /// The lowest and highest test cost over iterations `[start, end)`
    /// (NaN where none was held out), or an empty array.
    pub fn test_cost_span(&self, start: f64, end: f64) -> Vec<f64> {
        self.trainer
            .test_history()
            .span(start as u64, end as u64)
            .map_or(Vec::new(), |s| vec![s.low, s.high])
    }

    /// Each learning-rate change as `[iteration, rate, iteration, rate, ...]`;
    /// the first is the run's start.
    pub fn rate_changes(&self) -> Vec<f64> {
        self.trainer
            .rate_changes()
            .iter()
            .flat_map(|&(i, lr)| [i as f64, lr])
            .collect()
    }

    /// The cost history in at most `max_buckets` buckets, for saving:
    /// `[width, len, low..., high...]`.
    pub fn history_snapshot(&self, max_buckets: u32) -> Vec<f64> {
        snapshot_of(self.trainer.history(), max_buckets)
    }

    /// The test cost's history, as `history_snapshot`.
    pub fn test_history_snapshot(&self, max_buckets: u32) -> Vec<f64> {
        snapshot_of(self.trainer.test_history(), max_buckets)
    }

    /// Restores a snapshot from `history_snapshot`; it must cover exactly the
    /// current iteration count. Returns false, changing nothing, otherwise.
    pub fn restore_history(&mut self, snapshot: Vec<f64>) -> bool {
        history_of(&snapshot).is_some_and(|h| self.trainer.restore_history(h))
    }

    /// Restores a snapshot from `test_history_snapshot`, as `restore_history`.
    pub fn restore_test_history(&mut self, snapshot: Vec<f64>) -> bool {
        history_of(&snapshot).is_some_and(|h| self.trainer.restore_test_history(h))
    }
}
