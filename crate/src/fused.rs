//! One training step fused over points: the fast path the trainer runs, for
//! every [`Model`].
//!
//! [`crate::deep`] computes each layer over all m points before the next, as
//! the course does. Here every layer, forward and backward, runs on a block
//! of [`LANES`] points while they are in registers and cache, and the
//! gradients are summed on the way: one pass over the data does forward,
//! cost, backward and the sums. Two instances of one kernel: W = 4 units
//! and L = 1 layer for the tutorial's shape (one hidden layer of at most 4
//! units), where every index is a constant and a block's values stay in
//! registers, and W = 8, L = 6 for every other model. Hidden layers are
//! padded to W (a const generic, so loops over units unroll) with zero
//! units: a zero unit's outgoing weights are zero, so it adds exactly 0 to
//! the next layer and receives a zero gradient. The loops over a block's
//! points vectorize (f64x2 in wasm, SSE2/AVX natively) because
//! [`crate::fastmath`] has no libm calls. (In wasm under Node, constant
//! indices, activations inlined unit by unit and selects instead of
//! `f64::max` took the tutorial's step from 58 to 47 ns a point.)
//!
//! This is also the one f64 forward pass outside the readable path:
//! [`trace_point`] follows one location through it for the inspector.
//!
//! Tests hold it to [`crate::deep`] to 1e-12 on random models and data.

// Indexed loops over lanes and units are the shape LLVM vectorizes.
#![allow(clippy::needless_range_loop)]

use crate::deep;
use crate::fastmath;
use crate::model::{self, Activation, MAX_FEATURES, MAX_LAYERS, MAX_UNITS, Model};
use crate::network;

/// Points processed together; point i's terms are summed into partial sum
/// `i % LANES`. That order decides the last bits of every gradient, and once
/// the tutorial's run turns oscillatory (near iteration 7840) those bits
/// decide which phase of the oscillation iteration 10000 lands on: with 8,
/// it lands where numpy's does (90.75 %), as the golden test checks.
pub const LANES: usize = 8;

type Lanes = [f64; LANES];

/// The points as the kernel reads them: X's rows (the model's features) and
/// Y, padded with zero-weight points up to a multiple of [`LANES`].
#[derive(Clone, Debug, Default)]
pub struct Batch {
    /// Row k of X at `x[k * padded .. (k + 1) * padded]`.
    pub x: Vec<f64>,
    /// n[0], the number of rows.
    pub n_x: usize,
    pub y: Vec<f64>,
    /// 1 for a real point, 0 for padding.
    pub weight: Vec<f64>,
    /// The number of real points, m.
    pub m: usize,
}

impl Batch {
    /// The tutorial's X: the two coordinates.
    pub fn load(&mut self, x1: &[f64], x2: &[f64], y: &[f64]) {
        self.load_features(model::Features::XY, x1, x2, y);
    }

    /// X with the rows of `features` for the points (x1[i], x2[i]), reusing the buffers.
    pub fn load_features(&mut self, features: model::Features, x1: &[f64], x2: &[f64], y: &[f64]) {
        let m = x1.len();
        let padded = m.div_ceil(LANES) * LANES;
        self.m = m;
        self.n_x = features.count();
        self.x.clear();
        for f in features.iter() {
            self.x
                .extend(x1.iter().zip(x2).map(|(&a, &b)| f.value(a, b)));
            self.x.resize(self.x.len() + padded - m, 0.0);
        }
        self.y.clear();
        self.y.extend_from_slice(y);
        self.y.resize(padded, 0.0);
        self.weight.clear();
        self.weight.resize(m, 1.0);
        self.weight.resize(padded, 0.0);
    }

    /// The points `indices` of `all`, in that order (a mini-batch), reusing the buffers.
    pub fn gather(&mut self, all: &Batch, indices: &[usize]) {
        let m = indices.len();
        let padded = m.div_ceil(LANES) * LANES;
        let (n_x, from) = (all.n_x, all.padded());
        self.m = m;
        self.n_x = n_x;
        self.x.clear();
        for k in 0..n_x {
            let row = &all.x[k * from..(k + 1) * from];
            self.x.extend(indices.iter().map(|&i| row[i]));
            self.x.resize((k + 1) * padded, 0.0);
        }
        self.y.clear();
        self.y.extend(indices.iter().map(|&i| all.y[i]));
        self.y.resize(padded, 0.0);
        self.weight.clear();
        self.weight.resize(m, 1.0);
        self.weight.resize(padded, 0.0);
    }

    fn padded(&self) -> usize {
        self.y.len()
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

/// The parameters copied into fixed-size arrays, hidden layers padded to W
/// units with zeros.
struct Net<const W: usize, const L: usize> {
    n_x: usize,
    /// The number of hidden layers; read through [`Net::hidden_layers`].
    hidden: usize,
    act: [Activation; L],
    /// W[1] when there are hidden layers: `w_in[j][k]`, unit j, feature k.
    w_in: [[f64; MAX_FEATURES]; W],
    /// W[l + 1] at index l for l ≥ 1 (index 0 is unused).
    w_hid: [[[f64; W]; W]; L],
    /// b[l + 1] at index l.
    b: [[f64; W]; L],
    /// The output's weights: on the last hidden layer's W units, or on the
    /// features when there is no hidden layer.
    w_out: [f64; MAX_UNITS],
    b_out: f64,
}

impl<const W: usize, const L: usize> Net<W, L> {
    /// The number of hidden layers: a constant in the one-layer kernel, so
    /// that every index into its arrays is one and LLVM keeps a block's
    /// values in registers.
    #[inline(always)]
    fn hidden_layers(&self) -> usize {
        if L == 1 { 1 } else { self.hidden }
    }

    fn of(model: &Model, p: &deep::Parameters) -> Self {
        assert!(
            model.width() <= W,
            "a model of width {} in a kernel of {W}",
            model.width()
        );
        let hidden = model.hidden.len();
        assert!(
            L > 1 || hidden == 1,
            "a model of {hidden} hidden layers in the one-layer kernel"
        );
        let mut net = Net {
            n_x: model.units(0),
            hidden,
            act: [Activation::Linear; L],
            w_in: [[0.0; MAX_FEATURES]; W],
            w_hid: [[[0.0; W]; W]; L],
            b: [[0.0; W]; L],
            w_out: [0.0; MAX_UNITS],
            b_out: p.b[hidden].data[0],
        };
        for (l, layer) in model.hidden.iter().enumerate() {
            net.act[l] = layer.activation;
            let w = &p.w[l];
            for j in 0..w.rows {
                for k in 0..w.cols {
                    if l == 0 {
                        net.w_in[j][k] = w.get(j, k);
                    } else {
                        net.w_hid[l][j][k] = w.get(j, k);
                    }
                }
                net.b[l][j] = p.b[l].data[j];
            }
        }
        for (k, &w) in p.w[hidden].data.iter().enumerate() {
            net.w_out[k] = w;
        }
        net
    }
}

/// A block's forward pass: Z and A of every hidden layer, Z and A of the
/// output, and log(1 + e^-|Z|) of the output for the cost.
struct Forward<const W: usize, const L: usize> {
    z: [[Lanes; W]; L],
    a: [[Lanes; W]; L],
    z_out: Lanes,
    a_out: Lanes,
    softplus: Lanes,
}

impl<const W: usize, const L: usize> Forward<W, L> {
    fn new() -> Self {
        Forward {
            z: [[[0.0; LANES]; W]; L],
            a: [[[0.0; LANES]; W]; L],
            z_out: [0.0; LANES],
            a_out: [0.0; LANES],
            softplus: [0.0; LANES],
        }
    }
}

// The activations, over a block's values. In the one-layer kernel (the
// tutorial's shape) they are inlined unit by unit, over the unit's
// [`LANES`] values in registers: LLVM unrolls and vectorizes each in place,
// and the units' chains of operations overlap. In the wide kernel one pass
// over a whole layer, out of line in wasm, where size counts (one copy of
// each activation's loop serves every layer), and natively inlined so that
// the AVX2 kernels run it with AVX2.

#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn activate_values(g: Activation, z: &[f64], a: &mut [f64]) {
    map_activation(g, z, a);
}

/// a = g(z), one loop per activation.
#[inline(always)]
fn map_activation(g: Activation, z: &[f64], a: &mut [f64]) {
    #[inline(always)]
    fn map(z: &[f64], a: &mut [f64], g: impl Fn(f64) -> f64) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = g(z);
        }
    }
    match g {
        Activation::Tanh => map(z, a, fastmath::tanh),
        Activation::Relu => map(z, a, |z| Activation::Relu.apply(z)),
        Activation::LeakyRelu => map(z, a, |z| Activation::LeakyRelu.apply(z)),
        Activation::Sigmoid => map(z, a, fastmath::sigmoid),
        Activation::Linear => a.copy_from_slice(z),
    }
}

/// dZ[l] = dA[l] ⊙ g'(Z[l]) over a block's layer, in place in `d`: unit by
/// unit in the one-layer kernel, one pass in the wide one, as above.
#[inline(always)]
fn times_derivative<const W: usize>(
    g: Activation,
    d: &mut [Lanes; W],
    z: &[Lanes; W],
    a: &[Lanes; W],
) {
    if W <= SHALLOW_UNITS {
        for j in 0..W {
            map_times_derivative(g, &mut d[j], &z[j], &a[j]);
        }
    } else {
        times_derivative_values(g, d.as_flattened_mut(), z.as_flattened(), a.as_flattened());
    }
}

#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn times_derivative_values(g: Activation, d: &mut [f64], z: &[f64], a: &[f64]) {
    map_times_derivative(g, d, z, a);
}

/// d = d ⊙ g'(z), from z and a = g(z), one loop per activation.
#[inline(always)]
fn map_times_derivative(g: Activation, d: &mut [f64], z: &[f64], a: &[f64]) {
    #[inline(always)]
    fn map(d: &mut [f64], z: &[f64], a: &[f64], g: impl Fn(f64, f64) -> f64) {
        for ((d, &z), &a) in d.iter_mut().zip(z).zip(a) {
            *d *= g(z, a);
        }
    }
    match g {
        Activation::Tanh => map(d, z, a, |_, a| 1.0 - a * a),
        Activation::Relu => map(d, z, a, |z, a| Activation::Relu.derivative(z, a)),
        Activation::LeakyRelu => map(d, z, a, |z, a| Activation::LeakyRelu.derivative(z, a)),
        Activation::Sigmoid => map(d, z, a, |_, a| a * (1.0 - a)),
        Activation::Linear => {}
    }
}

/// Z[l] = W[l]·A[l−1] + b[l], summed from the bias on (that order, like
/// [`LANES`], keeps the tutorial's run on numpy's phase at iteration
/// 10000), then A[l] = g(Z[l]), for every layer of a block; `x` holds the
/// block's features (rows past n[0] unused).
#[inline(always)]
fn forward_block<const W: usize, const L: usize>(
    net: &Net<W, L>,
    x: &Features<'_>,
    f: &mut Forward<W, L>,
) {
    for l in 0..net.hidden_layers() {
        for j in 0..W {
            let mut s = [net.b[l][j]; LANES];
            if l == 0 {
                // A constant bound unrolls the loop; the branch skips
                // the features the model does not read.
                for k in 0..MAX_FEATURES {
                    if k < net.n_x {
                        for i in 0..LANES {
                            s[i] += net.w_in[j][k] * x[k][i];
                        }
                    }
                }
            } else {
                for k in 0..W {
                    for i in 0..LANES {
                        s[i] += net.w_hid[l][j][k] * f.a[l - 1][k][i];
                    }
                }
            }
            f.z[l][j] = s;
            if W <= SHALLOW_UNITS {
                map_activation(net.act[l], &s, &mut f.a[l][j]);
            }
        }
        if W > SHALLOW_UNITS {
            activate_values(net.act[l], f.z[l].as_flattened(), f.a[l].as_flattened_mut());
        }
    }
    let mut s = [net.b_out; LANES];
    if net.hidden_layers() == 0 {
        for k in 0..net.n_x {
            for i in 0..LANES {
                s[i] += net.w_out[k] * x[k][i];
            }
        }
    } else {
        let top = &f.a[net.hidden_layers() - 1];
        for k in 0..W {
            for i in 0..LANES {
                s[i] += net.w_out[k] * top[k][i];
            }
        }
    }
    f.z_out = s;
    output(&f.z_out, &mut f.a_out, &mut f.softplus);
}

/// A[L] = σ(Z[L]) and log(1 + e^-|Z[L]|) over a block: one exponential
/// serves both the output and the cost, σ(z) = 1/(1+e) or e/(1+e) and
/// log(1 + e), with e = e^-|z|.
#[inline(always)]
fn output(z: &Lanes, a: &mut Lanes, softplus: &mut Lanes) {
    let mut e = [0.0; LANES];
    for i in 0..LANES {
        e[i] = fastmath::exp(-z[i].abs());
        a[i] = if z[i] >= 0.0 { 1.0 } else { e[i] } / (1.0 + e[i]);
    }
    for i in 0..LANES {
        softplus[i] = fastmath::log1p(e[i]);
    }
}

/// [`forward_block`], inlined into the kernels for at most one hidden layer;
/// for the deep ones, in wasm, one copy out of line that training,
/// evaluating and tracing share (the wasm stays small; the call per block
/// costs little next to the layers' work).
#[inline(always)]
fn forward<const W: usize, const L: usize>(
    net: &Net<W, L>,
    x: &Features<'_>,
    f: &mut Forward<W, L>,
) {
    if cfg!(target_arch = "wasm32") && L > 1 {
        forward_out_of_line(net, x, f);
    } else {
        forward_block(net, x, f);
    }
}

#[inline(never)]
fn forward_out_of_line<const W: usize, const L: usize>(
    net: &Net<W, L>,
    x: &Features<'_>,
    f: &mut Forward<W, L>,
) {
    forward_block(net, x, f);
}

/// Lane l's cross-entropy, weighted, and whether it is classified correctly.
/// With l = log(1 + e^-|z|): -log σ(z) = max(-z, 0) + l and
/// -log(1 - σ(z)) = max(z, 0) + l, so the cost needs no further logarithm.
#[inline(always)]
fn cost_and_correct(z: f64, a: f64, softplus: f64, y: f64, weight: f64) -> (f64, f64) {
    let cost = y * model::positive_part(-z) + (1.0 - y) * model::positive_part(z) + softplus;
    let predicted = if a > 0.5 { 1.0 } else { 0.0 };
    let correct = if predicted == y { weight } else { 0.0 };
    (cost * weight, correct)
}

fn block(v: &[f64], start: usize) -> &Lanes {
    v[start..start + LANES]
        .try_into()
        .expect("a block is LANES long")
}

/// A block's features: row k's [`LANES`] values (rows past n[0] are zeros, never read).
type Features<'a> = [&'a Lanes; MAX_FEATURES];

const ZEROS: Lanes = [0.0; LANES];

/// The features of the block at `start`.
#[inline(always)]
fn features_of(batch: &Batch, start: usize) -> Features<'_> {
    let padded = batch.padded();
    let mut rows = [&ZEROS; MAX_FEATURES];
    for (k, row) in rows.iter_mut().enumerate().take(batch.n_x) {
        *row = block(&batch.x, k * padded + start);
    }
    rows
}

/// The width of the one-layer kernel's hidden layer.
const SHALLOW_UNITS: usize = 4;

/// Whether `model` has the tutorial's shape, one hidden layer of at most
/// [`SHALLOW_UNITS`] units, which the one-layer kernel trains (two
/// instances only: each is large once its loops unroll, and the wasm
/// carries each one).
fn is_shallow(model: &Model) -> bool {
    model.hidden.len() == 1 && model.width() <= SHALLOW_UNITS
}

/// Defines `$name`, which runs `$body` with AVX2 when the CPU has it
/// (twice the lanes of baseline x86-64's SSE2, and three-operand
/// instructions), else as built; and `$baseline`, which always runs it as
/// built. Both do the same IEEE operations in the same order (no fused
/// multiply-add is enabled), so their results are identical.
macro_rules! multiversion {
    ($(#[$doc:meta])* pub fn $name:ident / $baseline:ident / $avx2:ident
        ($($arg:ident: $ty:ty),*) -> $ret:ty => $body:expr) => {
        $(#[$doc])*
        pub fn $name($($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2, checked just above.
                return unsafe { $avx2($($arg),*) };
            }
            $baseline($($arg),*)
        }

        /// The same, always as built: no CPU-specific code.
        pub fn $baseline($($arg: $ty),*) -> $ret {
            $body
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2")]
        fn $avx2($($arg: $ty),*) -> $ret {
            $body
        }
    };
}

multiversion! {
    /// Forward, cost and backward over the batch, fused: `grads` receives
    /// dW[l] and db[l] (its dZ are not used). Returns the cost and accuracy
    /// of `p`, or `None`, changing nothing, for no points.
    pub fn gradients / gradients_baseline / gradients_avx2
        (model: &Model, p: &deep::Parameters, batch: &Batch, grads: &mut deep::Gradients)
        -> Option<Evaluation>
        => if is_shallow(model) {
            gradient_kernel::<SHALLOW_UNITS, 1>(model, p, batch, grads)
        } else {
            gradient_kernel::<MAX_UNITS, MAX_LAYERS>(model, p, batch, grads)
        }
}

// Evaluating runs once a frame, not once an iteration: one kernel as wide
// as the widest network serves every width (zero units add nothing), which
// keeps the wasm small.

multiversion! {
    /// The cost and accuracy of `p` on the batch, or `None` for no points;
    /// `predicted` receives each point's class (1 where A[L] > 0.5), `m` bytes.
    pub fn evaluate_model / evaluate_model_baseline / evaluate_model_avx2
        (model: &Model, p: &deep::Parameters, batch: &Batch, predicted: &mut Vec<u8>)
        -> Option<Evaluation>
        => evaluate_kernel(model, p, batch, predicted)
}

type WideNet = Net<MAX_UNITS, MAX_LAYERS>;

#[inline(always)]
fn evaluate_kernel(
    model: &Model,
    p: &deep::Parameters,
    batch: &Batch,
    predicted: &mut Vec<u8>,
) -> Option<Evaluation> {
    predicted.clear();
    if batch.m == 0 {
        return None;
    }
    let net = WideNet::of(model, p);
    let mut f = Forward::new();
    let (mut cost, mut correct) = ([0.0; LANES], [0.0; LANES]);
    for start in (0..batch.padded()).step_by(LANES) {
        let x = features_of(batch, start);
        let (y, weight) = (block(&batch.y, start), block(&batch.weight, start));
        forward(&net, &x, &mut f);
        for l in 0..LANES {
            let (c, ok) = cost_and_correct(f.z_out[l], f.a_out[l], f.softplus[l], y[l], weight[l]);
            cost[l] += c;
            correct[l] += ok;
        }
        predicted.extend(f.a_out.iter().map(|&a| u8::from(a > 0.5)));
    }
    predicted.truncate(batch.m);
    let m = batch.m as f64;
    Some(Evaluation {
        cost: sum(&cost) / m,
        accuracy: sum(&correct) / m * 100.0,
    })
}

/// The gradients' partial sums by lane (see [`LANES`] for the order).
struct Sums<const W: usize, const L: usize> {
    w_in: [[Lanes; MAX_FEATURES]; W],
    w_hid: [[[Lanes; W]; W]; L],
    b: [[Lanes; W]; L],
    w_out: [Lanes; MAX_UNITS],
    b_out: Lanes,
    cost: Lanes,
    correct: Lanes,
}

impl<const W: usize, const L: usize> Sums<W, L> {
    fn new() -> Self {
        let zero = [0.0; LANES];
        Sums {
            w_in: [[zero; MAX_FEATURES]; W],
            w_hid: [[[zero; W]; W]; L],
            b: [[zero; W]; L],
            w_out: [zero; MAX_UNITS],
            b_out: zero,
            cost: zero,
            correct: zero,
        }
    }

    /// The output's share of a block: adds its cost and correct count
    /// and dZ[L] = A[L] − Y, weighted so that padding adds nothing, to the
    /// sums, and returns dZ[L].
    #[inline(always)]
    fn add_output(
        &mut self,
        z: &Lanes,
        a: &Lanes,
        softplus: &Lanes,
        y: &Lanes,
        weight: &Lanes,
    ) -> Lanes {
        let mut dz = [0.0; LANES];
        for l in 0..LANES {
            let (c, ok) = cost_and_correct(z[l], a[l], softplus[l], y[l], weight[l]);
            self.cost[l] += c;
            self.correct[l] += ok;
            dz[l] = (a[l] - y[l]) * weight[l];
            self.b_out[l] += dz[l];
        }
        dz
    }

    /// Writes the mean gradients of `hidden` hidden layers into `grads`
    /// and returns the cost and accuracy, over `m` points.
    fn finish(&self, hidden: usize, m: usize, grads: &mut deep::Gradients) -> Evaluation {
        let m = m as f64;
        for (h, (dw, db)) in grads.dw.iter_mut().zip(grads.db.iter_mut()).enumerate() {
            for j in 0..dw.rows {
                for k in 0..dw.cols {
                    let lanes = if h == hidden {
                        &self.w_out[k]
                    } else if h == 0 {
                        &self.w_in[j][k]
                    } else {
                        &self.w_hid[h][j][k]
                    };
                    dw.set(j, k, sum(lanes) / m);
                }
                db.data[j] = sum(if h == hidden {
                    &self.b_out
                } else {
                    &self.b[h][j]
                }) / m;
            }
        }
        Evaluation {
            cost: sum(&self.cost) / m,
            accuracy: sum(&self.correct) / m * 100.0,
        }
    }
}

#[inline(always)]
fn gradient_kernel<const W: usize, const L: usize>(
    model: &Model,
    p: &deep::Parameters,
    batch: &Batch,
    grads: &mut deep::Gradients,
) -> Option<Evaluation> {
    if batch.m == 0 {
        return None;
    }
    let net = Net::<W, L>::of(model, p);
    let mut f = Forward::<W, L>::new();
    let mut s = Sums::<W, L>::new();
    let hidden = net.hidden_layers();
    for start in (0..batch.padded()).step_by(LANES) {
        let x = features_of(batch, start);
        let (y, weight) = (block(&batch.y, start), block(&batch.weight, start));
        forward(&net, &x, &mut f);
        let dz_out = s.add_output(&f.z_out, &f.a_out, &f.softplus, y, weight);
        if hidden == 0 {
            for k in 0..net.n_x {
                for l in 0..LANES {
                    s.w_out[k][l] += dz_out[l] * x[k][l];
                }
            }
            continue;
        }
        // dA of the top hidden layer: W[L]ᵀ·dZ[L].
        let mut d = [[0.0; LANES]; W];
        let top = &f.a[hidden - 1];
        for k in 0..W {
            for l in 0..LANES {
                s.w_out[k][l] += dz_out[l] * top[k][l];
                d[k][l] = net.w_out[k] * dz_out[l];
            }
        }
        for h in (0..hidden).rev() {
            times_derivative(net.act[h], &mut d, &f.z[h], &f.a[h]);
            let mut next = [[0.0; LANES]; W];
            for j in 0..W {
                let dz = &d[j];
                for l in 0..LANES {
                    s.b[h][j][l] += dz[l];
                }
                if h == 0 {
                    for k in 0..MAX_FEATURES {
                        if k < net.n_x {
                            for l in 0..LANES {
                                s.w_in[j][k][l] += dz[l] * x[k][l];
                            }
                        }
                    }
                } else {
                    for k in 0..W {
                        for l in 0..LANES {
                            s.w_hid[h][j][k][l] += dz[l] * f.a[h - 1][k][l];
                            next[k][l] += net.w_hid[h][j][k] * dz[l];
                        }
                    }
                }
            }
            d = next;
        }
    }
    Some(s.finish(hidden, batch.m, grads))
}

fn sum(lanes: &Lanes) -> f64 {
    lanes.iter().sum()
}

/// One location (x1, x2) through the network, in the order of
/// [`trace_layout`]: X (the features), then Z[l] and A[l] for l = 1..L.
/// One kernel as wide as the widest network serves every model.
pub fn trace_point(model: &Model, p: &deep::Parameters, x1: f64, x2: f64) -> Vec<f64> {
    let net = WideNet::of(model, p);
    let mut features = [0.0; MAX_FEATURES];
    model.features.values(x1, x2, &mut features);
    let rows: [Lanes; MAX_FEATURES] = std::array::from_fn(|k| [features[k]; LANES]);
    let mut f = Forward::new();
    forward(&net, &rows.each_ref(), &mut f);
    let mut out = features[..net.n_x].to_vec();
    for h in 0..net.hidden_layers() {
        let units = model.units(h + 1);
        out.extend((0..units).map(|j| f.z[h][j][0]));
        out.extend((0..units).map(|j| f.a[h][j][0]));
    }
    out.extend([f.z_out[0], f.a_out[0]]);
    out
}

/// Where each part of [`trace_point`]'s result lies: (name, layer, offset, length),
/// "X" for the features, then "Z1", "A1", ...
pub fn trace_layout(model: &Model) -> Vec<(String, usize, usize, usize)> {
    let mut out = vec![("X".to_string(), 0, 0, model.units(0))];
    let mut offset = model.units(0);
    for l in 1..=model.depth() {
        for name in ["Z", "A"] {
            out.push((format!("{name}{l}"), l, offset, model.units(l)));
            offset += model.units(l);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The tutorial's 2-n_h-1 network through the same kernels, under the names
// the first version had (the golden tests use them).

fn as_deep(p: &network::Parameters) -> (Model, deep::Parameters) {
    let model = Model::tutorial(p.n_h());
    let values: Vec<f64> = p.iter().copied().collect();
    let deep = deep::Parameters::from_flat(&model, &values).expect("the tutorial's layout");
    (model, deep)
}

fn copy_back(deep: &deep::Parameters, p: &mut network::Parameters) {
    let mut values = deep.iter();
    for m in [&mut p.w1, &mut p.b1, &mut p.w2, &mut p.b2] {
        for v in &mut m.data {
            *v = *values.next().expect("same layout");
        }
    }
}

fn tutorial_step(
    p: &mut network::Parameters,
    batch: &Batch,
    learning_rate: f64,
    grads: &mut network::Gradients,
    kernel: fn(&Model, &deep::Parameters, &Batch, &mut deep::Gradients) -> Option<Evaluation>,
) -> Option<Evaluation> {
    let (model, mut deep_p) = as_deep(p);
    let mut deep_g = deep::Gradients::new(&model, 0);
    let evaluation = kernel(&model, &deep_p, batch, &mut deep_g)?;
    deep::update_parameters(&mut deep_p, &deep_g, learning_rate);
    copy_back(&deep_p, p);
    for (ours, theirs) in [
        (&mut grads.dw1, &deep_g.dw[0]),
        (&mut grads.db1, &deep_g.db[0]),
        (&mut grads.dw2, &deep_g.dw[1]),
        (&mut grads.db2, &deep_g.db[1]),
    ] {
        ours.data.clone_from(&theirs.data);
    }
    Some(evaluation)
}

/// The tutorial's network: forward, cost, backward and update, fused;
/// `grads` receives dW1, db1, dW2, db2. Returns the cost and accuracy of
/// the parameters before the update, or `None`, changing nothing, for no points.
pub fn train_step(
    p: &mut network::Parameters,
    batch: &Batch,
    learning_rate: f64,
    grads: &mut network::Gradients,
) -> Option<Evaluation> {
    tutorial_step(p, batch, learning_rate, grads, gradients)
}

/// [`train_step`] without CPU-specific code.
pub fn train_step_baseline(
    p: &mut network::Parameters,
    batch: &Batch,
    learning_rate: f64,
    grads: &mut network::Gradients,
) -> Option<Evaluation> {
    tutorial_step(p, batch, learning_rate, grads, gradients_baseline)
}

/// The tutorial network's cost and accuracy; `predicted` receives each point's class.
pub fn evaluate(
    p: &network::Parameters,
    batch: &Batch,
    predicted: &mut Vec<u8>,
) -> Option<Evaluation> {
    let (model, deep_p) = as_deep(p);
    evaluate_model(&model, &deep_p, batch, predicted)
}

/// [`evaluate`] without CPU-specific code.
pub fn evaluate_baseline(
    p: &network::Parameters,
    batch: &Batch,
    predicted: &mut Vec<u8>,
) -> Option<Evaluation> {
    let (model, deep_p) = as_deep(p);
    evaluate_model_baseline(&model, &deep_p, batch, predicted)
}
