//! The analytic gradients against centred finite differences of the cost.

use planar::fused::{self, Batch};
use planar::matrix::Matrix;
use planar::network::{self, Cache, Gradients, N_X, Parameters};
use proptest::prelude::*;

fn cost(p: &Parameters, x: &Matrix, y: &Matrix) -> f64 {
    let mut cache = Cache::new(p.n_h(), x.cols);
    network::forward_propagation(x, p, &mut cache);
    network::compute_cost(&cache, y).unwrap()
}

/// The parameter matrices of `p` by index, in the order W1, b1, W2, b2.
fn matrix_mut(p: &mut Parameters, which: usize) -> &mut Matrix {
    [&mut p.w1, &mut p.b1, &mut p.w2, &mut p.b2]
        .into_iter()
        .nth(which)
        .unwrap()
}

fn case() -> impl Strategy<Value = (Parameters, Matrix, Matrix)> {
    (1..=8usize, 1..40usize).prop_flat_map(|(n_h, m)| {
        let weights = prop::collection::vec(-2.0..2.0f64, n_h * N_X + 2 * n_h + 1);
        let xs = prop::collection::vec(-4.0..4.0f64, N_X * m);
        let ys = prop::collection::vec(prop::bool::ANY, m);
        (weights, xs, ys).prop_map(move |(w, xs, ys)| {
            let p = Parameters {
                w1: Matrix::from_vec(n_h, N_X, w[..2 * n_h].to_vec()),
                b1: Matrix::from_vec(n_h, 1, w[2 * n_h..3 * n_h].to_vec()),
                w2: Matrix::from_vec(1, n_h, w[3 * n_h..4 * n_h].to_vec()),
                b2: Matrix::from_vec(1, 1, w[4 * n_h..].to_vec()),
            };
            let y = ys.into_iter().map(|b| f64::from(u8::from(b))).collect();
            (p, Matrix::from_vec(N_X, m, xs), Matrix::from_vec(1, m, y))
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn analytic_gradients_match_finite_differences((p, x, y) in case()) {
        let mut cache = Cache::new(p.n_h(), x.cols);
        network::forward_propagation(&x, &p, &mut cache);
        let mut grads = Gradients::new(p.n_h(), x.cols);
        network::backward_propagation(&p, &cache, &x, &y, &mut grads);
        // The fast path's gradients too: a step at learning rate 0 computes
        // them and leaves the parameters as they were.
        let mut batch = Batch::default();
        batch.load(x.row(0), x.row(1), &y.data);
        let mut fast = Gradients::new(p.n_h(), 0);
        fused::train_step(&mut p.clone(), &batch, 0.0, &mut fast);
        for (name, analytic) in [("tutorial-shaped", &grads), ("fused", &fast)] {
            let error = relative_error(&p, &x, &y, analytic);
            prop_assert!(error < 1e-6, "{name}: relative error {error:e}");
        }
    }
}

/// The course's gradient check, ‖grad - approx‖ / (‖grad‖ + ‖approx‖), with
/// approx from centred finite differences of the cost.
fn relative_error(p: &Parameters, x: &Matrix, y: &Matrix, grads: &Gradients) -> f64 {
    let analytic = [&grads.dw1, &grads.db1, &grads.dw2, &grads.db2];

    let h = 1e-5;
    let (mut difference, mut analytic_norm, mut numeric_norm) = (0.0f64, 0.0f64, 0.0f64);
    for (which, gradient) in analytic.iter().enumerate() {
        for (i, &a) in gradient.data.iter().enumerate() {
            let mut plus = p.clone();
            matrix_mut(&mut plus, which).data[i] += h;
            let mut minus = p.clone();
            matrix_mut(&mut minus, which).data[i] -= h;
            let numeric = (cost(&plus, x, y) - cost(&minus, x, y)) / (2.0 * h);
            difference += (a - numeric).powi(2);
            analytic_norm += a * a;
            numeric_norm += numeric * numeric;
        }
    }
    difference.sqrt() / (analytic_norm.sqrt() + numeric_norm.sqrt())
}
