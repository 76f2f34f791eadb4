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
use crate::insight::{self, Directions, GradientCheck, Landscape, Objective, Trail};
use crate::model::{Activation, Feature, Init, MAX_LAYERS, MAX_UNITS, Model};
use crate::network;
use crate::number::Number;
use crate::optim::{Optimizer, Training};
use crate::rng;
use crate::trainer::{Split, Trainer, is_count};

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
            Number(view.cx),
            Number(view.cy),
            Number(view.half_width)
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

/// The envelope of a saved history (a `history_snapshot`) in `columns`
/// slices, as `Planar::cost_envelope`; empty if it is not a history.
#[wasm_bindgen]
pub fn history_envelope(snapshot: Vec<f64>, columns: u32) -> Vec<f64> {
    history_of(&snapshot).map_or(Vec::new(), |h| h.envelope(columns as usize))
}

/// The iterations a saved history covers, or -1 if it is not a history.
#[wasm_bindgen]
pub fn history_length(snapshot: Vec<f64>) -> f64 {
    history_of(&snapshot).map_or(-1.0, |h| h.len() as f64)
}

#[wasm_bindgen]
pub struct Planar {
    trainer: Trainer,
    field: Field,
    /// The parameters along the run, for the landscape's path.
    trail: Trail,
    /// The last power iteration's vector, where the next one starts.
    curvature: Vec<f64>,
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
            trail: Trail::new(),
            curvature: Vec::new(),
        }
    }

    // ---- training ----

    /// Runs `n` iterations (epochs, with mini-batches); returns how many
    /// ran (0 without training points).
    pub fn step(&mut self, n: u32) -> u32 {
        let trainer = &mut self.trainer;
        self.trail.record(trainer.iteration(), trainer.params());
        let ran = trainer.step(u64::from(n)) as u32;
        self.trail.record(trainer.iteration(), trainer.params());
        ran
    }

    /// Everything training changes but the histories, flat (see
    /// `Trainer::progress`): what a copy of this run with the same points,
    /// model and settings needs to go on exactly from here.
    pub fn progress(&self) -> Vec<f64> {
        self.trainer.progress()
    }

    /// Takes a `progress()` of this run's model; the histories stay. On an
    /// error nothing changes.
    pub fn set_progress(&mut self, values: Vec<f64>) -> Result<(), JsError> {
        self.trainer.set_progress(&values)?;
        self.trail
            .record(self.trainer.iteration(), self.trainer.params());
        Ok(())
    }

    /// The updates the optimizer counted since it (re)started: Adam's t.
    pub fn optimizer_t(&self) -> f64 {
        self.trainer.moments().t as f64
    }

    /// The optimizer's first moments v (momentum's velocity), in the layout
    /// of `model()`'s "parameters"; zeros under plain gradient descent.
    pub fn optimizer_v(&self) -> Vec<f64> {
        self.trainer.moments().v.to_vec()
    }

    /// Adam's second moments s, in the layout of `model()`'s "parameters";
    /// zeros under the other optimizers.
    pub fn optimizer_s(&self) -> Vec<f64> {
        self.trainer.moments().s.to_vec()
    }

    /// Sets the optimizer's state (t, v, s as the three calls above give
    /// them): after `set_parameters`, which starts it again at zero, the run
    /// goes on exactly. On an error nothing changes.
    pub fn set_optimizer_state(&mut self, t: f64, v: Vec<f64>, s: Vec<f64>) -> Result<(), JsError> {
        if !is_count(t) {
            return Err(JsError::new(
                "the optimizer's update count t must be a whole number from 0",
            ));
        }
        self.trainer.set_moments(t as u64, &v, &s)?;
        Ok(())
    }

    /// Cuts the histories back to the current iteration: after
    /// `set_progress` took the run back, it goes on from there as a branch.
    pub fn cut_history(&mut self) {
        self.trainer.cut_histories();
    }

    /// Another copy's training, applied: the `(cost, test cost)` pairs of the
    /// iterations it ran (its `take_costs()`) and the `progress()` it reached.
    /// Returns false, changing nothing, unless those iterations go on from
    /// this run's current one.
    pub fn apply_progress(&mut self, progress: Vec<f64>, costs: Vec<f64>) -> Result<bool, JsError> {
        let ran = (costs.len() / 2) as f64;
        let from = progress.first().map(|&reached| reached - ran);
        if !costs.len().is_multiple_of(2) || from != Some(self.trainer.iteration() as f64) {
            return Ok(false);
        }
        self.trainer.set_progress(&progress)?;
        self.trainer.push_costs(&costs);
        self.trail
            .record(self.trainer.iteration(), self.trainer.params());
        Ok(true)
    }

    /// The current parameters' evaluation, for a copy to take by
    /// `adopt_evaluation`: `[cost, accuracy, test cost, test accuracy]` (NaN
    /// where there is none).
    pub fn evaluated(&mut self) -> Vec<f64> {
        let (training, test, _) = self.trainer.evaluated();
        let parts =
            |e: Option<fused::Evaluation>| e.map_or([f64::NAN; 2], |e| [e.cost, e.accuracy]);
        [parts(training), parts(test)].concat()
    }

    /// Every point's predicted class in point order (a copy of `predict_points()`'s).
    pub fn predicted_classes(&mut self) -> Vec<u8> {
        self.trainer.predicted().to_vec()
    }

    /// Takes a copy's `evaluated()` and `predicted_classes()` of the
    /// parameters this run has (after `apply_progress`) instead of computing
    /// them again: what the readouts and the plot show are then the copy's
    /// figures, which are the same bit for bit. Returns false, changing
    /// nothing, unless they fit this run's points.
    pub fn adopt_evaluation(&mut self, values: Vec<f64>, classes: Vec<u8>) -> bool {
        let [cost, accuracy, test_cost, test_accuracy] = values[..] else {
            return false;
        };
        let evaluation = |cost: f64, accuracy: f64| {
            (!cost.is_nan()).then_some(fused::Evaluation { cost, accuracy })
        };
        let training = evaluation(cost, accuracy);
        let test = evaluation(test_cost, test_accuracy);
        if training.is_none() != (self.trainer.batch().m == 0)
            || test.is_none() != (self.trainer.test_count() == 0)
        {
            return false;
        }
        self.trainer.adopt_evaluation(training, test, &classes)
    }

    /// Keeps each iteration's `(cost, test cost)` from now on for `take_costs()` (or stops).
    pub fn record_costs(&mut self, on: bool) {
        self.trainer.record_costs(on);
    }

    /// The `(cost, test cost)` pairs of the iterations run since the last call, flat.
    pub fn take_costs(&mut self) -> Vec<f64> {
        self.trainer.take_costs()
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
        self.trainer.set_model(model)?;
        self.trail.clear();
        Ok(())
    }

    /// The seed of the initial weights.
    pub fn seed(&self) -> u32 {
        self.trainer.seed()
    }

    /// New initial weights from `seed`; the points stay.
    pub fn reset(&mut self, seed: u32) {
        self.trainer.reset(seed);
        self.trail.clear();
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
        let updates = updates.unwrap_or(iteration);
        if !(is_count(iteration) && is_count(updates)) {
            return Err(JsError::new(
                "the iteration and update counts must be whole numbers from 0",
            ));
        }
        self.trainer
            .restore(&values, iteration as u64, updates as u64)?;
        self.trail.clear();
        Ok(())
    }

    /// Sets one weight or bias (its index in `parameters()`); the run goes on from it.
    pub fn set_parameter(&mut self, index: u32, value: f64) -> Result<(), JsError> {
        if value.abs() > MAX_EDITED_WEIGHT {
            return Err(JsError::new(&format!(
                "a weight must lie within ±{}, not {}",
                Number(MAX_EDITED_WEIGHT),
                Number(value)
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
        self.render_field_rows(width, height, 0, height, cx, cy, half_width)
    }

    /// Rows `first .. first + count` of `render_field`'s `width x height`
    /// map, the same pixels: a large map drawn a band at a time, a few rows
    /// a frame. Returns a pointer to the band's RGBA pixels (rows past the
    /// map are left out).
    #[allow(clippy::too_many_arguments)]
    pub fn render_field_rows(
        &mut self,
        width: u32,
        height: u32,
        first: u32,
        count: u32,
        cx: Option<f64>,
        cy: Option<f64>,
        half_width: Option<f64>,
    ) -> Result<*const u32, JsError> {
        let view = view_of(cx, cy, half_width)?;
        Ok(self
            .field
            .render_rows(
                self.trainer.model(),
                self.trainer.params(),
                view,
                width as usize,
                height as usize,
                first as usize,
                count as usize,
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

    // ---- insight: the gradient check, the next step, the landscape ----

    /// The run's cost as a function of the parameters, frozen now.
    fn objective(&self) -> Objective {
        let t = &self.trainer;
        Objective::new(t.model(), t.batch(), t.training())
    }

    /// The gradient check of the current parameters, to be advanced with
    /// [`GradientCheckRun::advance`]; with `planted`, its backpropagation
    /// carries the course's mistake (dW[L] twice too large), which training
    /// never uses. Refused without points.
    pub fn gradient_check(&self, planted: bool) -> Result<GradientCheckRun, JsError> {
        let t = &self.trainer;
        GradientCheck::new(self.objective(), t.params(), t.points(), planted)
            .map(|check| GradientCheckRun { check })
            .ok_or_else(|| JsError::new("there are no points, so there is no cost to check"))
    }

    /// J(θ − η∇J) and its accuracy at `samples` learning rates from `low`
    /// to `high` on a log axis and at the current one, with the largest
    /// stable step from `power_iterations` rounds of power iteration (none:
    /// 0); undefined without points.
    pub fn next_step(
        &mut self,
        samples: u32,
        low: f64,
        high: f64,
        power_iterations: u32,
    ) -> Option<NextStepCurve> {
        if !(low > 0.0 && high > low && high.is_finite()) {
            return None;
        }
        let mut objective = self.objective();
        let params = self.trainer.params();
        let mut rates = insight::log_rates(low, high, (samples as usize).clamp(2, 1000));
        rates.push(self.trainer.learning_rate());
        let mut curve = insight::next_step(&mut objective, params, &rates)?;
        let at_rate = (
            curve.rates.pop().unwrap_or(f64::NAN),
            curve.costs.pop().unwrap_or(f64::NAN),
            curve.accuracies.pop().unwrap_or(f64::NAN),
        );
        let sharpness = if power_iterations > 0 {
            insight::sharpness(
                &objective,
                params,
                &mut self.curvature,
                power_iterations as usize,
            )
        } else {
            None
        };
        Some(NextStepCurve {
            curve,
            at_rate,
            sharpness,
        })
    }

    /// The cost over a plane through the current parameters: `directions`
    /// "random" (two random directions normalised per unit, from `seed`) or
    /// "path" (the two main directions of the run's path so far), on a
    /// `size × size` grid, to be advanced with [`LandscapeRun::advance`].
    pub fn landscape(
        &self,
        directions: &str,
        size: u32,
        seed: u32,
    ) -> Result<LandscapeRun, JsError> {
        let directions = match directions {
            "random" => Directions::Random { seed },
            "path" => Directions::Path,
            other => {
                return Err(JsError::new(&format!(
                    "directions are \"random\" or \"path\", not \"{other}\""
                )));
            }
        };
        let landscape = Landscape::new(
            self.objective(),
            self.trainer.params(),
            directions,
            &self.trail,
            size as usize,
        )?;
        Ok(LandscapeRun { landscape })
    }

    /// Snapshots of the parameters the path is drawn from, so far.
    pub fn trail_len(&self) -> u32 {
        self.trail.len() as u32
    }

    /// |A[L] − y| for every point: how much each drives the next update.
    pub fn point_residuals(&self) -> Vec<f64> {
        let t = &self.trainer;
        let p = t.points();
        insight::residuals(t.model(), t.params(), &p.x, &p.y, &p.label)
    }

    /// θ − α∇J, in the layout of `parameters()`: where a plain gradient
    /// step at the current learning rate moves the parameters.
    pub fn stepped_parameters(&self) -> Vec<f64> {
        let t = &self.trainer;
        let g = t.next_gradients();
        let lr = t.learning_rate();
        t.params()
            .iter()
            .zip(g.iter())
            .map(|(w, g)| w - lr * g)
            .collect()
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

/// A gradient check in progress (see [`Planar::gradient_check`]): every
/// array is in the layout of `model()`'s "parameters".
#[wasm_bindgen]
pub struct GradientCheckRun {
    check: GradientCheck,
}

#[wasm_bindgen]
impl GradientCheckRun {
    /// Computes up to `count` more centred differences; returns how many are done.
    pub fn advance(&mut self, count: u32) -> u32 {
        self.check.advance(count as usize) as u32
    }

    /// Entries in all (the parameter count).
    pub fn len(&self) -> u32 {
        self.check.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.check.is_empty()
    }

    /// Entries done so far.
    pub fn done(&self) -> u32 {
        self.check.done() as u32
    }

    pub fn finished(&self) -> bool {
        self.check.finished()
    }

    /// Backpropagation's dW1, db1, dW2, ... (with the planted mistake, if any).
    pub fn backprop(&self) -> Vec<f64> {
        self.check.backprop().to_vec()
    }

    /// The centred differences; NaN where not yet computed.
    pub fn approx(&self) -> Vec<f64> {
        self.check.approx().to_vec()
    }

    /// |grad − approx| / (|grad| + |approx|) per entry; NaN where not yet computed.
    pub fn entry_differences(&self) -> Vec<f64> {
        self.check.entry_differences()
    }

    /// ‖grad − approx‖ / (‖grad‖ + ‖approx‖), once every entry is done.
    pub fn difference(&self) -> Option<f64> {
        self.check.difference()
    }

    /// ‖grad‖: below `vanishing()` the figure cannot be trusted.
    pub fn gradient_norm(&self) -> f64 {
        self.check.gradient_norm()
    }

    pub fn vanishing(&self) -> f64 {
        insight::VANISHING_GRADIENT
    }

    /// Below this overall difference, backpropagation is right.
    pub fn threshold(&self) -> f64 {
        insight::GRADIENT_CHECK_THRESHOLD
    }

    /// The ε of the centred differences.
    pub fn epsilon(&self) -> f64 {
        insight::GRADIENT_CHECK_EPSILON
    }
}

/// J(θ − η∇J) over η (see [`Planar::next_step`]).
#[wasm_bindgen]
pub struct NextStepCurve {
    curve: insight::NextStep,
    at_rate: (f64, f64, f64),
    sharpness: Option<f64>,
}

#[wasm_bindgen]
impl NextStepCurve {
    pub fn rates(&self) -> Vec<f64> {
        self.curve.rates.clone()
    }

    pub fn costs(&self) -> Vec<f64> {
        self.curve.costs.clone()
    }

    /// Training accuracy in percent after the step, at each rate.
    pub fn accuracies(&self) -> Vec<f64> {
        self.curve.accuracies.clone()
    }

    /// The cost now (no step).
    pub fn cost(&self) -> f64 {
        self.curve.cost
    }

    pub fn accuracy(&self) -> f64 {
        self.curve.accuracy
    }

    /// The current learning rate, and the cost and accuracy a step at it gives.
    pub fn rate(&self) -> f64 {
        self.at_rate.0
    }

    pub fn rate_cost(&self) -> f64 {
        self.at_rate.1
    }

    pub fn rate_accuracy(&self) -> f64 {
        self.at_rate.2
    }

    /// λmax, the Hessian's largest eigenvalue, when power iteration found a positive one.
    pub fn sharpness(&self) -> Option<f64> {
        self.sharpness
    }

    /// 2/λmax: beyond it, gradient descent on the local quadratic diverges.
    pub fn stable_rate(&self) -> Option<f64> {
        self.sharpness.map(|l| 2.0 / l)
    }
}

/// A landscape in progress (see [`Planar::landscape`]).
#[wasm_bindgen]
pub struct LandscapeRun {
    landscape: Landscape,
}

#[wasm_bindgen]
impl LandscapeRun {
    /// Computes up to `count` more cells, coarse to fine; true when all are done.
    pub fn advance(&mut self, count: u32) -> bool {
        self.landscape.advance(count as usize)
    }

    pub fn finished(&self) -> bool {
        self.landscape.finished()
    }

    /// Cells done so far.
    pub fn done(&self) -> u32 {
        self.landscape.done() as u32
    }

    /// Cells a side.
    pub fn size(&self) -> u32 {
        self.landscape.size() as u32
    }

    /// The half widths of the plane: a from −extent[0] to extent[0], b likewise with extent[1].
    pub fn extent(&self) -> Vec<f64> {
        self.landscape.extent().to_vec()
    }

    /// `size × size` costs, row by row from b = −extent[1], each row from
    /// a = −extent[0]; cells not yet computed hold a coarser neighbour's value (or NaN).
    pub fn values(&self) -> Vec<f64> {
        self.landscape.values().to_vec()
    }

    /// The path projected on the plane as `[a, b, a, b, ...]`, oldest first; the last is now, (0, 0).
    pub fn path(&self) -> Vec<f64> {
        self.landscape.path().iter().flatten().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_step_the_trail_and_the_landscape_through_the_facade() {
        let mut planar = Planar::new();
        for _ in 0..10 {
            planar.step(10);
        }
        assert_eq!(planar.trail_len(), 11);
        let ahead = planar.next_step(8, 0.001, 10.0, 3).unwrap();
        assert_eq!(ahead.rates().len(), 8);
        assert_eq!(ahead.rate(), 1.2);
        assert_eq!(ahead.cost(), planar.cost().unwrap());
        assert!(ahead.stable_rate().unwrap() > 0.0);
        let mut landscape = planar.landscape("path", 9, 0).ok().unwrap();
        while !landscape.advance(10) {}
        assert_eq!(landscape.values()[4 * 9 + 4], planar.cost().unwrap());
        assert_eq!(landscape.path().len(), 2 * 12);
        let predicted = ahead.rate_cost();
        planar.step(1);
        assert!((predicted - planar.cost().unwrap()).abs() < 1e-12);
        let mut check = planar.gradient_check(false).ok().unwrap();
        while !check.finished() {
            check.advance(4);
        }
        assert!(check.difference().unwrap() < check.threshold());
        assert_eq!(planar.stepped_parameters().len(), 17);
        assert_eq!(planar.point_residuals().len(), 400);
        planar.reset(2);
        assert_eq!(planar.trail_len(), 0);
    }
}
