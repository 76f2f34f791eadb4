//! A training run: the model, the data, the parameters, the workspace and
//! the cost history, changed only through methods that keep them consistent.

use crate::data::{PointError, Points};
use crate::deep::{self, Gradients, Parameters};
use crate::fused::{self, Batch, Evaluation};
use crate::history::CostHistory;
use crate::model::{Model, ModelError};
use crate::network::{self, DEFAULT_HIDDEN, DEFAULT_LEARNING_RATE};
use crate::optim::{OptimizerState, Training};
use crate::rng::RandomState;

/// Learning rates the trainer accepts.
pub const MIN_LEARNING_RATE: f64 = 1e-6;
pub const MAX_LEARNING_RATE: f64 = 1e3;

/// Above this cost or parameter size, training has diverged or is about to.
const DIVERGENT_PARAMETER: f64 = 1e3;
/// A mean cost well above ln 2, the cost of P = 0.5 everywhere.
const WORSE_THAN_GUESSING: f64 = 1.0;
/// Iterations over which a rising cost counts as divergence.
const RISING_WINDOW: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub enum SettingError {
    LearningRate(f64),
    Model(ModelError),
    /// Saved parameters that do not fit the model: how many it needs, how many came.
    Parameters {
        expected: usize,
        found: usize,
    },
    NonFinite,
    Training(String),
}

impl From<ModelError> for SettingError {
    fn from(e: ModelError) -> Self {
        SettingError::Model(e)
    }
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            SettingError::LearningRate(lr) => write!(
                f,
                "learning rate {lr} is outside {MIN_LEARNING_RATE} to {MAX_LEARNING_RATE}"
            ),
            SettingError::Model(e) => e.fmt(f),
            SettingError::Parameters { expected, found } => write!(
                f,
                "this network has {expected} weights and biases, not {found}"
            ),
            SettingError::NonFinite => write!(f, "weights must be finite numbers"),
            SettingError::Training(problem) => f.write_str(problem),
        }
    }
}

impl std::error::Error for SettingError {}

pub struct Trainer {
    model: Model,
    points: Points,
    /// Every point, as the kernels read them.
    batch: Batch,
    params: Parameters,
    grads: Gradients,
    training: Training,
    optimizer: OptimizerState,
    /// Workspace for mini-batches: the epoch's order and the current slice.
    order: Vec<usize>,
    slice: Batch,
    seed: u32,
    learning_rate: f64,
    iteration: u64,
    history: CostHistory,
    /// `(iteration, learning rate)` from each change on; the first is the run's start.
    rate_changes: Vec<(u64, f64)>,
    /// The current parameters' cost and accuracy, computed when first asked,
    /// with each point's predicted class in `predicted`.
    current: Option<Option<Evaluation>>,
    predicted: Vec<u8>,
    /// The last costs, to notice a cost that keeps rising.
    recent: [f64; RISING_WINDOW],
}

impl Trainer {
    /// A run of the tutorial's network with `n_h` hidden units on `points`
    /// from the weights of `seed`, at the tutorial's learning rate.
    pub fn new(points: Points, n_h: usize, seed: u32) -> Result<Self, SettingError> {
        Trainer::with_model(points, Model::tutorial(n_h), seed)
    }

    /// A run of `model` on `points` from the weights of `seed`.
    pub fn with_model(points: Points, model: Model, seed: u32) -> Result<Self, SettingError> {
        let model = Model::new(model.features, model.hidden, model.init)?;
        let mut trainer = Trainer {
            params: deep::initialize_parameters_deep(&model, seed),
            grads: Gradients::new(&model, 0),
            optimizer: OptimizerState::for_parameters(&Parameters::zeros(&model)),
            model,
            points,
            batch: Batch::default(),
            training: Training::default(),
            order: Vec::new(),
            slice: Batch::default(),
            seed,
            learning_rate: DEFAULT_LEARNING_RATE,
            iteration: 0,
            history: CostHistory::new(),
            rate_changes: Vec::new(),
            current: None,
            predicted: Vec::new(),
            recent: [f64::NAN; RISING_WINDOW],
        };
        trainer.points_changed();
        trainer.restart();
        Ok(trainer)
    }

    /// The tutorial's run: its flower set (seed 1) and weights (seed 2), n_h = 4.
    pub fn tutorial() -> Self {
        let points = crate::data::flower(400, 1).expect("400 is even");
        Trainer::new(points, DEFAULT_HIDDEN, network::TUTORIAL_WEIGHT_SEED).expect("defaults")
    }

    /// Runs `n` iterations (epochs, with mini-batches); returns how many ran
    /// (none without points). Allocates nothing unless the cost history
    /// grows its buffer.
    pub fn step(&mut self, n: u64) -> u64 {
        if self.points.is_empty() {
            return 0;
        }
        for _ in 0..n {
            let cost = if self.training.batch == 0 {
                self.full_batch_update()
            } else {
                self.mini_batch_epoch()
            };
            self.recent[(self.iteration as usize) % RISING_WINDOW] = cost;
            self.history.push(cost);
            self.iteration += 1;
        }
        self.current = None;
        n
    }

    /// One update on every point; returns the cost before it.
    fn full_batch_update(&mut self) -> f64 {
        let m = self.batch.m;
        let before = fused::gradients(&self.model, &self.params, &self.batch, &mut self.grads)
            .expect("points are not empty");
        let cost = self.training.with_penalty(before.cost, &self.params, m);
        self.training.regularise(&self.params, &mut self.grads, m);
        self.optimizer.update(
            self.training.optimizer,
            &mut self.params,
            &self.grads,
            self.learning_rate,
        );
        cost
    }

    /// One epoch of mini-batches, in the order of
    /// `RandomState(shuffle_seed + 1 + epoch).permutation(m)`; returns the
    /// mean of the batches' costs (each before its update) weighted by
    /// their sizes, as the reference prints it.
    fn mini_batch_epoch(&mut self) -> f64 {
        let m = self.batch.m;
        let seed = self
            .training
            .shuffle_seed
            .wrapping_add(1)
            .wrapping_add(self.iteration as u32);
        self.order.resize(m, 0);
        RandomState::new(seed).permutation(&mut self.order);
        let mut epoch_cost = 0.0;
        for start in (0..m).step_by(self.training.batch) {
            let end = (start + self.training.batch).min(m);
            self.slice.gather(&self.batch, &self.order[start..end]);
            let size = end - start;
            let before = fused::gradients(&self.model, &self.params, &self.slice, &mut self.grads)
                .expect("a slice has points");
            let cost = self.training.with_penalty(before.cost, &self.params, size);
            epoch_cost += cost * size as f64 / m as f64;
            self.training
                .regularise(&self.params, &mut self.grads, size);
            self.optimizer.update(
                self.training.optimizer,
                &mut self.params,
                &self.grads,
                self.learning_rate,
            );
        }
        epoch_cost
    }

    /// The current parameters' cost and accuracy; `None` without points.
    pub fn evaluation(&mut self) -> Option<Evaluation> {
        let (model, params, training) = (&self.model, &self.params, &self.training);
        let (batch, predicted) = (&self.batch, &mut self.predicted);
        *self.current.get_or_insert_with(|| {
            fused::evaluate_model(model, params, batch, predicted).map(|e| Evaluation {
                cost: training.with_penalty(e.cost, params, batch.m),
                ..e
            })
        })
    }

    pub fn cost(&mut self) -> Option<f64> {
        self.evaluation().map(|e| e.cost)
    }

    pub fn accuracy(&mut self) -> Option<f64> {
        self.evaluation().map(|e| e.accuracy)
    }

    /// True when the learning rate is too high: the parameters have grown
    /// without bound, the cost stays above what a coin toss would cost, or
    /// it kept rising over the last iterations.
    pub fn diverging(&self) -> bool {
        let huge = self
            .params
            .iter()
            .any(|v| !v.is_finite() || v.abs() > DIVERGENT_PARAMETER);
        if huge || self.iteration < RISING_WINDOW as u64 {
            return huge;
        }
        let start = self.iteration as usize % RISING_WINDOW;
        let ordered: [f64; RISING_WINDOW] =
            std::array::from_fn(|i| self.recent[(start + i) % RISING_WINDOW]);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        // Any network starts near ln 2 (P = 0.5 everywhere); learning brings the
        // cost down, so one that averages well above it has been thrown off.
        let worse_than_guessing = mean(&ordered) > WORSE_THAN_GUESSING;
        let (old, new) = ordered.split_at(RISING_WINDOW / 2);
        let rising = mean(new) > mean(old) * 1.05
            && new[new.len() - 1] > new[0]
            && old[old.len() - 1] > old[0];
        worse_than_guessing || rising
    }

    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// Takes effect from the next iteration; nothing is reset.
    pub fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), SettingError> {
        if !(MIN_LEARNING_RATE..=MAX_LEARNING_RATE).contains(&learning_rate) {
            return Err(SettingError::LearningRate(learning_rate));
        }
        if learning_rate != self.learning_rate {
            self.learning_rate = learning_rate;
            match self.rate_changes.last_mut() {
                Some(last) if last.0 == self.iteration => last.1 = learning_rate,
                _ => self.rate_changes.push((self.iteration, learning_rate)),
            }
        }
        Ok(())
    }

    /// New initial weights from `seed`: iteration 0, an empty history.
    pub fn reset(&mut self, seed: u32) {
        self.seed = seed;
        self.params = deep::initialize_parameters_deep(&self.model, seed);
        self.restart();
    }

    /// A new network, initialized from the current seed; the points stay.
    pub fn set_model(&mut self, model: Model) -> Result<(), SettingError> {
        let model = Model::new(model.features, model.hidden, model.init)?;
        let features_changed = model.features != self.model.features;
        self.model = model;
        if features_changed {
            self.points_changed();
        }
        self.reset(self.seed);
        Ok(())
    }

    /// Parameters restored from a save (in the flat order of
    /// [`Model::layout`]), with the run's iteration count; the history
    /// starts empty (see [`Trainer::restore_history`]). On an error nothing changes.
    pub fn restore(&mut self, values: &[f64], iteration: u64) -> Result<(), SettingError> {
        let params = self.parameters_of(values)?;
        self.params = params;
        self.restart();
        self.iteration = iteration;
        self.rate_changes = vec![(iteration, self.learning_rate)];
        Ok(())
    }

    fn parameters_of(&self, values: &[f64]) -> Result<Parameters, SettingError> {
        if values.iter().any(|v| !v.is_finite()) {
            return Err(SettingError::NonFinite);
        }
        Parameters::from_flat(&self.model, values).ok_or(SettingError::Parameters {
            expected: self.model.parameter_count(),
            found: values.len(),
        })
    }

    /// Sets parameter `index` (in the flat order of [`Model::layout`]) to
    /// `value`; the run goes on from there (iteration and history stay).
    pub fn set_parameter(&mut self, index: usize, value: f64) -> Result<(), SettingError> {
        let count = self.model.parameter_count();
        if index >= count {
            return Err(SettingError::Parameters {
                expected: count,
                found: index + 1,
            });
        }
        if !value.is_finite() {
            return Err(SettingError::NonFinite);
        }
        if let Some(slot) = self.params.iter_mut().nth(index) {
            *slot = value;
        }
        self.current = None;
        Ok(())
    }

    /// Replaces the cost history with a saved one covering exactly this run's
    /// iterations; returns false, changing nothing, otherwise.
    pub fn restore_history(&mut self, history: CostHistory) -> bool {
        let fits = history.len() == self.iteration;
        if fits {
            self.history = history;
        }
        fits
    }

    /// The gradients at the current parameters, without updating them: what
    /// the next step's backward pass computes. Zero without points.
    pub fn next_gradients(&self) -> Gradients {
        let mut grads = Gradients::new(&self.model, 0);
        fused::gradients(&self.model, &self.params, &self.batch, &mut grads);
        self.training
            .regularise(&self.params, &mut grads, self.batch.m);
        grads
    }

    pub fn training(&self) -> &Training {
        &self.training
    }

    /// New training settings, from the next update on; the parameters and
    /// the history stay. A different optimizer starts from fresh moments
    /// (v, s and t at zero).
    pub fn set_training(&mut self, training: Training) -> Result<(), SettingError> {
        training.check().map_err(SettingError::Training)?;
        if std::mem::discriminant(&training.optimizer)
            != std::mem::discriminant(&self.training.optimizer)
        {
            self.optimizer = OptimizerState::for_parameters(&self.params);
        }
        self.training = training;
        self.current = None;
        Ok(())
    }

    /// Adam's update count t (every optimizer counts updates).
    pub fn updates(&self) -> u64 {
        self.optimizer.t
    }

    fn restart(&mut self) {
        self.iteration = 0;
        self.history.clear();
        self.rate_changes = vec![(0, self.learning_rate)];
        self.recent = [f64::NAN; RISING_WINDOW];
        // No step yet: zero gradients and moments, shaped for the current model.
        self.grads = Gradients::new(&self.model, 0);
        self.optimizer = OptimizerState::for_parameters(&self.params);
        self.current = None;
    }

    /// Replaces every point; training goes on from the current parameters.
    pub fn set_points(&mut self, points: Points) {
        self.points = points;
        self.points_changed();
    }

    pub fn add_point(&mut self, x: f64, y: f64, label: f64) -> Result<usize, PointError> {
        let index = self.points.push(x, y, label)?;
        self.points_changed();
        Ok(index)
    }

    /// Removes the point nearest (x, y) within `radius`; returns its index.
    pub fn remove_nearest(&mut self, x: f64, y: f64, radius: f64) -> Option<usize> {
        let removed = self.points.remove_nearest(x, y, radius);
        if removed.is_some() {
            self.points_changed();
        }
        removed
    }

    pub fn move_point(&mut self, index: usize, x: f64, y: f64) -> Result<(), PointError> {
        self.points.move_point(index, x, y)?;
        self.points_changed();
        Ok(())
    }

    fn points_changed(&mut self) {
        self.batch.load_features(
            self.model.features,
            &self.points.x,
            &self.points.y,
            &self.points.label,
        );
        // Room for the predictions now, so that evaluating never allocates.
        self.predicted.reserve(self.points.len());
        self.current = None;
    }

    /// Each point's predicted class under the current parameters (1 where
    /// A2 > 0.5), from the same pass as [`Trainer::evaluation`].
    pub fn predicted(&mut self) -> &[u8] {
        self.evaluation();
        &self.predicted
    }

    pub fn points(&self) -> &Points {
        &self.points
    }

    /// Every point, as the kernels read them.
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    pub fn params(&self) -> &Parameters {
        &self.params
    }

    /// The last step's gradients (zero before the first step).
    pub fn grads(&self) -> &Gradients {
        &self.grads
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn seed(&self) -> u32 {
        self.seed
    }

    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    pub fn history(&self) -> &CostHistory {
        &self.history
    }

    pub fn rate_changes(&self) -> &[(u64, f64)] {
        &self.rate_changes
    }
}
