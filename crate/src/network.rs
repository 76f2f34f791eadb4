//! The tutorial's network, function by function, on [`Matrix`].
//!
//! A 2-n_h-1 network: `n_x = 2` inputs (a point's coordinates), `n_h` tanh
//! hidden units, one sigmoid output (P(class 1)). Data come as columns: X is
//! `2 x m`, Y is `1 x m`. These functions are written for reading, and are the
//! reference that the fast path in [`crate::fused`] is tested against.

use crate::matrix::{self, Matrix};
use crate::rng::RandomState;

/// Inputs per point: its two coordinates.
pub const N_X: usize = 2;
/// Hidden widths the network supports.
pub const MIN_HIDDEN: usize = 1;
pub const MAX_HIDDEN: usize = 8;
/// The tutorial's hidden width, learning rate and initialization seed.
pub const DEFAULT_HIDDEN: usize = 4;
pub const DEFAULT_LEARNING_RATE: f64 = 1.2;
pub const TUTORIAL_WEIGHT_SEED: u32 = 2;

/// The network's parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameters {
    /// `n_h x 2`: row j holds hidden unit j's weights on x and y.
    pub w1: Matrix,
    /// `n_h x 1`
    pub b1: Matrix,
    /// `1 x n_h`: the output unit's weight on each hidden unit.
    pub w2: Matrix,
    /// `1 x 1`
    pub b2: Matrix,
}

impl Parameters {
    pub fn n_h(&self) -> usize {
        self.w1.rows
    }

    /// Every parameter, in the order W1, b1, W2, b2 (row-major each).
    pub fn iter(&self) -> impl Iterator<Item = &f64> {
        [&self.w1, &self.b1, &self.w2, &self.b2]
            .into_iter()
            .flat_map(|m| m.data.iter())
    }

    pub fn is_finite(&self) -> bool {
        self.iter().all(|v| v.is_finite())
    }
}

/// What forward propagation keeps for the backward pass.
#[derive(Clone, Debug)]
pub struct Cache {
    /// `n_h x m`: W1·X + b1
    pub z1: Matrix,
    /// `n_h x m`: tanh(Z1)
    pub a1: Matrix,
    /// `1 x m`: W2·A1 + b2
    pub z2: Matrix,
    /// `1 x m`: sigmoid(Z2), P(class 1) for each point
    pub a2: Matrix,
}

impl Cache {
    pub fn new(n_h: usize, m: usize) -> Self {
        Cache {
            z1: Matrix::zeros(n_h, m),
            a1: Matrix::zeros(n_h, m),
            z2: Matrix::zeros(1, m),
            a2: Matrix::zeros(1, m),
        }
    }
}

/// The cost's gradient with respect to each parameter, and the two
/// intermediate gradients the backward pass computes on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients {
    /// `1 x m`: A2 - Y
    pub dz2: Matrix,
    /// `n_h x m`: W2ᵀ·dZ2 ⊙ (1 - A1²)
    pub dz1: Matrix,
    /// `n_h x 2`
    pub dw1: Matrix,
    /// `n_h x 1`
    pub db1: Matrix,
    /// `1 x n_h`
    pub dw2: Matrix,
    /// `1 x 1`
    pub db2: Matrix,
}

impl Gradients {
    pub fn new(n_h: usize, m: usize) -> Self {
        Gradients {
            dz2: Matrix::zeros(1, m),
            dz1: Matrix::zeros(n_h, m),
            dw1: Matrix::zeros(n_h, N_X),
            db1: Matrix::zeros(n_h, 1),
            dw2: Matrix::zeros(1, n_h),
            db2: Matrix::zeros(1, 1),
        }
    }
}

/// W1 and W2 drawn from N(0, 1) x 0.01, biases zero, exactly as
/// `np.random.seed(seed); W1 = np.random.randn(n_h, 2) * 0.01; ...; W2 = np.random.randn(1, n_h) * 0.01`.
/// Small weights keep tanh in its linear range, where learning is fastest.
pub fn initialize_parameters(n_h: usize, seed: u32) -> Parameters {
    let mut rng = RandomState::new(seed);
    let mut draw = |rows, cols| {
        let data = (0..rows * cols).map(|_| rng.randn() * 0.01).collect();
        Matrix::from_vec(rows, cols, data)
    };
    let w1 = draw(n_h, N_X);
    let w2 = draw(1, n_h);
    Parameters {
        w1,
        b1: Matrix::zeros(n_h, 1),
        w2,
        b2: Matrix::zeros(1, 1),
    }
}

/// The logistic function, in numpy's form `1 / (1 + exp(-z))`, which is finite
/// for every z (exp overflowing to inf gives exactly 0).
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// `log(sigmoid(z))`, finite for every finite z: `-(max(-z, 0) + log1p(exp(-|z|)))`.
pub fn log_sigmoid(z: f64) -> f64 {
    -((-z).max(0.0) + (-z.abs()).exp().ln_1p())
}

/// Z1 = W1·X + b1, A1 = tanh(Z1), Z2 = W2·A1 + b2, A2 = sigmoid(Z2).
/// `x` is `2 x m`; `cache` must have been made for this n_h and m.
pub fn forward_propagation(x: &Matrix, p: &Parameters, cache: &mut Cache) {
    matrix::matmul(&p.w1, x, &mut cache.z1);
    matrix::add_column(&mut cache.z1, &p.b1);
    matrix::map(&cache.z1, &mut cache.a1, f64::tanh);
    matrix::matmul(&p.w2, &cache.a1, &mut cache.z2);
    matrix::add_column(&mut cache.z2, &p.b2);
    matrix::map(&cache.z2, &mut cache.a2, sigmoid);
}

/// The cross-entropy cost of one point with label `y` and output pre-activation `z2`:
/// `-(y log A2 + (1 - y) log(1 - A2))`, computed from Z2 so it is never inf.
pub fn point_cost(z2: f64, y: f64) -> f64 {
    -(y * log_sigmoid(z2) + (1.0 - y) * log_sigmoid(-z2))
}

/// J = -(1/m) Σ (Y log A2 + (1 - Y) log(1 - A2)), or `None` for no points.
/// Computed from Z2 through a stable log-sigmoid: equal to the tutorial's
/// formula wherever that is finite, and finite where it would be inf.
pub fn compute_cost(cache: &Cache, y: &Matrix) -> Option<f64> {
    let m = y.cols;
    if m == 0 {
        return None;
    }
    let total: f64 = cache
        .z2
        .data
        .iter()
        .zip(&y.data)
        .map(|(&z, &y)| point_cost(z, y))
        .sum();
    Some(total / m as f64)
}

/// dZ2 = A2 - Y, dW2 = dZ2·A1ᵀ / m, db2 = Σ dZ2 / m,
/// dZ1 = W2ᵀ·dZ2 ⊙ (1 - A1²), dW1 = dZ1·Xᵀ / m, db1 = Σ dZ1 / m.
/// With no points every gradient is zero.
pub fn backward_propagation(
    p: &Parameters,
    cache: &Cache,
    x: &Matrix,
    y: &Matrix,
    grads: &mut Gradients,
) {
    let m = x.cols as f64;
    matrix::zip_map(&cache.a2, y, &mut grads.dz2, |a2, y| a2 - y);
    matrix::matmul_transpose_b(&grads.dz2, &cache.a1, &mut grads.dw2);
    matrix::row_sums(&grads.dz2, &mut grads.db2);
    matrix::matmul_transpose_a(&p.w2, &grads.dz2, &mut grads.dz1);
    // (W2ᵀ·dZ2) ⊙ (1 - A1²): tanh's derivative, from its output.
    for (d, &a) in grads.dz1.data.iter_mut().zip(&cache.a1.data) {
        *d *= 1.0 - a * a;
    }
    matrix::matmul_transpose_b(&grads.dz1, x, &mut grads.dw1);
    matrix::row_sums(&grads.dz1, &mut grads.db1);
    if x.cols > 0 {
        for g in [
            &mut grads.dw1,
            &mut grads.db1,
            &mut grads.dw2,
            &mut grads.db2,
        ] {
            g.data.iter_mut().for_each(|v| *v /= m);
        }
    }
}

/// One step of gradient descent: each parameter moves against its gradient.
pub fn update_parameters(p: &mut Parameters, grads: &Gradients, learning_rate: f64) {
    matrix::sub_scaled(&mut p.w1, learning_rate, &grads.dw1);
    matrix::sub_scaled(&mut p.b1, learning_rate, &grads.db1);
    matrix::sub_scaled(&mut p.w2, learning_rate, &grads.dw2);
    matrix::sub_scaled(&mut p.b2, learning_rate, &grads.db2);
}

/// The predicted class of each point: 1 where A2 > 0.5.
pub fn predict(p: &Parameters, x: &Matrix) -> Vec<u8> {
    let mut cache = Cache::new(p.n_h(), x.cols);
    forward_propagation(x, p, &mut cache);
    cache.a2.data.iter().map(|&a| u8::from(a > 0.5)).collect()
}

/// The percentage of points whose prediction equals their label, or `None` for no points.
pub fn accuracy(p: &Parameters, x: &Matrix, y: &Matrix) -> Option<f64> {
    percent_correct(&predict(p, x), &y.data)
}

/// The percentage of predicted classes equal to their labels, or `None` for none.
pub fn percent_correct(predicted: &[u8], labels: &[f64]) -> Option<f64> {
    if predicted.is_empty() {
        return None;
    }
    let correct = predicted
        .iter()
        .zip(labels)
        .filter(|&(&p, &y)| f64::from(p) == y)
        .count();
    Some(correct as f64 / predicted.len() as f64 * 100.0)
}

/// The tutorial's `nn_model`: `iterations` rounds of forward, cost, backward,
/// update from the parameters of `seed`. Returns the parameters and the cost
/// before each update (none with no points).
pub fn nn_model(
    x: &Matrix,
    y: &Matrix,
    n_h: usize,
    iterations: usize,
    learning_rate: f64,
    seed: u32,
) -> (Parameters, Vec<f64>) {
    let mut p = initialize_parameters(n_h, seed);
    let mut cache = Cache::new(n_h, x.cols);
    let mut grads = Gradients::new(n_h, x.cols);
    let mut costs = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        forward_propagation(x, &p, &mut cache);
        costs.extend(compute_cost(&cache, y));
        backward_propagation(&p, &cache, x, y, &mut grads);
        update_parameters(&mut p, &grads, learning_rate);
    }
    (p, costs)
}
