//! One training step fused over points: the fast path the trainer runs.
//!
//! [`crate::network`] computes each stage over all m points before the next
//! (Z1, then A1, then Z2, ...), as the tutorial does. Here every stage runs on
//! a block of [`LANES`] points while they are in registers, and the gradients
//! are summed on the way, so one pass over the data does forward, cost,
//! backward and the sums. The hidden width is a const generic, so the loops
//! over units unroll, and the loops over a block's points vectorize (f64x2 in
//! wasm, SSE2/AVX natively) because [`crate::fastmath`] has no libm calls.
//!
//! Tests hold it to the tutorial-shaped functions to 1e-12 on random data.

// Indexed loops over lanes and units are the shape LLVM vectorizes.
#![allow(clippy::needless_range_loop)]

use crate::fastmath;
use crate::network::{Gradients, MAX_HIDDEN, N_X, Parameters};

/// Points processed together.
pub const LANES: usize = 8;

/// The points as the kernel reads them: X's two rows and Y, padded with
/// zero-weight points up to a multiple of [`LANES`].
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub x0: Vec<f64>,
    pub x1: Vec<f64>,
    pub y: Vec<f64>,
    /// 1 for a real point, 0 for padding.
    pub weight: Vec<f64>,
    /// The number of real points, m.
    pub m: usize,
}

impl Batch {
    /// Copies the points in, reusing the buffers.
    pub fn load(&mut self, x0: &[f64], x1: &[f64], y: &[f64]) {
        let m = x0.len();
        let padded = m.div_ceil(LANES) * LANES;
        self.m = m;
        for (buffer, source) in [(&mut self.x0, x0), (&mut self.x1, x1), (&mut self.y, y)] {
            buffer.clear();
            buffer.extend_from_slice(source);
            buffer.resize(padded, 0.0);
        }
        self.weight.clear();
        self.weight.resize(m, 1.0);
        self.weight.resize(padded, 0.0);
    }
}

/// The cost and training accuracy of one set of parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    /// Mean cross-entropy.
    pub cost: f64,
    /// Percentage of points classified correctly.
    pub accuracy: f64,
}

/// The network's parameters copied into fixed-size arrays for the kernel.
struct Weights<const H: usize> {
    w1: [[f64; N_X]; H],
    b1: [f64; H],
    w2: [f64; H],
    b2: f64,
}

impl<const H: usize> Weights<H> {
    fn of(p: &Parameters) -> Self {
        Weights {
            w1: std::array::from_fn(|j| [p.w1.get(j, 0), p.w1.get(j, 1)]),
            b1: std::array::from_fn(|j| p.b1.data[j]),
            w2: std::array::from_fn(|j| p.w2.data[j]),
            b2: p.b2.data[0],
        }
    }
}

type Lanes = [f64; LANES];

/// A block's forward pass: A1 (`H x LANES`) and Z2, A2 (`LANES`).
struct Forward<const H: usize> {
    a1: [Lanes; H],
    z2: Lanes,
    a2: Lanes,
}

#[inline(always)]
fn forward_block<const H: usize>(w: &Weights<H>, x0: &Lanes, x1: &Lanes) -> Forward<H> {
    let mut a1 = [[0.0; LANES]; H];
    let mut z2 = [w.b2; LANES];
    for j in 0..H {
        for l in 0..LANES {
            a1[j][l] = fastmath::tanh(w.w1[j][0] * x0[l] + w.w1[j][1] * x1[l] + w.b1[j]);
            z2[l] += w.w2[j] * a1[j][l];
        }
    }
    let a2 = z2.map(fastmath::sigmoid);
    Forward { a1, z2, a2 }
}

/// Lane l's cross-entropy, weighted, and whether it is classified correctly.
#[inline(always)]
fn cost_and_correct(z2: f64, a2: f64, y: f64, weight: f64) -> (f64, f64) {
    let cost = -(y * fastmath::log_sigmoid(z2) + (1.0 - y) * fastmath::log_sigmoid(-z2));
    let predicted = if a2 > 0.5 { 1.0 } else { 0.0 };
    let correct = if predicted == y { weight } else { 0.0 };
    (cost * weight, correct)
}

fn block(v: &[f64], start: usize) -> &Lanes {
    v[start..start + LANES]
        .try_into()
        .expect("a block is LANES long")
}

/// Forward, cost, backward and update, fused; `grads` receives dW1, db1, dW2,
/// db2 (its dZ1 and dZ2 are not used). Returns the cost and accuracy of the
/// parameters before the update, or `None`, changing nothing, for no points.
pub fn train_step(
    p: &mut Parameters,
    batch: &Batch,
    learning_rate: f64,
    grads: &mut Gradients,
) -> Option<Evaluation> {
    dispatch(p.n_h(), |h| match h {
        1 => step_kernel::<1>(p, batch, learning_rate, grads),
        2 => step_kernel::<2>(p, batch, learning_rate, grads),
        3 => step_kernel::<3>(p, batch, learning_rate, grads),
        4 => step_kernel::<4>(p, batch, learning_rate, grads),
        5 => step_kernel::<5>(p, batch, learning_rate, grads),
        6 => step_kernel::<6>(p, batch, learning_rate, grads),
        7 => step_kernel::<7>(p, batch, learning_rate, grads),
        _ => step_kernel::<8>(p, batch, learning_rate, grads),
    })
}

/// The cost and accuracy of `p` on the batch, or `None` for no points.
pub fn evaluate(p: &Parameters, batch: &Batch) -> Option<Evaluation> {
    dispatch(p.n_h(), |h| match h {
        1 => evaluate_kernel::<1>(p, batch),
        2 => evaluate_kernel::<2>(p, batch),
        3 => evaluate_kernel::<3>(p, batch),
        4 => evaluate_kernel::<4>(p, batch),
        5 => evaluate_kernel::<5>(p, batch),
        6 => evaluate_kernel::<6>(p, batch),
        7 => evaluate_kernel::<7>(p, batch),
        _ => evaluate_kernel::<8>(p, batch),
    })
}

/// Each point's predicted class (1 where A2 > 0.5) into `out`, `m` bytes.
pub fn predict(p: &Parameters, batch: &Batch, out: &mut Vec<u8>) {
    let run = match p.n_h() {
        1 => predict_kernel::<1>,
        2 => predict_kernel::<2>,
        3 => predict_kernel::<3>,
        4 => predict_kernel::<4>,
        5 => predict_kernel::<5>,
        6 => predict_kernel::<6>,
        7 => predict_kernel::<7>,
        _ => predict_kernel::<8>,
    };
    run(p, batch, out);
}

fn predict_kernel<const H: usize>(p: &Parameters, batch: &Batch, out: &mut Vec<u8>) {
    let w = Weights::<H>::of(p);
    out.clear();
    for start in (0..batch.x0.len()).step_by(LANES) {
        let f = forward_block(&w, block(&batch.x0, start), block(&batch.x1, start));
        out.extend(f.a2.iter().map(|&a| u8::from(a > 0.5)));
    }
    out.truncate(batch.m);
}

fn dispatch<T>(n_h: usize, run: impl FnOnce(usize) -> Option<T>) -> Option<T> {
    assert!(
        (1..=MAX_HIDDEN).contains(&n_h),
        "n_h must be 1 to {MAX_HIDDEN}, not {n_h}"
    );
    run(n_h)
}

fn evaluate_kernel<const H: usize>(p: &Parameters, batch: &Batch) -> Option<Evaluation> {
    if batch.m == 0 {
        return None;
    }
    let w = Weights::<H>::of(p);
    let (mut cost, mut correct) = ([0.0; LANES], [0.0; LANES]);
    for start in (0..batch.x0.len()).step_by(LANES) {
        let (x0, x1) = (block(&batch.x0, start), block(&batch.x1, start));
        let (y, weight) = (block(&batch.y, start), block(&batch.weight, start));
        let f = forward_block(&w, x0, x1);
        for l in 0..LANES {
            let (c, ok) = cost_and_correct(f.z2[l], f.a2[l], y[l], weight[l]);
            cost[l] += c;
            correct[l] += ok;
        }
    }
    let m = batch.m as f64;
    Some(Evaluation {
        cost: sum(&cost) / m,
        accuracy: sum(&correct) / m * 100.0,
    })
}

fn step_kernel<const H: usize>(
    p: &mut Parameters,
    batch: &Batch,
    learning_rate: f64,
    grads: &mut Gradients,
) -> Option<Evaluation> {
    if batch.m == 0 {
        return None;
    }
    let w = Weights::<H>::of(p);
    // Per-lane partial sums: summing lane by lane keeps the loop vectorized.
    let (mut cost, mut correct) = ([0.0; LANES], [0.0; LANES]);
    let mut dw1 = [[[0.0; LANES]; N_X]; H];
    let mut db1 = [[0.0; LANES]; H];
    let mut dw2 = [[0.0; LANES]; H];
    let mut db2 = [0.0; LANES];
    for start in (0..batch.x0.len()).step_by(LANES) {
        let (x0, x1) = (block(&batch.x0, start), block(&batch.x1, start));
        let (y, weight) = (block(&batch.y, start), block(&batch.weight, start));
        let f = forward_block(&w, x0, x1);
        let mut dz2 = [0.0; LANES];
        for l in 0..LANES {
            let (c, ok) = cost_and_correct(f.z2[l], f.a2[l], y[l], weight[l]);
            cost[l] += c;
            correct[l] += ok;
            dz2[l] = (f.a2[l] - y[l]) * weight[l];
            db2[l] += dz2[l];
        }
        for j in 0..H {
            for l in 0..LANES {
                let a = f.a1[j][l];
                dw2[j][l] += dz2[l] * a;
                let dz1 = w.w2[j] * dz2[l] * (1.0 - a * a);
                dw1[j][0][l] += dz1 * x0[l];
                dw1[j][1][l] += dz1 * x1[l];
                db1[j][l] += dz1;
            }
        }
    }
    let m = batch.m as f64;
    for j in 0..H {
        grads.dw1.set(j, 0, sum(&dw1[j][0]) / m);
        grads.dw1.set(j, 1, sum(&dw1[j][1]) / m);
        grads.db1.data[j] = sum(&db1[j]) / m;
        grads.dw2.data[j] = sum(&dw2[j]) / m;
    }
    grads.db2.data[0] = sum(&db2) / m;
    crate::network::update_parameters(p, grads, learning_rate);
    Some(Evaluation {
        cost: sum(&cost) / m,
        accuracy: sum(&correct) / m * 100.0,
    })
}

fn sum(lanes: &Lanes) -> f64 {
    lanes.iter().sum()
}
