//! The course's L-layer network, function by function, on [`Matrix`]: any
//! [`Model`] (features, hidden layers with their activations, one sigmoid
//! output), written to be read beside the course's "deep neural network
//! step by step" and `course_numpy.py`.
//!
//! Shapes, with m points and n[l] units in layer l (n[0] features, n[L] = 1):
//! X and A[0] are `n[0] x m`, Y is `1 x m`, W[l] is `n[l] x n[l−1]`, b[l] is
//! `n[l] x 1`, Z[l] and A[l] are `n[l] x m`. Index l − 1 of a `Vec` holds
//! layer l's matrix (`p.w[0]` is W1).
//!
//! These functions are the reference the fast path ([`crate::fused`]) is
//! tested against; [`crate::network`] is the tutorial's 2-layer case, kept
//! under the tutorial's own names.

use crate::matrix::{self, Matrix};
use crate::model::{Activation, Features, Model};
use crate::network::point_cost;
use crate::rng::RandomState;

/// W[l] and b[l] for l = 1..L.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameters {
    /// `w[l - 1]` is W[l], `n[l] x n[l−1]`.
    pub w: Vec<Matrix>,
    /// `b[l - 1]` is b[l], `n[l] x 1`.
    pub b: Vec<Matrix>,
}

impl Parameters {
    /// All zero, shaped for `model`.
    pub fn zeros(model: &Model) -> Parameters {
        let shape = |l: usize| (model.units(l), model.units(l - 1));
        Parameters {
            w: (1..=model.depth())
                .map(|l| Matrix::zeros(shape(l).0, shape(l).1))
                .collect(),
            b: (1..=model.depth())
                .map(|l| Matrix::zeros(model.units(l), 1))
                .collect(),
        }
    }

    /// Every parameter in the flat order of [`Model::layout`]: W1, b1, W2, b2, ...
    pub fn iter(&self) -> impl Iterator<Item = &f64> {
        self.w
            .iter()
            .zip(&self.b)
            .flat_map(|(w, b)| w.data.iter().chain(&b.data))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut f64> {
        self.w
            .iter_mut()
            .zip(self.b.iter_mut())
            .flat_map(|(w, b)| w.data.iter_mut().chain(b.data.iter_mut()))
    }

    pub fn to_vec(&self) -> Vec<f64> {
        self.iter().copied().collect()
    }

    /// Parameters of `model` from the flat order of [`Model::layout`], or
    /// `None` when `values` has the wrong length.
    pub fn from_flat(model: &Model, values: &[f64]) -> Option<Parameters> {
        if values.len() != model.parameter_count() {
            return None;
        }
        let mut p = Parameters::zeros(model);
        for (slot, &v) in p.iter_mut().zip(values) {
            *slot = v;
        }
        Some(p)
    }

    pub fn is_finite(&self) -> bool {
        self.iter().all(|v| v.is_finite())
    }

    /// L, the number of layers with weights.
    pub fn depth(&self) -> usize {
        self.w.len()
    }
}

/// The course's `initialize_parameters_deep`: one `RandomState(seed)`, and
/// for l = 1..L in order W[l] = randn(n[l], n[l−1]) × scale, b[l] = 0.
/// For the tutorial's model and seed 2 these are the tutorial's weights.
pub fn initialize_parameters_deep(model: &Model, seed: u32) -> Parameters {
    let mut rng = RandomState::new(seed);
    let mut p = Parameters::zeros(model);
    for (l, w) in (1..).zip(p.w.iter_mut()) {
        let scale = model.init.scale(model.units(l - 1));
        for v in &mut w.data {
            *v = rng.randn() * scale;
        }
    }
    p
}

/// X, `n[0] x m`: the model's features of each point (x1[i], x2[i]), one row
/// per feature in [`crate::model::Feature::ALL`]'s order.
pub fn feature_matrix(features: Features, x1: &[f64], x2: &[f64]) -> Matrix {
    let m = x1.len();
    let mut x = Matrix::zeros(features.count(), m);
    for (row, f) in features.iter().enumerate() {
        for i in 0..m {
            x.data[row * m + i] = f.value(x1[i], x2[i]);
        }
    }
    x
}

/// What the forward pass keeps for the backward pass.
#[derive(Clone, Debug)]
pub struct Caches {
    /// `z[l - 1]` is Z[l] = W[l]·A[l−1] + b[l], `n[l] x m`.
    pub z: Vec<Matrix>,
    /// `a[l]` is A[l] = g[l](Z[l]), `n[l] x m`; `a[0]` is X.
    pub a: Vec<Matrix>,
}

impl Caches {
    pub fn new(model: &Model, m: usize) -> Caches {
        Caches {
            z: (1..=model.depth())
                .map(|l| Matrix::zeros(model.units(l), m))
                .collect(),
            a: (0..=model.depth())
                .map(|l| Matrix::zeros(model.units(l), m))
                .collect(),
        }
    }

    /// A[L], `1 x m`: each point's P(class 1).
    pub fn output(&self) -> &Matrix {
        self.a.last().expect("A[0] at least")
    }
}

/// The course's `linear_forward`: Z = W·A_prev + b.
pub fn linear_forward(a_prev: &Matrix, w: &Matrix, b: &Matrix, z: &mut Matrix) {
    matrix::matmul(w, a_prev, z);
    matrix::add_column(z, b);
}

/// The course's `linear_activation_forward`: Z = W·A_prev + b, A = g(Z).
pub fn linear_activation_forward(
    a_prev: &Matrix,
    w: &Matrix,
    b: &Matrix,
    activation: Activation,
    z: &mut Matrix,
    a: &mut Matrix,
) {
    linear_forward(a_prev, w, b, z);
    matrix::map(z, a, |z| activation.apply(z));
}

/// The course's `L_model_forward`: layer by layer from `caches.a[0]` (X,
/// which the caller fills, e.g. with [`feature_matrix`]); the output layer
/// is a sigmoid. Leaves Z[l], A[l] in `caches`.
pub fn l_model_forward(p: &Parameters, model: &Model, caches: &mut Caches) {
    for l in 1..=model.depth() {
        let (before, after) = caches.a.split_at_mut(l);
        linear_activation_forward(
            &before[l - 1],
            &p.w[l - 1],
            &p.b[l - 1],
            model.activation(l),
            &mut caches.z[l - 1],
            &mut after[0],
        );
    }
}

/// J = −(1/m) Σ (Y log A[L] + (1 − Y) log(1 − A[L])), or `None` for no
/// points; computed from Z[L] through a stable log-sigmoid, so it is never inf.
pub fn compute_cost(caches: &Caches, y: &Matrix) -> Option<f64> {
    let m = y.cols;
    if m == 0 {
        return None;
    }
    let z_out = caches.z.last().expect("L >= 1");
    let total: f64 = z_out
        .data
        .iter()
        .zip(&y.data)
        .map(|(&z, &y)| point_cost(z, y))
        .sum();
    Some(total / m as f64)
}

/// dW[l], db[l] for l = 1..L, and the dZ[l] the backward pass computes on
/// the way (`n[l] x m`, index l − 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients {
    pub dw: Vec<Matrix>,
    pub db: Vec<Matrix>,
    pub dz: Vec<Matrix>,
}

impl Gradients {
    pub fn new(model: &Model, m: usize) -> Gradients {
        let zeros = Parameters::zeros(model);
        Gradients {
            dw: zeros.w,
            db: zeros.b,
            dz: (1..=model.depth())
                .map(|l| Matrix::zeros(model.units(l), m))
                .collect(),
        }
    }

    /// dW1, db1, dW2, db2, ... in the flat order of [`Model::layout`].
    pub fn iter(&self) -> impl Iterator<Item = &f64> {
        self.dw
            .iter()
            .zip(&self.db)
            .flat_map(|(w, b)| w.data.iter().chain(&b.data))
    }

    pub fn to_vec(&self) -> Vec<f64> {
        self.iter().copied().collect()
    }
}

/// The course's `linear_backward`, given dZ[l]: dW[l] = dZ[l]·A[l−1]ᵀ / m and
/// db[l] = Σ dZ[l] / m (along the points).
pub fn linear_backward(dz: &Matrix, a_prev: &Matrix, dw: &mut Matrix, db: &mut Matrix) {
    let m = dz.cols;
    matrix::matmul_transpose_b(dz, a_prev, dw);
    matrix::row_sums(dz, db);
    if m > 0 {
        let m = m as f64;
        dw.data.iter_mut().for_each(|v| *v /= m);
        db.data.iter_mut().for_each(|v| *v /= m);
    }
}

/// The course's `L_model_backward`: dZ[L] = A[L] − Y (sigmoid and
/// cross-entropy together), then for l = L..1: dW[l], db[l] from dZ[l], and
/// dZ[l−1] = W[l]ᵀ·dZ[l] ⊙ g[l−1]'(Z[l−1]). With no points every gradient is zero.
pub fn l_model_backward(
    p: &Parameters,
    model: &Model,
    caches: &Caches,
    y: &Matrix,
    grads: &mut Gradients,
) {
    let depth = model.depth();
    matrix::zip_map(caches.output(), y, &mut grads.dz[depth - 1], |a, y| a - y);
    for l in (1..=depth).rev() {
        linear_backward(
            &grads.dz[l - 1],
            &caches.a[l - 1],
            &mut grads.dw[l - 1],
            &mut grads.db[l - 1],
        );
        if l > 1 {
            let (below, here) = grads.dz.split_at_mut(l - 1);
            let dz_prev = &mut below[l - 2];
            matrix::matmul_transpose_a(&p.w[l - 1], &here[0], dz_prev);
            let g = model.activation(l - 1);
            let (z, a) = (&caches.z[l - 2], &caches.a[l - 1]);
            for ((d, &z), &a) in dz_prev.data.iter_mut().zip(&z.data).zip(&a.data) {
                *d *= g.derivative(z, a);
            }
        }
    }
}

/// Gradient descent: every parameter moves against its gradient.
pub fn update_parameters(p: &mut Parameters, grads: &Gradients, learning_rate: f64) {
    for (w, dw) in p.w.iter_mut().zip(&grads.dw) {
        matrix::sub_scaled(w, learning_rate, dw);
    }
    for (b, db) in p.b.iter_mut().zip(&grads.db) {
        matrix::sub_scaled(b, learning_rate, db);
    }
}

/// Each point's predicted class: 1 where A[L] > 0.5.
pub fn predict(p: &Parameters, model: &Model, x: &Matrix) -> Vec<u8> {
    let mut caches = Caches::new(model, x.cols);
    caches.a[0] = x.clone();
    l_model_forward(p, model, &mut caches);
    caches
        .output()
        .data
        .iter()
        .map(|&a| u8::from(a > 0.5))
        .collect()
}

/// The percentage of points whose prediction equals their label, or `None` for no points.
pub fn accuracy(p: &Parameters, model: &Model, x: &Matrix, y: &Matrix) -> Option<f64> {
    crate::network::percent_correct(&predict(p, model, x), &y.data)
}

/// The course's `L_layer_model` with full-batch gradient descent:
/// `iterations` rounds of forward, cost, backward, update from the weights
/// of `seed`. Returns the parameters and the cost before each update.
pub fn l_layer_model(
    x: &Matrix,
    y: &Matrix,
    model: &Model,
    iterations: usize,
    learning_rate: f64,
    seed: u32,
) -> (Parameters, Vec<f64>) {
    let mut p = initialize_parameters_deep(model, seed);
    let mut caches = Caches::new(model, x.cols);
    caches.a[0] = x.clone();
    let mut grads = Gradients::new(model, x.cols);
    let mut costs = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        l_model_forward(&p, model, &mut caches);
        costs.extend(compute_cost(&caches, y));
        l_model_backward(&p, model, &caches, y, &mut grads);
        update_parameters(&mut p, &grads, learning_rate);
    }
    (p, costs)
}

/// The course's `gradient_check_n`: each parameter θ_i nudged by ±ε, the
/// centred difference (J(θ + ε e_i) − J(θ − ε e_i)) / 2ε from the readable
/// forward pass, against `grads` (in the flat order of [`Model::layout`]).
/// Returns each approximation and the overall relative difference
/// ‖grad − approx‖ / (‖grad‖ + ‖approx‖); below 2e-7 backpropagation is right.
pub fn gradient_check(
    model: &Model,
    p: &Parameters,
    x: &Matrix,
    y: &Matrix,
    grads: &[f64],
    epsilon: f64,
) -> (Vec<f64>, f64) {
    let mut caches = Caches::new(model, x.cols);
    caches.a[0] = x.clone();
    let mut cost_at = |q: &Parameters| {
        l_model_forward(q, model, &mut caches);
        compute_cost(&caches, y).unwrap_or(0.0)
    };
    let mut nudged = p.clone();
    let mut approx = Vec::with_capacity(grads.len());
    for i in 0..grads.len() {
        let original = *p.iter().nth(i).expect("one gradient per parameter");
        let set = |q: &mut Parameters, v: f64| {
            if let Some(slot) = q.iter_mut().nth(i) {
                *slot = v;
            }
        };
        set(&mut nudged, original + epsilon);
        let plus = cost_at(&nudged);
        set(&mut nudged, original - epsilon);
        let minus = cost_at(&nudged);
        set(&mut nudged, original);
        approx.push((plus - minus) / (2.0 * epsilon));
    }
    let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|x| x * x).sum::<f64>().sqrt();
    let difference = norm(&mut grads.iter().zip(&approx).map(|(g, a)| g - a));
    let scale = norm(&mut grads.iter().copied()) + norm(&mut approx.iter().copied());
    let relative = if scale == 0.0 {
        0.0
    } else {
        difference / scale
    };
    (approx, relative)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network;

    /// For the tutorial's model, these functions are the tutorial's, number for number.
    #[test]
    fn the_tutorials_model_is_the_two_layer_case() {
        let points = crate::data::flower(400, 1).unwrap();
        let model = Model::tutorial(4);
        let x = feature_matrix(model.features, &points.x, &points.y);
        let y = Matrix::from_vec(1, 400, points.label.clone());
        let (p, costs) = l_layer_model(&x, &y, &model, 300, 1.2, 2);
        let (q, tutorial_costs) = network::nn_model(&x, &y, 4, 300, 1.2, 2);
        assert_eq!(costs, tutorial_costs);
        assert_eq!(
            p.to_vec(),
            q.iter().copied().collect::<Vec<_>>(),
            "parameters"
        );
    }
}
