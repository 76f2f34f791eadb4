//! A training run: the model, the data, the parameters, the workspace and
//! the cost history, changed only through methods that keep them consistent.

use crate::data::{PointError, Points};
use crate::deep::{self, Gradients, Parameters};
use crate::fused::{self, Batch, Evaluation};
use crate::history::CostHistory;
use crate::model::{Model, ModelError};
use crate::network::{self, DEFAULT_HIDDEN, DEFAULT_LEARNING_RATE};
use crate::number::Number;
use crate::optim::{OptimizerState, Training};
use crate::rng::RandomState;

/// Learning rates the trainer accepts.
pub const MIN_LEARNING_RATE: f64 = 1e-6;
pub const MAX_LEARNING_RATE: f64 = 1e3;

/// A count a run keeps as an f64 (iterations, updates, Adam's t): a whole
/// number from 0 to 2^53, where every whole number is exact.
pub fn is_count(v: f64) -> bool {
    (0.0..=2f64.powi(53)).contains(&v) && v.fract() == 0.0
}

/// Above this cost or parameter size, training has diverged or is about to.
const DIVERGENT_PARAMETER: f64 = 1e3;
/// A mean cost well above ln 2, the cost of P = 0.5 everywhere.
const WORSE_THAN_GUESSING: f64 = 1.0;
/// Iterations over which a rising cost counts as divergence.
const RISING_WINDOW: usize = 64;

/// The smallest share of the points a split keeps for training.
pub const MIN_TRAIN_SHARE: f64 = 0.1;

/// How the points divide into a training set and a held-out test set: the
/// points of `RandomState(seed).permutation(m)` past the first
/// round(share · m) are held out. A share of 1 (the tutorial's) holds out none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Split {
    pub share: f64,
    pub seed: u32,
}

impl Default for Split {
    fn default() -> Self {
        Split {
            share: 1.0,
            seed: 1,
        }
    }
}

impl Split {
    /// Which of `m` points are held out (1) and which train (0).
    pub fn held_out(&self, m: usize) -> Vec<u8> {
        let mut held_out = vec![0; m];
        if self.share < 1.0 {
            let mut order = vec![0; m];
            RandomState::new(self.seed).permutation(&mut order);
            let train = (self.share * m as f64).round() as usize;
            for &i in &order[train.min(m)..] {
                held_out[i] = 1;
            }
        }
        held_out
    }
}

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
                "learning rate {} is outside {} to {}",
                Number(*lr),
                Number(MIN_LEARNING_RATE),
                Number(MAX_LEARNING_RATE)
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
    /// Each point's set: 0 training, 1 held out for testing.
    held_out: Vec<u8>,
    split: Split,
    /// The indices of the training points and of the test points, in order.
    train_rows: Vec<usize>,
    test_rows: Vec<usize>,
    /// The training points, as the kernels read them.
    batch: Batch,
    /// The test points, as the kernels read them.
    test_batch: Batch,
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
    /// The test cost after each iteration (NaN while no point is held out).
    test_history: CostHistory,
    /// Updates made (one per batch), over every optimizer.
    updates: u64,
    /// `(iteration, learning rate)` from each change on; the first is the run's start.
    rate_changes: Vec<(u64, f64)>,
    /// The current parameters' cost and accuracy, computed when first asked,
    /// with each point's predicted class in `predicted`.
    current: Option<Option<Evaluation>>,
    predicted: Vec<u8>,
    /// The same for the test points, and every point's class in point order.
    test_current: Option<Option<Evaluation>>,
    test_predicted: Vec<u8>,
    all_predicted: Vec<u8>,
    /// The last costs, to notice a cost that keeps rising.
    recent: [f64; RISING_WINDOW],
    /// `(cost, test cost)` of each iteration since the last
    /// [`Trainer::take_costs`], while recording (see [`Trainer::record_costs`]).
    recorded: Option<Vec<f64>>,
}

/// The head of [`Trainer::progress`]: iteration, updates, the optimizer's t.
const PROGRESS_HEAD: usize = 3;

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
            held_out: vec![0; points.len()],
            points,
            split: Split::default(),
            train_rows: Vec::new(),
            test_rows: Vec::new(),
            batch: Batch::default(),
            test_batch: Batch::default(),
            training: Training::default(),
            order: Vec::new(),
            slice: Batch::default(),
            seed,
            learning_rate: DEFAULT_LEARNING_RATE,
            iteration: 0,
            history: CostHistory::new(),
            test_history: CostHistory::new(),
            updates: 0,
            rate_changes: Vec::new(),
            current: None,
            predicted: Vec::new(),
            test_current: None,
            test_predicted: Vec::new(),
            all_predicted: Vec::new(),
            recent: [f64::NAN; RISING_WINDOW],
            recorded: None,
        };
        trainer.points_changed();
        trainer.restart();
        Ok(trainer)
    }

    /// The tutorial's run: its flower set (seed 1) and weights (seed 2), n_h = 4.
    pub fn tutorial() -> Self {
        // Not `expect`: it would print the error with `Debug`, whose f64
        // fields pull std's float printing into the wasm (see `number`).
        let points = crate::data::flower(400, 1).unwrap_or_else(|_| panic!("400 is even"));
        Trainer::new(points, DEFAULT_HIDDEN, network::TUTORIAL_WEIGHT_SEED)
            .unwrap_or_else(|_| panic!("the defaults are valid"))
    }

    /// Runs `n` iterations (epochs, with mini-batches); returns how many ran
    /// (none without training points). Allocates nothing unless a cost
    /// history grows its buffer.
    pub fn step(&mut self, n: u64) -> u64 {
        if self.batch.m == 0 {
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
            self.test_current = None;
            let test_cost = self.test_evaluation().map_or(f64::NAN, |e| e.cost);
            self.test_history.push(test_cost);
            if let Some(recorded) = &mut self.recorded {
                recorded.extend([cost, test_cost]);
            }
        }
        self.current = None;
        n
    }

    /// Everything training changes but the histories, flat: `[iteration,
    /// updates, t, the last RISING_WINDOW costs, parameters, v, s]` (each of
    /// the last three in the flat order of [`Model::layout`]). Another trainer
    /// with the same points, model and settings given it by
    /// [`Trainer::set_progress`] goes on from here bit for bit.
    pub fn progress(&self) -> Vec<f64> {
        let mut values = vec![
            self.iteration as f64,
            self.updates as f64,
            self.optimizer.t as f64,
        ];
        values.extend(self.recent);
        values.extend(self.params.iter());
        values.extend(self.optimizer.v.iter());
        values.extend(self.optimizer.s.iter());
        values
    }

    /// Takes a [`Trainer::progress`] of a run of this model; the histories
    /// stay as they are. On an error nothing changes.
    pub fn set_progress(&mut self, values: &[f64]) -> Result<(), SettingError> {
        let count = self.model.parameter_count();
        let expected = PROGRESS_HEAD + RISING_WINDOW + 3 * count;
        if values.len() != expected {
            return Err(SettingError::Parameters {
                expected,
                found: values.len(),
            });
        }
        let (head, rest) = values.split_at(PROGRESS_HEAD);
        let (recent, rest) = rest.split_at(RISING_WINDOW);
        if !head.iter().all(|&v| is_count(v)) || rest.iter().any(|v| !v.is_finite()) {
            return Err(SettingError::NonFinite);
        }
        let (params, moments) = rest.split_at(count);
        let (v, s) = moments.split_at(count);
        let shaped = |values: &[f64]| Parameters::from_flat(&self.model, values);
        let (Some(params), Some(v), Some(s)) = (shaped(params), shaped(v), shaped(s)) else {
            unreachable!("the lengths were checked");
        };
        self.iteration = head[0] as u64;
        self.updates = head[1] as u64;
        self.optimizer = OptimizerState {
            v,
            s,
            t: head[2] as u64,
        };
        self.recent.copy_from_slice(recent);
        self.params = params;
        self.current = None;
        self.test_current = None;
        Ok(())
    }

    /// The optimizer's state: t, the updates it counted since it
    /// (re)started, and its moments v and s, shaped like the parameters
    /// (zeros under plain gradient descent; s is zero under momentum too).
    pub fn moments(&self) -> &OptimizerState {
        &self.optimizer
    }

    /// Sets the optimizer's state as [`Trainer::moments`] gives it: a run
    /// restored from its parameters (see [`Trainer::restore`], which starts
    /// the moments again at zero) then goes on exactly as it would have.
    /// t counts at most the run's updates; s, a mean of squares, is not
    /// negative. On an error nothing changes.
    pub fn set_moments(&mut self, t: u64, v: &[f64], s: &[f64]) -> Result<(), SettingError> {
        if t > self.updates {
            return Err(SettingError::Training(format!(
                "the optimizer cannot have counted {t} updates in a run of {}",
                self.updates
            )));
        }
        if s.iter().any(|&x| x < 0.0) {
            return Err(SettingError::Training(
                "the second moments s are means of squares: none is negative".into(),
            ));
        }
        let v = self.parameters_of(v)?;
        let s = self.parameters_of(s)?;
        self.optimizer = OptimizerState { v, s, t };
        Ok(())
    }

    /// Cuts the histories back to the current iteration (after
    /// [`Trainer::set_progress`] took the run back to an earlier one): the
    /// run goes on from here as a branch of the old one. The learning-rate
    /// marks after it go; the rate in force is marked here if it differs.
    pub fn cut_histories(&mut self) {
        let at = self.iteration;
        self.history.truncate(at);
        self.test_history.truncate(at);
        self.rate_changes.retain(|&(i, _)| i <= at);
        match self.rate_changes.last_mut() {
            Some(last) if last.1 == self.learning_rate => {}
            Some(last) if last.0 == at => last.1 = self.learning_rate,
            _ => self.rate_changes.push((at, self.learning_rate)),
        }
        // A rate set again after the change it undid is no change.
        self.rate_changes
            .dedup_by(|later, earlier| later.1 == earlier.1);
    }

    /// Starts (or stops) keeping each iteration's `(cost, test cost)` for [`Trainer::take_costs`].
    pub fn record_costs(&mut self, on: bool) {
        self.recorded = on.then(Vec::new);
    }

    /// The `(cost, test cost)` pairs recorded since the last call, flat; empty when not recording.
    pub fn take_costs(&mut self) -> Vec<f64> {
        self.recorded
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Appends `(cost, test cost)` pairs to the histories, as if this
    /// trainer had run those iterations (see [`Trainer::set_progress`] for
    /// the rest of what they changed).
    pub fn push_costs(&mut self, pairs: &[f64]) {
        for pair in pairs.chunks_exact(2) {
            self.history.push(pair[0]);
            self.test_history.push(pair[1]);
        }
    }

    /// One update on every point; returns the cost before it.
    fn full_batch_update(&mut self) -> f64 {
        let m = self.batch.m;
        let before = fused::gradients(&self.model, &self.params, &self.batch, &mut self.grads)
            .expect("points are not empty");
        let cost = self.training.with_penalty(before.cost, &self.params, m);
        self.update(m);
        cost
    }

    /// Regularises the gradients of a batch of `m` points just computed in
    /// `grads` and takes the optimizer's step with them.
    fn update(&mut self, m: usize) {
        self.training.regularise(&self.params, &mut self.grads, m);
        self.optimizer.update(
            self.training.optimizer,
            &mut self.params,
            &self.grads,
            self.learning_rate,
        );
        self.updates += 1;
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
            self.update(size);
        }
        epoch_cost
    }

    /// The current parameters' cost (the regularisation's penalty
    /// included) and accuracy on the training points; `None` without them.
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

    /// The training points' cross-entropy, without the regularisation's penalty.
    pub fn cross_entropy(&mut self) -> Option<f64> {
        let penalty = self.training.with_penalty(0.0, &self.params, self.batch.m);
        self.evaluation().map(|e| e.cost - penalty)
    }

    /// The cross-entropy and accuracy on the held-out points (no penalty:
    /// it is part of training, not of how well the network predicts);
    /// `None` when none is held out.
    pub fn test_evaluation(&mut self) -> Option<Evaluation> {
        let (model, params) = (&self.model, &self.params);
        let (batch, predicted) = (&self.test_batch, &mut self.test_predicted);
        *self
            .test_current
            .get_or_insert_with(|| fused::evaluate_model(model, params, batch, predicted))
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
    /// [`Model::layout`]), with the run's iteration and update counts; the
    /// histories start empty (see [`Trainer::restore_history`]) and so do
    /// the optimizer's moments. On an error nothing changes.
    pub fn restore(
        &mut self,
        values: &[f64],
        iteration: u64,
        updates: u64,
    ) -> Result<(), SettingError> {
        let params = self.parameters_of(values)?;
        self.params = params;
        self.restart();
        self.iteration = iteration;
        self.updates = updates;
        self.test_history = CostHistory::unknown(iteration);
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
        self.test_current = None;
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

    /// As [`Trainer::restore_history`], for the test cost's history.
    pub fn restore_test_history(&mut self, history: CostHistory) -> bool {
        let fits = history.len() == self.iteration;
        if fits {
            self.test_history = history;
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

    /// Updates made in this run: one per batch, whatever the optimizer.
    pub fn updates(&self) -> u64 {
        self.updates
    }

    fn restart(&mut self) {
        self.iteration = 0;
        self.updates = 0;
        self.history.clear();
        self.test_history.clear();
        self.rate_changes = vec![(0, self.learning_rate)];
        self.recent = [f64::NAN; RISING_WINDOW];
        // No step yet: zero gradients and moments, shaped for the current model.
        self.grads = Gradients::new(&self.model, 0);
        self.optimizer = OptimizerState::for_parameters(&self.params);
        self.current = None;
        self.test_current = None;
    }

    /// Replaces every point, divided by the current split; training goes on
    /// from the current parameters.
    pub fn set_points(&mut self, points: Points) {
        self.held_out = self.split.held_out(points.len());
        self.points = points;
        self.points_changed();
    }

    /// A new split of every point into training and test sets (see
    /// [`Split`]). On an error nothing changes.
    pub fn set_split(&mut self, split: Split) -> Result<(), SettingError> {
        if !(MIN_TRAIN_SHARE..=1.0).contains(&split.share) {
            return Err(SettingError::Training(format!(
                "the training share must lie in {} to 1, not {}",
                Number(MIN_TRAIN_SHARE),
                Number(split.share)
            )));
        }
        self.split = split;
        self.held_out = split.held_out(self.points.len());
        self.points_changed();
        Ok(())
    }

    pub fn split(&self) -> Split {
        self.split
    }

    /// Each point's set as saved (1 held out, 0 training), replacing the
    /// split's; on an error nothing changes.
    pub fn set_held_out(&mut self, held_out: &[u8]) -> Result<(), SettingError> {
        if held_out.len() != self.points.len() || held_out.iter().any(|&h| h > 1) {
            return Err(SettingError::Training(format!(
                "the test set must mark each of the {} points with 0 or 1",
                self.points.len()
            )));
        }
        self.held_out = held_out.to_vec();
        self.points_changed();
        Ok(())
    }

    /// Each point's set: 1 held out for testing, 0 training.
    pub fn held_out(&self) -> &[u8] {
        &self.held_out
    }

    /// Adds a point, to the test set when `test`; returns its index.
    pub fn add_point(
        &mut self,
        x: f64,
        y: f64,
        label: f64,
        test: bool,
    ) -> Result<usize, PointError> {
        let index = self.points.push(x, y, label)?;
        self.held_out.push(u8::from(test));
        self.points_changed();
        Ok(index)
    }

    /// Removes the point nearest (x, y) within `radius`; returns its index.
    pub fn remove_nearest(&mut self, x: f64, y: f64, radius: f64) -> Option<usize> {
        let removed = self.points.remove_nearest(x, y, radius);
        if let Some(index) = removed {
            self.held_out.remove(index);
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
        let (features, points) = (self.model.features, &self.points);
        self.train_rows.clear();
        self.test_rows.clear();
        for (i, &h) in self.held_out.iter().enumerate() {
            if h == 0 {
                self.train_rows.push(i);
            } else {
                self.test_rows.push(i);
            }
        }
        if self.test_rows.is_empty() {
            self.batch
                .load_features(features, &points.x, &points.y, &points.label);
            self.test_batch.load_features(features, &[], &[], &[]);
        } else {
            let mut all = Batch::default();
            all.load_features(features, &points.x, &points.y, &points.label);
            self.batch.gather(&all, &self.train_rows);
            self.test_batch.gather(&all, &self.test_rows);
        }
        // Room for the predictions now, so that evaluating never allocates.
        self.predicted.reserve(self.points.len() + fused::LANES);
        self.test_predicted
            .reserve(self.test_rows.len() + fused::LANES);
        self.all_predicted.reserve(self.points.len());
        self.current = None;
        self.test_current = None;
    }

    /// Each point's predicted class under the current parameters (1 where
    /// A[L] > 0.5), in point order, training and test points alike.
    pub fn predicted(&mut self) -> &[u8] {
        self.evaluation();
        if self.test_rows.is_empty() {
            return &self.predicted;
        }
        self.test_evaluation();
        self.all_predicted.resize(self.points.len(), 0);
        for (k, &i) in self.train_rows.iter().enumerate() {
            self.all_predicted[i] = self.predicted[k];
        }
        for (k, &i) in self.test_rows.iter().enumerate() {
            self.all_predicted[i] = self.test_predicted[k];
        }
        &self.all_predicted
    }

    /// What evaluating the current parameters gives, for a copy with the
    /// same points to take by [`Trainer::adopt_evaluation`]: the training
    /// and test evaluations, and every point's predicted class in point order.
    pub fn evaluated(&mut self) -> (Option<Evaluation>, Option<Evaluation>, Vec<u8>) {
        let all = self.predicted().to_vec();
        (self.evaluation(), self.test_evaluation(), all)
    }

    /// Takes another copy's [`Trainer::evaluated`] of these same parameters
    /// and points instead of evaluating them again. Returns false, changing
    /// nothing, when `all` is not one class (0 or 1) per point.
    pub fn adopt_evaluation(
        &mut self,
        training: Option<Evaluation>,
        test: Option<Evaluation>,
        all: &[u8],
    ) -> bool {
        if all.len() != self.points.len() || all.iter().any(|&c| c > 1) {
            return false;
        }
        let pick = |rows: &[usize], out: &mut Vec<u8>| {
            out.clear();
            out.extend(rows.iter().map(|&i| all[i]));
        };
        pick(&self.train_rows, &mut self.predicted);
        pick(&self.test_rows, &mut self.test_predicted);
        self.all_predicted.clear();
        self.all_predicted.extend_from_slice(all);
        self.current = Some(training);
        self.test_current = Some(test);
        true
    }

    /// The points held out for testing.
    pub fn test_count(&self) -> usize {
        self.test_rows.len()
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

    pub fn test_history(&self) -> &CostHistory {
        &self.test_history
    }

    pub fn rate_changes(&self) -> &[(u64, f64)] {
        &self.rate_changes
    }
}
