//! What the page shows beside training, all computed from one frozen copy of
//! the run's cost ([`Objective`]): the gradient check (backpropagation
//! against centred finite differences, with a mistake that can be planted),
//! the next step's cost over the learning rate, the largest stable step
//! (2/λmax, by power iteration on Hessian-vector products), the cost over a
//! plane through the parameters (random directions normalised per unit, or
//! the main directions of the path), and the bounded trail of parameters the
//! path is drawn from.
//!
//! Every long computation ([`GradientCheck`], [`Landscape`]) advances a
//! bounded amount per call, so the page can spread it over frames.

use crate::data::Points;
use crate::deep::{self, Caches, Gradients, Parameters};
use crate::fused::{self, Batch, Evaluation};
use crate::model::{MAX_UNITS, Model};
use crate::network::point_cost;
use crate::optim::Training;
use crate::rng::RandomState;

/// The course's ε for the gradient check.
pub const GRADIENT_CHECK_EPSILON: f64 = 1e-7;
/// Below this overall relative difference, backpropagation is right.
pub const GRADIENT_CHECK_THRESHOLD: f64 = 2e-7;
/// Below this gradient size (‖∇J‖), a centred difference of step ε cannot
/// tell the gradient from rounding: the check's figure means nothing there.
pub const VANISHING_GRADIENT: f64 = 1e-6;
/// The step of the finite differences of gradients that give H·v.
const HESSIAN_STEP: f64 = 1e-5;
/// Snapshots the trail keeps at most; beyond, every other one goes and the spacing doubles.
pub const TRAIL_CAPACITY: usize = 256;

/// The run's cost as a function of the parameters alone: a copy of the
/// model, the points and the training settings (regularisation included),
/// so that work spread over frames sees one state.
#[derive(Clone, Debug)]
pub struct Objective {
    model: Model,
    batch: Batch,
    training: Training,
    predicted: Vec<u8>,
}

impl Objective {
    pub fn new(model: &Model, batch: &Batch, training: &Training) -> Objective {
        Objective {
            model: model.clone(),
            batch: batch.clone(),
            training: *training,
            predicted: Vec::with_capacity(batch.m),
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The cost (with the regularisation penalty) and accuracy of `p`; `None` without points.
    pub fn evaluate(&mut self, p: &Parameters) -> Option<Evaluation> {
        let m = self.batch.m;
        let training = self.training;
        fused::evaluate_model(&self.model, p, &self.batch, &mut self.predicted).map(|e| {
            Evaluation {
                cost: training.with_penalty(e.cost, p, m),
                ..e
            }
        })
    }

    pub fn cost(&mut self, p: &Parameters) -> Option<f64> {
        self.evaluate(p).map(|e| e.cost)
    }

    /// ∇J at `p` (the training's backpropagation, regularisation included)
    /// into `grads`; `None`, changing nothing, without points.
    pub fn gradients(&self, p: &Parameters, grads: &mut Gradients) -> Option<()> {
        fused::gradients(&self.model, p, &self.batch, grads)?;
        self.training.regularise(p, grads, self.batch.m);
        Some(())
    }

    /// ∇J at `p` in the flat order of [`Model::layout`].
    pub fn gradient_vector(&self, p: &Parameters) -> Option<Vec<f64>> {
        let mut grads = Gradients::new(&self.model, 0);
        self.gradients(p, &mut grads)?;
        Some(grads.to_vec())
    }

    fn parameters(&self, flat: &[f64]) -> Parameters {
        Parameters::from_flat(&self.model, flat).expect("a vector in the model's layout")
    }
}

/// θ + s·v, element by element.
fn moved(theta: &[f64], s: f64, v: &[f64]) -> Vec<f64> {
    theta.iter().zip(v).map(|(t, d)| t + s * d).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// |a − b| / (|a| + |b|), and 0 where both are 0.
pub fn relative_difference(a: f64, b: f64) -> f64 {
    let scale = a.abs() + b.abs();
    if scale == 0.0 {
        0.0
    } else {
        (a - b).abs() / scale
    }
}

// ---- the gradient check ----

/// The course's gradient check, one parameter at a time: backpropagation's
/// gradient at θ beside (J(θ + ε e_i) − J(θ − ε e_i)) / 2ε. With `planted`,
/// backpropagation carries the course's mistake, dW[L] computed twice too
/// large (`dW2 = 1/m dZ2·A1ᵀ · 2`); the check is the only place it exists.
///
/// The difference of the two costs is summed point by point (each point's
/// term at θ + ε e_i minus its term at θ − ε e_i), so the rounding of a sum
/// of m terms near ln 2 does not swamp gradients as small as an untrained
/// network's. A nudge of layer l's unit j leaves the layers below and the
/// other units of layer l as they were: each point's pass starts from the
/// activations of the unnudged forward pass (of [`crate::deep`]) there.
#[derive(Clone, Debug)]
pub struct GradientCheck {
    objective: Objective,
    theta: Vec<f64>,
    backprop: Vec<f64>,
    approx: Vec<f64>,
    done: usize,
    y: Vec<f64>,
    /// A[l] for l = 0..L−1 at θ, point by point: `acts[l][i * n[l] + unit]`.
    acts: Vec<Vec<f64>>,
    /// The layer (1..L) and unit of every parameter, in the flat order.
    owner: Vec<(usize, usize)>,
}

impl GradientCheck {
    /// `None` without points.
    pub fn new(
        mut objective: Objective,
        p: &Parameters,
        points: &Points,
        planted: bool,
    ) -> Option<GradientCheck> {
        let mut grads = Gradients::new(&objective.model, 0);
        objective.gradients(p, &mut grads)?;
        if planted {
            let last = grads.dw.len() - 1;
            grads.dw[last].data.iter_mut().for_each(|g| *g *= 2.0);
        }
        objective.evaluate(p)?;
        let backprop = grads.to_vec();
        let model = &objective.model;
        let m = points.len();
        let mut caches = Caches::new(model, m);
        caches.a[0] = deep::feature_matrix(model.features, &points.x, &points.y);
        deep::l_model_forward(p, model, &mut caches);
        let acts = caches.a[..model.depth()]
            .iter()
            .map(|a| {
                let mut by_point = vec![0.0; a.data.len()];
                for unit in 0..a.rows {
                    for i in 0..m {
                        by_point[i * a.rows + unit] = a.data[unit * m + i];
                    }
                }
                by_point
            })
            .collect();
        let owner = model
            .layout()
            .iter()
            .flat_map(|s| (0..s.len()).map(move |k| (s.layer, k / s.cols)))
            .collect();
        Some(GradientCheck {
            approx: vec![f64::NAN; backprop.len()],
            theta: p.to_vec(),
            backprop,
            y: points.label.clone(),
            acts,
            owner,
            objective,
            done: 0,
        })
    }

    /// Z[L] of point `i` under `q`, which differs from θ only in unit `unit` of `layer`.
    fn output_from(&self, q: &Parameters, layer: usize, unit: usize, i: usize) -> f64 {
        let model = &self.objective.model;
        let depth = model.depth();
        let n_prev = model.units(layer - 1);
        let a_prev = &self.acts[layer - 1][i * n_prev..(i + 1) * n_prev];
        let w = &q.w[layer - 1];
        let z =
            dot(&w.data[unit * n_prev..(unit + 1) * n_prev], a_prev) + q.b[layer - 1].data[unit];
        if layer == depth {
            return z;
        }
        let mut current = [0.0; MAX_UNITS];
        let mut next = [0.0; MAX_UNITS];
        let n = model.units(layer);
        current[..n].copy_from_slice(&self.acts[layer][i * n..(i + 1) * n]);
        current[unit] = model.activation(layer).apply_fast(z);
        for l in layer + 1..=depth {
            let (rows, cols) = (model.units(l), model.units(l - 1));
            let (w, b) = (&q.w[l - 1].data, &q.b[l - 1].data);
            for r in 0..rows {
                next[r] = dot(&w[r * cols..(r + 1) * cols], &current[..cols]) + b[r];
            }
            if l == depth {
                return next[0];
            }
            let g = model.activation(l);
            for r in 0..rows {
                current[r] = g.apply_fast(next[r]);
            }
        }
        unreachable!("the output layer returns")
    }

    /// Computes the next `count` approximations (at least one); returns how many are done.
    pub fn advance(&mut self, count: usize) -> usize {
        let end = (self.done + count.max(1)).min(self.theta.len());
        let training = self.objective.training;
        let m = self.y.len();
        let mut plus = self.objective.parameters(&self.theta);
        let mut minus = plus.clone();
        for index in self.done..end {
            let original = self.theta[index];
            let (layer, unit) = self.owner[index];
            set_flat(&mut plus, index, original + GRADIENT_CHECK_EPSILON);
            set_flat(&mut minus, index, original - GRADIENT_CHECK_EPSILON);
            let terms: f64 = (0..m)
                .map(|i| {
                    let y = self.y[i];
                    point_cost(self.output_from(&plus, layer, unit, i), y)
                        - point_cost(self.output_from(&minus, layer, unit, i), y)
                })
                .sum();
            let penalty =
                training.with_penalty(0.0, &plus, m) - training.with_penalty(0.0, &minus, m);
            set_flat(&mut plus, index, original);
            set_flat(&mut minus, index, original);
            self.approx[index] = (terms / m as f64 + penalty) / (2.0 * GRADIENT_CHECK_EPSILON);
        }
        self.done = end;
        end
    }

    pub fn len(&self) -> usize {
        self.theta.len()
    }

    pub fn is_empty(&self) -> bool {
        self.theta.is_empty()
    }

    pub fn done(&self) -> usize {
        self.done
    }

    pub fn finished(&self) -> bool {
        self.done == self.theta.len()
    }

    /// Backpropagation's gradient, in the layout of the parameters.
    pub fn backprop(&self) -> &[f64] {
        &self.backprop
    }

    /// The centred differences so far (NaN where not yet computed).
    pub fn approx(&self) -> &[f64] {
        &self.approx
    }

    /// |grad − approx| / (|grad| + |approx|) per entry (NaN where not yet computed).
    pub fn entry_differences(&self) -> Vec<f64> {
        self.backprop
            .iter()
            .zip(&self.approx)
            .map(|(&g, &a)| {
                if a.is_nan() {
                    f64::NAN
                } else {
                    relative_difference(g, a)
                }
            })
            .collect()
    }

    /// ‖grad‖, backpropagation's gradient's size.
    pub fn gradient_norm(&self) -> f64 {
        norm(&self.backprop)
    }

    /// ‖grad − approx‖ / (‖grad‖ + ‖approx‖) once every entry is done.
    pub fn difference(&self) -> Option<f64> {
        if !self.finished() {
            return None;
        }
        let difference: Vec<f64> = self
            .backprop
            .iter()
            .zip(&self.approx)
            .map(|(g, a)| g - a)
            .collect();
        let scale = norm(&self.backprop) + norm(&self.approx);
        Some(if scale == 0.0 {
            0.0
        } else {
            norm(&difference) / scale
        })
    }
}

/// Sets entry `index` of the flat order of [`Model::layout`].
fn set_flat(p: &mut Parameters, index: usize, value: f64) {
    let mut offset = 0;
    for (w, b) in p.w.iter_mut().zip(p.b.iter_mut()) {
        for m in [w, b] {
            if index < offset + m.data.len() {
                m.data[index - offset] = value;
                return;
            }
            offset += m.data.len();
        }
    }
    panic!("parameter {index} of {offset}");
}

// ---- the next step ----

/// The cost and accuracy one plain gradient step θ − η∇J would give, for each η.
#[derive(Clone, Debug, PartialEq)]
pub struct NextStep {
    pub rates: Vec<f64>,
    pub costs: Vec<f64>,
    pub accuracies: Vec<f64>,
    /// The cost and accuracy now (η = 0).
    pub cost: f64,
    pub accuracy: f64,
}

/// `count` learning rates evenly spaced on a log axis from `low` to `high`.
pub fn log_rates(low: f64, high: f64, count: usize) -> Vec<f64> {
    let (a, b) = (low.log10(), high.log10());
    let steps = count.max(2) - 1;
    (0..=steps)
        .map(|i| 10f64.powf(a + (b - a) * i as f64 / steps as f64))
        .collect()
}

/// J(θ − η∇J) and its accuracy for each η in `rates`; `None` without points.
pub fn next_step(objective: &mut Objective, p: &Parameters, rates: &[f64]) -> Option<NextStep> {
    let now = objective.evaluate(p)?;
    let mut grads = Gradients::new(&objective.model, 0);
    objective.gradients(p, &mut grads)?;
    let mut stepped = p.clone();
    let (mut costs, mut accuracies) = (Vec::new(), Vec::new());
    for &eta in rates {
        for ((s, w), g) in stepped.iter_mut().zip(p.iter()).zip(grads.iter()) {
            *s = w - eta * g;
        }
        let e = objective.evaluate(&stepped)?;
        costs.push(e.cost);
        accuracies.push(e.accuracy);
    }
    Some(NextStep {
        rates: rates.to_vec(),
        costs,
        accuracies,
        cost: now.cost,
        accuracy: now.accuracy,
    })
}

/// The largest eigenvalue λ of the Hessian of J at `p` by `iterations`
/// rounds of power iteration, H·v ≈ (∇J(θ + h v) − ∇J(θ − h v)) / 2h;
/// `start` is the vector to start from and receives the last one (so the
/// next call, a few iterations later, starts close). When the eigenvalue
/// largest in size is negative (J curves down more than up), the iteration
/// runs again on H − λ·I, whose largest eigenvalue is λmax − λ. Gradient
/// descent on a quadratic diverges beyond η = 2/λmax. `None` without points
/// or when no positive λ is found.
pub fn sharpness(
    objective: &Objective,
    p: &Parameters,
    start: &mut Vec<f64>,
    iterations: usize,
) -> Option<f64> {
    let theta = p.to_vec();
    let n = theta.len();
    let hessian_times = |v: &[f64]| -> Option<Vec<f64>> {
        let plus =
            objective.gradient_vector(&objective.parameters(&moved(&theta, HESSIAN_STEP, v)))?;
        let minus =
            objective.gradient_vector(&objective.parameters(&moved(&theta, -HESSIAN_STEP, v)))?;
        Some(
            plus.iter()
                .zip(&minus)
                .map(|(a, b)| (a - b) / (2.0 * HESSIAN_STEP))
                .collect(),
        )
    };
    let usable = start.len() == n && norm(start) > 0.0 && start.iter().all(|x| x.is_finite());
    let first = if usable {
        start.clone()
    } else {
        random_unit(n, 0)
    };
    let (lambda, v) = power_iteration(&hessian_times, first, 0.0, iterations)?;
    if lambda > 0.0 {
        *start = v;
        return Some(lambda);
    }
    let (shifted, v) = power_iteration(&hessian_times, random_unit(n, 1), lambda, 2 * iterations)?;
    let lambda_max = shifted + lambda;
    *start = v;
    (lambda_max > 0.0 && lambda_max.is_finite()).then_some(lambda_max)
}

/// A random unit vector of `n` entries.
fn random_unit(n: usize, seed: u32) -> Vec<f64> {
    let mut rng = RandomState::new(seed);
    let v: Vec<f64> = (0..n).map(|_| rng.randn()).collect();
    let size = norm(&v);
    v.iter().map(|x| x / size).collect()
}

/// The eigenvalue largest in size of A − shift·I (A given by `times`) and
/// its vector, from `v` by `iterations` rounds; `None` when A·v vanishes or
/// is not finite.
fn power_iteration(
    times: &dyn Fn(&[f64]) -> Option<Vec<f64>>,
    mut v: Vec<f64>,
    shift: f64,
    iterations: usize,
) -> Option<(f64, Vec<f64>)> {
    let length = norm(&v);
    v.iter_mut().for_each(|x| *x /= length);
    let mut value = f64::NAN;
    for _ in 0..iterations.max(1) {
        let image: Vec<f64> = times(&v)?
            .iter()
            .zip(&v)
            .map(|(a, x)| a - shift * x)
            .collect();
        value = dot(&v, &image);
        let size = norm(&image);
        if !(size > 0.0 && size.is_finite()) {
            return None;
        }
        v = image.iter().map(|x| x / size).collect();
    }
    value.is_finite().then_some((value, v))
}

// ---- the trail of parameters ----

/// The parameters every `spacing` iterations of the run, at most
/// [`TRAIL_CAPACITY`] of them: when full, every other one goes and the
/// spacing doubles, so the trail covers the whole run in bounded memory.
#[derive(Clone, Debug, Default)]
pub struct Trail {
    spacing: u64,
    /// `(iteration, parameters)`, oldest first.
    snapshots: Vec<(u64, Vec<f64>)>,
}

impl Trail {
    pub fn new() -> Trail {
        Trail {
            spacing: 1,
            snapshots: Vec::new(),
        }
    }

    pub fn clear(&mut self) {
        self.spacing = 1;
        self.snapshots.clear();
    }

    /// Keeps `p` at `iteration` when it is due. A run that went back (a
    /// reset) or changed shape starts a new trail.
    pub fn record(&mut self, iteration: u64, p: &Parameters) {
        let count = p.iter().count();
        if let Some((last, values)) = self.snapshots.last() {
            if iteration < *last || values.len() != count {
                self.clear();
            } else if iteration < last + self.spacing {
                return;
            }
        }
        self.snapshots.push((iteration, p.to_vec()));
        if self.snapshots.len() > TRAIL_CAPACITY {
            let kept: Vec<_> = self.snapshots.drain(..).step_by(2).collect();
            self.snapshots = kept;
            self.spacing *= 2;
        }
    }

    pub fn snapshots(&self) -> &[(u64, Vec<f64>)] {
        &self.snapshots
    }

    pub fn len(&self) -> usize {
        self.snapshots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snapshots.is_empty()
    }
}

// ---- the landscape ----

/// How the plane through the parameters is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directions {
    /// Two random directions, each unit's weights scaled to the norm of that
    /// unit's weights in θ, biases left out (Li et al. 2018's filter normalisation).
    Random { seed: u32 },
    /// The two main directions (PCA) of the trail's parameters around θ.
    Path,
}

/// Why a landscape could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LandscapeError {
    NoPoints,
    ShortPath,
    BadSize(usize),
}

impl std::fmt::Display for LandscapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            LandscapeError::NoPoints => write!(f, "there are no points, so there is no cost"),
            LandscapeError::ShortPath => write!(
                f,
                "the path so far has not moved in two directions yet: train a while first, or use random directions"
            ),
            LandscapeError::BadSize(n) => write!(
                f,
                "a landscape is {MIN_GRID} to {MAX_GRID} cells a side, not {n}"
            ),
        }
    }
}

impl std::error::Error for LandscapeError {}

pub const MIN_GRID: usize = 3;
pub const MAX_GRID: usize = 129;

/// J(θ + a·d1 + b·d2) on a `size × size` grid of (a, b), computed coarse
/// to fine; the trail projected onto the plane.
#[derive(Clone, Debug)]
pub struct Landscape {
    objective: Objective,
    theta: Vec<f64>,
    d1: Vec<f64>,
    d2: Vec<f64>,
    size: usize,
    /// a from -extent[0] to extent[0], b from -extent[1] to extent[1].
    extent: [f64; 2],
    /// Row-major, row 0 at b = −extent[1]; cells not yet computed hold
    /// their coarser neighbour's value.
    values: Vec<f64>,
    computed: Vec<bool>,
    /// Cells in the order they are computed, with the stride of their level.
    order: Vec<(u32, u32)>,
    next: usize,
    path: Vec<[f64; 2]>,
}

impl Landscape {
    pub fn new(
        mut objective: Objective,
        p: &Parameters,
        directions: Directions,
        trail: &Trail,
        size: usize,
    ) -> Result<Landscape, LandscapeError> {
        if !(MIN_GRID..=MAX_GRID).contains(&size) {
            return Err(LandscapeError::BadSize(size));
        }
        objective.evaluate(p).ok_or(LandscapeError::NoPoints)?;
        let theta = p.to_vec();
        let offsets: Vec<Vec<f64>> = trail
            .snapshots()
            .iter()
            .filter(|(_, s)| s.len() == theta.len())
            .map(|(_, s)| s.iter().zip(&theta).map(|(a, b)| a - b).collect())
            .collect();
        let (d1, d2) = match directions {
            Directions::Random { seed } => {
                let mut rng = RandomState::new(seed);
                (
                    random_direction(objective.model(), p, &mut rng),
                    random_direction(objective.model(), p, &mut rng),
                )
            }
            Directions::Path => main_directions(&offsets).ok_or(LandscapeError::ShortPath)?,
        };
        let mut path: Vec<[f64; 2]> = offsets.iter().map(|o| project(o, &d1, &d2)).collect();
        path.push([0.0, 0.0]);
        let reach = |k: usize| path.iter().map(|c| c[k].abs()).fold(0.0, f64::max);
        let extent = match directions {
            Directions::Random { .. } => [reach(0).max(1.0), reach(1).max(1.0)],
            Directions::Path => {
                let base = reach(0).max(reach(1)).max(1e-9);
                [
                    (1.25 * reach(0)).max(0.25 * base),
                    (1.25 * reach(1)).max(0.25 * base),
                ]
            }
        };
        Ok(Landscape {
            objective,
            theta,
            d1,
            d2,
            size,
            extent,
            values: vec![f64::NAN; size * size],
            computed: vec![false; size * size],
            order: coarse_to_fine(size),
            next: 0,
            path,
        })
    }

    /// (a, b) of cell (column i, row j).
    pub fn coordinates(&self, i: usize, j: usize) -> [f64; 2] {
        let at = |k: usize, e: f64| -e + 2.0 * e * k as f64 / (self.size - 1) as f64;
        [at(i, self.extent[0]), at(j, self.extent[1])]
    }

    /// The cost at (a, b) on the plane.
    pub fn cost_at(&mut self, a: f64, b: f64) -> f64 {
        let point: Vec<f64> = self
            .theta
            .iter()
            .zip(&self.d1)
            .zip(&self.d2)
            .map(|((t, x), y)| t + a * x + b * y)
            .collect();
        let q = self.objective.parameters(&point);
        self.objective.cost(&q).unwrap_or(f64::NAN)
    }

    /// Computes the next `count` cells (at least one); returns true when all are done.
    pub fn advance(&mut self, count: usize) -> bool {
        let end = (self.next + count.max(1)).min(self.order.len());
        for k in self.next..end {
            let (cell, stride) = self.order[k];
            let (i, j) = (cell as usize % self.size, cell as usize / self.size);
            let [a, b] = self.coordinates(i, j);
            let cost = self.cost_at(a, b);
            self.computed[cell as usize] = true;
            // Until finer levels come, the block this cell starts stands on its value.
            for jj in j..(j + stride as usize).min(self.size) {
                for ii in i..(i + stride as usize).min(self.size) {
                    let c = jj * self.size + ii;
                    if c == cell as usize || !self.computed[c] {
                        self.values[c] = cost;
                    }
                }
            }
        }
        self.next = end;
        self.finished()
    }

    pub fn finished(&self) -> bool {
        self.next == self.order.len()
    }

    /// Cells computed so far.
    pub fn done(&self) -> usize {
        self.next
    }

    pub fn size(&self) -> usize {
        self.size
    }

    pub fn extent(&self) -> [f64; 2] {
        self.extent
    }

    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The trail's parameters projected on the plane, oldest first; the last is θ, (0, 0).
    pub fn path(&self) -> &[[f64; 2]] {
        &self.path
    }
}

/// Every cell once: the corners of a coarse grid first, then each finer
/// level's new cells, with the stride of the level they belong to.
fn coarse_to_fine(size: usize) -> Vec<(u32, u32)> {
    let mut stride = 1;
    while stride * 2 < size {
        stride *= 2;
    }
    let mut seen = vec![false; size * size];
    let mut order = Vec::with_capacity(size * size);
    while stride >= 1 {
        for j in (0..size).step_by(stride) {
            for i in (0..size).step_by(stride) {
                let c = j * size + i;
                if !seen[c] {
                    seen[c] = true;
                    order.push((c as u32, stride as u32));
                }
            }
        }
        stride /= 2;
    }
    order
}

/// A random direction in the layout of `p`, each unit's incoming weights
/// scaled to the norm of the same unit's weights in `p`; biases zero.
fn random_direction(model: &Model, p: &Parameters, rng: &mut RandomState) -> Vec<f64> {
    let mut d = Parameters::zeros(model);
    for (dw, w) in d.w.iter_mut().zip(&p.w) {
        for r in 0..w.rows {
            let row = r * w.cols..(r + 1) * w.cols;
            let target = norm(&w.data[row.clone()]);
            let values: Vec<f64> = (0..w.cols).map(|_| rng.randn()).collect();
            let size = norm(&values);
            for (slot, v) in dw.data[row].iter_mut().zip(&values) {
                *slot = if size > 0.0 { v / size * target } else { 0.0 };
            }
        }
    }
    d.to_vec()
}

/// The two leading principal directions (unit, orthogonal) of `offsets`
/// about their mean, by power iteration with deflation; `None` when the
/// offsets do not span two directions.
fn main_directions(offsets: &[Vec<f64>]) -> Option<(Vec<f64>, Vec<f64>)> {
    if offsets.len() < 3 {
        return None;
    }
    let n = offsets[0].len();
    let mean: Vec<f64> = (0..n)
        .map(|k| offsets.iter().map(|o| o[k]).sum::<f64>() / offsets.len() as f64)
        .collect();
    let centred: Vec<Vec<f64>> = offsets
        .iter()
        .map(|o| o.iter().zip(&mean).map(|(a, b)| a - b).collect())
        .collect();
    let total: f64 = centred.iter().map(|c| dot(c, c)).sum();
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    // C·v = Σ c (c·v), never forming the n × n covariance.
    let apply = |v: &[f64]| -> Vec<f64> {
        let mut out = vec![0.0; n];
        for c in &centred {
            let s = dot(c, v);
            out.iter_mut().zip(c).for_each(|(o, x)| *o += s * x);
        }
        out
    };
    let leading = |deflate: Option<&[f64]>, seed: u32| -> Option<(Vec<f64>, f64)> {
        let mut rng = RandomState::new(seed);
        let mut v: Vec<f64> = (0..n).map(|_| rng.randn()).collect();
        let mut value = 0.0;
        for _ in 0..200 {
            if let Some(u) = deflate {
                let s = dot(&v, u);
                v.iter_mut().zip(u).for_each(|(x, y)| *x -= s * y);
            }
            let size = norm(&v);
            if size <= 0.0 || size.is_nan() {
                return None;
            }
            v.iter_mut().for_each(|x| *x /= size);
            let next = apply(&v);
            value = dot(&v, &next);
            v = next;
        }
        if let Some(u) = deflate {
            let s = dot(&v, u);
            v.iter_mut().zip(u).for_each(|(x, y)| *x -= s * y);
        }
        let size = norm(&v);
        (size > 0.0).then(|| (v.iter().map(|x| x / size).collect(), value))
    };
    let (first, _) = leading(None, 1)?;
    let (second, variance) = leading(Some(&first), 2)?;
    // A path along one line has no second direction worth a plane.
    (variance > 1e-9 * total).then_some((first, second))
}

/// The (a, b) with a·d1 + b·d2 nearest `offset` (least squares).
fn project(offset: &[f64], d1: &[f64], d2: &[f64]) -> [f64; 2] {
    let (g11, g12, g22) = (dot(d1, d1), dot(d1, d2), dot(d2, d2));
    let (r1, r2) = (dot(offset, d1), dot(offset, d2));
    let det = g11 * g22 - g12 * g12;
    if det.abs() <= 1e-300 {
        return [0.0, 0.0];
    }
    [(r1 * g22 - r2 * g12) / det, (r2 * g11 - r1 * g12) / det]
}

// ---- which points drive the update ----

/// |A[L] − y| for every point: its share of dZ[L], the error backpropagation starts from.
pub fn residuals(model: &Model, p: &Parameters, x1: &[f64], x2: &[f64], y: &[f64]) -> Vec<f64> {
    const BLOCK: usize = 1024;
    let mut out = Vec::with_capacity(y.len());
    for start in (0..y.len()).step_by(BLOCK) {
        let end = (start + BLOCK).min(y.len());
        let x = deep::feature_matrix(model.features, &x1[start..end], &x2[start..end]);
        let mut caches = Caches::new(model, end - start);
        caches.a[0] = x;
        deep::l_model_forward(p, model, &mut caches);
        out.extend(
            caches
                .output()
                .data
                .iter()
                .zip(&y[start..end])
                .map(|(a, y)| (a - y).abs()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data;
    use crate::trainer::Trainer;

    fn run(model: &str, points: usize) -> Trainer {
        let (features, layers, act) = match model {
            "deep" => ("x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2", "8,8,8,8,8,8", "tanh"),
            "relu" => ("x1,x2", "8,8", "relu"),
            _ => ("x1,x2", "4", "tanh"),
        };
        let init = match model {
            "relu" => "he",
            "deep" => "xavier",
            _ => "tutorial",
        };
        let model = Model::parse(features, layers, act, init).unwrap();
        Trainer::with_model(data::flower(points, 1).unwrap(), model, 2).unwrap()
    }

    fn objective(t: &Trainer) -> Objective {
        Objective::new(t.model(), t.batch(), t.training())
    }

    fn check(t: &Trainer, planted: bool) -> GradientCheck {
        let mut c = GradientCheck::new(objective(t), t.params(), t.points(), planted).unwrap();
        while !c.finished() {
            c.advance(5);
        }
        c
    }

    #[test]
    fn the_gradient_check_passes_backpropagation_and_catches_the_planted_mistake() {
        for model in ["tutorial", "relu", "deep"] {
            let mut t = run(model, 400);
            for _ in 0..2 {
                let c = check(&t, false);
                let d = c.difference().unwrap();
                assert!(d < 1e-7, "{model}: {d}");
                assert!(c.entry_differences().iter().all(|e| e.is_finite()));
                let wrong = check(&t, true).difference().unwrap();
                assert!(wrong > 1e-3, "{model} planted: {wrong}");
                t.step(200);
            }
        }
    }

    #[test]
    fn the_gradient_check_agrees_with_the_readable_one() {
        let t = run("tutorial", 400);
        let model = t.model();
        let points = t.points();
        let x = deep::feature_matrix(model.features, &points.x, &points.y);
        let y = crate::matrix::Matrix::from_vec(1, points.len(), points.label.clone());
        let c = check(&t, false);
        let (approx, relative) = deep::gradient_check(
            model,
            t.params(),
            &x,
            &y,
            c.backprop(),
            GRADIENT_CHECK_EPSILON,
        );
        for (a, b) in approx.iter().zip(c.approx()) {
            assert!((a - b).abs() < 1e-8, "{a} vs {b}");
        }
        // Summed point by point, the differences are cleaner than the readable check's.
        assert!(c.difference().unwrap() < relative / 10.0, "{relative}");
    }

    #[test]
    fn the_next_step_at_the_learning_rate_is_the_real_steps_cost() {
        for model in ["tutorial", "relu"] {
            let mut t = run(model, 400);
            t.step(50);
            let eta = t.learning_rate();
            let ahead = next_step(&mut objective(&t), t.params(), &[0.001, eta, 10.0]).unwrap();
            assert_eq!(ahead.cost, t.cost().unwrap());
            t.step(1);
            let after = t.cost().unwrap();
            assert!(
                (ahead.costs[1] - after).abs() < 1e-12,
                "{} vs {after}",
                ahead.costs[1]
            );
            assert_eq!(ahead.accuracies[1], t.accuracy().unwrap());
        }
    }

    #[test]
    fn log_rates_span_the_axis() {
        let r = log_rates(0.001, 10.0, 5);
        assert_eq!(r.len(), 5);
        assert!((r[0] - 0.001).abs() < 1e-15 && (r[4] - 10.0).abs() < 1e-12);
        assert!((r[2] - 0.1).abs() < 1e-15);
    }

    #[test]
    fn sharpness_is_the_hessians_largest_eigenvalue() {
        let mut t = run("tutorial", 400);
        t.step(2000);
        let o = objective(&t);
        let mut v = Vec::new();
        let lambda = sharpness(&o, t.params(), &mut v, 60).unwrap();
        // The Hessian by finite differences of gradients, column by column.
        let theta = t.params().to_vec();
        let n = theta.len();
        let hv = |d: &[f64]| -> Vec<f64> {
            let g = |s: f64| {
                o.gradient_vector(&o.parameters(&moved(&theta, s, d)))
                    .unwrap()
            };
            let (a, b) = (g(HESSIAN_STEP), g(-HESSIAN_STEP));
            a.iter()
                .zip(&b)
                .map(|(a, b)| (a - b) / (2.0 * HESSIAN_STEP))
                .collect()
        };
        // v is an eigenvector with eigenvalue λ ...
        let image = hv(&v);
        let residual: Vec<f64> = image.iter().zip(&v).map(|(h, x)| h - lambda * x).collect();
        assert!(norm(&residual) < 1e-3 * lambda, "{}", norm(&residual));
        // ... and no direction curves more.
        let mut rng = RandomState::new(5);
        for _ in 0..40 {
            let d: Vec<f64> = (0..n).map(|_| rng.randn()).collect();
            let d: Vec<f64> = d.iter().map(|x| x / norm(&d)).collect();
            assert!(dot(&d, &hv(&d)) <= lambda * (1.0 + 1e-6));
        }
        // A plain gradient step of 1/λ lowers the cost.
        let rates = [1.0 / lambda];
        let ahead = next_step(&mut objective(&t), t.params(), &rates).unwrap();
        assert!(ahead.costs[0] < ahead.cost, "{ahead:?}");
    }

    #[test]
    fn the_landscape_at_its_centre_is_the_current_cost() {
        let mut t = run("tutorial", 400);
        let mut trail = Trail::new();
        for _ in 0..30 {
            trail.record(t.iteration(), t.params());
            t.step(50);
        }
        let cost = t.cost().unwrap();
        for directions in [Directions::Random { seed: 3 }, Directions::Path] {
            let mut l = Landscape::new(objective(&t), t.params(), directions, &trail, 21).unwrap();
            // The coarsest level (stride 16: columns and rows 0 and 16) first;
            // until the finer levels come, its values stand in everywhere.
            assert!(!l.advance(4));
            assert!(l.values().iter().all(|v| v.is_finite()));
            assert_eq!(l.values()[20 * 21 + 20], l.values()[16 * 21 + 16]);
            while !l.advance(7) {}
            let centre = l.values()[10 * 21 + 10];
            assert_eq!(l.coordinates(10, 10), [0.0, 0.0]);
            assert!((centre - cost).abs() < 1e-12, "{centre} vs {cost}");
            assert_eq!(*l.path().last().unwrap(), [0.0, 0.0]);
            assert_eq!(l.path().len(), 31);
            // Every cell is its own cost, not a coarse neighbour's.
            let [a, b] = l.coordinates(3, 17);
            let direct = l.cost_at(a, b);
            assert_eq!(l.values()[17 * 21 + 3], direct);
        }
        // Along the path's main directions, the path lies in the plane's extent.
        let l = Landscape::new(objective(&t), t.params(), Directions::Path, &trail, 21).unwrap();
        let [ea, eb] = l.extent();
        assert!(
            l.path()
                .iter()
                .all(|p| p[0].abs() <= ea && p[1].abs() <= eb)
        );
        // The first point, far from θ, projects away from the centre.
        assert!(l.path()[0][0].hypot(l.path()[0][1]) > 0.1 * ea);
    }

    #[test]
    fn a_landscape_needs_points_a_path_and_a_sane_size() {
        let t = run("tutorial", 400);
        let trail = Trail::new();
        let o = objective(&t);
        let make = |d, size| Landscape::new(o.clone(), t.params(), d, &trail, size).err();
        assert_eq!(make(Directions::Path, 21), Some(LandscapeError::ShortPath));
        assert_eq!(
            make(Directions::Random { seed: 1 }, 2),
            Some(LandscapeError::BadSize(2))
        );
        assert_eq!(make(Directions::Random { seed: 1 }, 21), None);
        let empty = Trainer::with_model(data::Points::new(), Model::default(), 2).unwrap();
        let e = Landscape::new(
            objective(&empty),
            empty.params(),
            Directions::Random { seed: 1 },
            &trail,
            9,
        );
        assert_eq!(e.err(), Some(LandscapeError::NoPoints));
        assert!(
            GradientCheck::new(objective(&empty), empty.params(), empty.points(), false).is_none()
        );
    }

    #[test]
    fn random_directions_are_normalised_per_unit() {
        let mut t = run("deep", 400);
        t.step(10);
        let d = random_direction(t.model(), t.params(), &mut RandomState::new(4));
        let dp = Parameters::from_flat(t.model(), &d).unwrap();
        for (dw, w) in dp.w.iter().zip(&t.params().w) {
            for r in 0..w.rows {
                let row = r * w.cols..(r + 1) * w.cols;
                let (a, b) = (norm(&dw.data[row.clone()]), norm(&w.data[row]));
                assert!((a - b).abs() <= 1e-12 * b.max(1.0));
            }
        }
        assert!(dp.b.iter().all(|b| b.data.iter().all(|&v| v == 0.0)));
    }

    #[test]
    fn the_trail_stays_bounded_and_covers_the_run() {
        let t = run("tutorial", 40);
        let mut trail = Trail::new();
        for i in 0..10_000 {
            trail.record(i, t.params());
        }
        assert!(trail.len() <= TRAIL_CAPACITY && trail.len() > TRAIL_CAPACITY / 2);
        assert_eq!(trail.snapshots()[0].0, 0);
        assert!(trail.snapshots().last().unwrap().0 > 9_000);
        // A reset (the iteration going back) starts again.
        trail.record(3, t.params());
        assert_eq!(trail.len(), 1);
    }

    #[test]
    fn residuals_are_each_points_error() {
        let t = run("tutorial", 2100);
        let p = t.points();
        let r = residuals(t.model(), t.params(), &p.x, &p.y, &p.label);
        assert_eq!(r.len(), 2100);
        for i in [0, 1023, 1024, 2099] {
            let trace = fused::trace_point(t.model(), t.params(), p.x[i], p.y[i]);
            let a = trace[trace.len() - 1];
            assert!((r[i] - (a - p.label[i]).abs()).abs() < 1e-12);
        }
    }
}
