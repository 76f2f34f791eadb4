//! The one file that knows wasm-bindgen: the trainer as the page sees it.
//!
//! Rust owns the state and computes the pixels; the page reads small values
//! through getters and large ones (points, pixels) as typed-array views of
//! wasm memory at the pointers returned here. A view is valid until the next
//! call that changes what it shows.

use wasm_bindgen::prelude::*;

use crate::data::{MAX_POINTS, PLANE_HALF_WIDTH, Points, Preset};
use crate::field::{Field, View};
use crate::history::CostHistory;
use crate::matrix::Matrix;
use crate::network::{self, N_X, Parameters};
use crate::rng;
use crate::trainer::{SettingError, Trainer};

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

    /// Runs `n` iterations; returns how many ran (0 without points).
    pub fn step(&mut self, n: u32) -> u32 {
        self.trainer.step(u64::from(n)) as u32
    }

    /// Updates done so far.
    pub fn iteration(&self) -> f64 {
        self.trainer.iteration() as f64
    }

    /// The current parameters' cost, or undefined without points.
    pub fn cost(&mut self) -> Option<f64> {
        self.trainer.cost()
    }

    /// Training accuracy in percent, or undefined without points.
    pub fn accuracy(&mut self) -> Option<f64> {
        self.trainer.accuracy()
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

    pub fn hidden(&self) -> u32 {
        self.trainer.n_h() as u32
    }

    /// A new hidden width; re-initializes the weights from the current seed.
    pub fn set_hidden(&mut self, n_h: u32) -> Result<(), JsError> {
        Ok(self.trainer.set_hidden(n_h as usize)?)
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

    /// Replaces the points with a data set: `name` from `preset_names()`.
    pub fn load_preset(&mut self, name: &str, m: u32, seed: u32) -> Result<(), JsError> {
        let preset = Preset::from_name(name)
            .ok_or_else(|| JsError::new(&format!("unknown data set \"{name}\"")))?;
        let m = (m as usize).min(MAX_POINTS);
        self.trainer.set_points(preset.generate(m, seed));
        Ok(())
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

    /// Adds a point; returns its index.
    pub fn add_point(&mut self, x: f64, y: f64, label: f64) -> Result<u32, JsError> {
        Ok(self.trainer.add_point(x, y, label)? as u32)
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

    /// W1 (n_h x 2), b1 (n_h), W2 (n_h), b2 (1), concatenated, row-major.
    pub fn parameters(&self) -> Vec<f64> {
        self.trainer.params().iter().copied().collect()
    }

    /// The last step's dW1, db1, dW2, db2, in the order of `parameters()`.
    pub fn gradients(&self) -> Vec<f64> {
        let g = self.trainer.grads();
        [&g.dw1, &g.db1, &g.dw2, &g.db2]
            .iter()
            .flat_map(|m| m.data.iter().copied())
            .collect()
    }

    /// The gradients at the current parameters, without updating them: what
    /// the next step's backward pass computes.
    pub fn next_gradients(&self) -> Vec<f64> {
        self.trainer
            .next_gradients()
            .into_iter()
            .flat_map(|m| m.data)
            .collect()
    }

    /// The forward pass for one location: Z1 (n_h), A1 (n_h), Z2, A2, and the
    /// cost term it would have with label 0 and with label 1.
    pub fn point_detail(&self, x: f64, y: f64) -> Vec<f64> {
        let p = self.trainer.params();
        let n_h = p.n_h();
        let z1: Vec<f64> = (0..n_h)
            .map(|j| p.w1.get(j, 0) * x + p.w1.get(j, 1) * y + p.b1.data[j])
            .collect();
        let a1: Vec<f64> = z1.iter().map(|z| z.tanh()).collect();
        let z2 = p.b2.data[0] + a1.iter().zip(&p.w2.data).map(|(a, w)| a * w).sum::<f64>();
        let a2 = network::sigmoid(z2);
        let costs = [network::point_cost(z2, 0.0), network::point_cost(z2, 1.0)];
        [z1, a1, vec![z2, a2], costs.to_vec()].concat()
    }

    /// Restores saved parameters (in the order of `parameters()`) and the
    /// iteration count; on an error nothing changes.
    pub fn set_parameters(
        &mut self,
        n_h: u32,
        values: Vec<f64>,
        iteration: f64,
    ) -> Result<(), JsError> {
        let n_h = n_h as usize;
        if !(network::MIN_HIDDEN..=network::MAX_HIDDEN).contains(&n_h) {
            return Err(SettingError::Hidden(n_h).into());
        }
        let expected = n_h * N_X + n_h + n_h + 1;
        if values.len() != expected || values.iter().any(|v| !v.is_finite()) {
            return Err(JsError::new(&format!(
                "the weights of {n_h} hidden units are {expected} finite numbers"
            )));
        }
        if !(iteration >= 0.0 && iteration <= 2f64.powi(53) && iteration.fract() == 0.0) {
            return Err(JsError::new("the iteration must be a whole number from 0"));
        }
        let (w1, rest) = values.split_at(n_h * N_X);
        let (b1, rest) = rest.split_at(n_h);
        let (w2, b2) = rest.split_at(n_h);
        let params = Parameters {
            w1: Matrix::from_vec(n_h, N_X, w1.to_vec()),
            b1: Matrix::from_vec(n_h, 1, b1.to_vec()),
            w2: Matrix::from_vec(1, n_h, w2.to_vec()),
            b2: Matrix::from_vec(1, 1, b2.to_vec()),
        };
        self.trainer.restore(params, iteration as u64)?;
        Ok(())
    }

    // ---- pixels ----

    /// Renders P(class 1) at `width x height` pixels with the 0.5 contour;
    /// returns a pointer to `width * height` RGBA pixels.
    pub fn render_field(&mut self, width: u32, height: u32) -> *const u32 {
        let view = View {
            half_width: PLANE_HALF_WIDTH,
        };
        self.field
            .render(self.trainer.params(), view, width as usize, height as usize)
            .as_ptr()
    }

    /// Renders hidden unit `unit`'s activation at `size x size` pixels.
    pub fn render_unit(&mut self, unit: u32, size: u32) -> *const u32 {
        let view = View {
            half_width: PLANE_HALF_WIDTH,
        };
        self.field
            .render_unit(self.trainer.params(), unit as usize, view, size as usize)
            .as_ptr()
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

    /// The lowest and highest cost over iterations `[start, end)`, or an empty array.
    pub fn cost_span(&self, start: f64, end: f64) -> Vec<f64> {
        self.trainer
            .history()
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
        let compact = self.trainer.history().compacted(max_buckets as usize);
        let (width, len, low, high) = compact.parts();
        [&[width as f64, len as f64][..], low, high].concat()
    }

    /// Restores a snapshot from `history_snapshot`; it must cover exactly the
    /// current iteration count. Returns false, changing nothing, otherwise.
    pub fn restore_history(&mut self, snapshot: Vec<f64>) -> bool {
        let Some((&[width, len], rest)) = snapshot.split_first_chunk::<2>() else {
            return false;
        };
        if rest.len() % 2 != 0 || width < 1.0 || len < 0.0 {
            return false;
        }
        let (low, high) = rest.split_at(rest.len() / 2);
        match CostHistory::from_parts(width as u64, len as u64, low.to_vec(), high.to_vec()) {
            Some(history) => self.trainer.restore_history(history),
            None => false,
        }
    }
}
