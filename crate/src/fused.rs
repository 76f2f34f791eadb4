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

/// Points processed together; point i's terms are summed into partial sum
/// `i % LANES`. That order decides the last bits of every gradient, and once
/// the tutorial's run turns oscillatory (near iteration 7840) those bits
/// decide which phase of the oscillation iteration 10000 lands on: with 8,
/// it lands where numpy's does (90.75 %), as the golden test checks.
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
    /// The weights of `p`, with zero weights for units from `p.n_h()` to H:
    /// a zero unit adds exactly 0 to Z2, so a wider kernel computes the same
    /// numbers.
    fn of(p: &Parameters) -> Self {
        let n_h = p.n_h();
        assert!(n_h <= H, "{n_h} units do not fit a kernel of {H}");
        let unit = |j: usize, value: &dyn Fn(usize) -> f64| if j < n_h { value(j) } else { 0.0 };
        Weights {
            w1: std::array::from_fn(|j| {
                [unit(j, &|j| p.w1.get(j, 0)), unit(j, &|j| p.w1.get(j, 1))]
            }),
            b1: std::array::from_fn(|j| unit(j, &|j| p.b1.data[j])),
            w2: std::array::from_fn(|j| unit(j, &|j| p.w2.data[j])),
            b2: p.b2.data[0],
        }
    }
}

type Lanes = [f64; LANES];

/// A block's forward pass: A1 (`H x LANES`) and Z2, A2 (`LANES`), and
/// log(1 + e^-|Z2|) for the cost.
struct Forward<const H: usize> {
    a1: [Lanes; H],
    z2: Lanes,
    a2: Lanes,
    softplus: Lanes,
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
    let mut a2 = [0.0; LANES];
    let mut softplus = [0.0; LANES];
    for l in 0..LANES {
        // One exponential serves both the output and the cost:
        // σ(z) = 1/(1+e) or e/(1+e), and log(1 + e^-|z|), with e = e^-|z|.
        let e = fastmath::exp(-z2[l].abs());
        a2[l] = if z2[l] >= 0.0 { 1.0 } else { e } / (1.0 + e);
        softplus[l] = fastmath::log1p(e);
    }
    Forward {
        a1,
        z2,
        a2,
        softplus,
    }
}

/// Lane l's cross-entropy, weighted, and whether it is classified correctly.
/// With l = log(1 + e^-|z|): -log σ(z) = max(-z, 0) + l and
/// -log(1 - σ(z)) = max(z, 0) + l, so the cost needs no further logarithm.
#[inline(always)]
fn cost_and_correct(z2: f64, a2: f64, softplus: f64, y: f64, weight: f64) -> (f64, f64) {
    let cost = y * (-z2).max(0.0) + (1.0 - y) * z2.max(0.0) + softplus;
    let predicted = if a2 > 0.5 { 1.0 } else { 0.0 };
    let correct = if predicted == y { weight } else { 0.0 };
    (cost * weight, correct)
}

fn block(v: &[f64], start: usize) -> &Lanes {
    v[start..start + LANES]
        .try_into()
        .expect("a block is LANES long")
}

/// Runs `$kernel::<H>($args)` with H = `$n_h`, so each hidden width gets
/// its own unrolled code.
macro_rules! for_width {
    ($n_h:expr, $kernel:ident($($arg:expr),*)) => {
        match $n_h {
            1 => $kernel::<1>($($arg),*),
            2 => $kernel::<2>($($arg),*),
            3 => $kernel::<3>($($arg),*),
            4 => $kernel::<4>($($arg),*),
            5 => $kernel::<5>($($arg),*),
            6 => $kernel::<6>($($arg),*),
            7 => $kernel::<7>($($arg),*),
            8 => $kernel::<8>($($arg),*),
            n => panic!("n_h must be 1 to {MAX_HIDDEN}, not {n}"),
        }
    };
}

/// Defines `$name`, which runs `$kernel::<$width>` (see [`for_width`]) with AVX2 when the CPU has it
/// (twice the lanes of baseline x86-64's SSE2, and three-operand
/// instructions), else as built; and `$baseline`, which always runs it as
/// built. Both do the same IEEE operations in the same order (no fused
/// multiply-add is enabled), so their results are identical.
macro_rules! multiversion {
    ($(#[$doc:meta])* pub fn $name:ident / $baseline:ident / $avx2:ident
        => $kernel:ident[$width:expr]($p:ident: $p_ty:ty $(, $arg:ident: $ty:ty)*) -> $ret:ty) => {
        $(#[$doc])*
        pub fn $name($p: $p_ty $(, $arg: $ty)*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2, checked just above.
                return unsafe { $avx2($p $(, $arg)*) };
            }
            $baseline($p $(, $arg)*)
        }

        /// The same, always as built: no CPU-specific code.
        pub fn $baseline($p: $p_ty $(, $arg: $ty)*) -> $ret {
            for_width!($width, $kernel($p $(, $arg)*))
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2")]
        fn $avx2($p: $p_ty $(, $arg: $ty)*) -> $ret {
            for_width!($width, $kernel($p $(, $arg)*))
        }
    };
}

multiversion! {
    /// Forward, cost, backward and update, fused; `grads` receives dW1, db1,
    /// dW2, db2 (its dZ1 and dZ2 are not used). Returns the cost and accuracy
    /// of the parameters before the update, or `None`, changing nothing, for
    /// no points.
    pub fn train_step / train_step_baseline / train_step_avx2
        => step_kernel[p.n_h()](p: &mut Parameters, batch: &Batch, learning_rate: f64, grads: &mut Gradients)
        -> Option<Evaluation>
}

// Evaluating runs once a frame, not once an iteration: one kernel as wide
// as the widest network serves every width (zero units add nothing), which
// keeps the wasm small.

multiversion! {
    /// The cost and accuracy of `p` on the batch, or `None` for no points;
    /// `predicted` receives each point's class (1 where A2 > 0.5), `m` bytes.
    pub fn evaluate / evaluate_baseline / evaluate_avx2
        => evaluate_kernel[MAX_HIDDEN](p: &Parameters, batch: &Batch, predicted: &mut Vec<u8>)
        -> Option<Evaluation>
}

#[inline(always)]
fn evaluate_kernel<const H: usize>(
    p: &Parameters,
    batch: &Batch,
    predicted: &mut Vec<u8>,
) -> Option<Evaluation> {
    predicted.clear();
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
            let (c, ok) = cost_and_correct(f.z2[l], f.a2[l], f.softplus[l], y[l], weight[l]);
            cost[l] += c;
            correct[l] += ok;
        }
        predicted.extend(f.a2.iter().map(|&a| u8::from(a > 0.5)));
    }
    predicted.truncate(batch.m);
    let m = batch.m as f64;
    Some(Evaluation {
        cost: sum(&cost) / m,
        accuracy: sum(&correct) / m * 100.0,
    })
}

#[inline(always)]
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
    // Partial sums by lane keep the loop vectorized (see LANES for the order).
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
            let (c, ok) = cost_and_correct(f.z2[l], f.a2[l], f.softplus[l], y[l], weight[l]);
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
