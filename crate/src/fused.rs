//! One training step fused over points: the fast path the trainer runs, for
//! every [`Model`].
//!
//! [`crate::deep`] computes each layer over all m points before the next, as
//! the course does. Here every layer, forward and backward, runs on a block
//! of [`LANES`] points while they are in registers and cache, and the
//! gradients are summed on the way: one pass over the data does forward,
//! cost, backward and the sums. Hidden layers are padded to a width W of 4
//! or 8 (a const generic, so loops over units unroll) with zero units: a
//! zero unit's outgoing weights are zero, so it adds exactly 0 to
//! the next layer and receives a zero gradient. The loops over a block's
//! points vectorize (f64x2 in wasm, SSE2/AVX natively) because
//! [`crate::fastmath`] has no libm calls.
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
    fn of(model: &Model, p: &deep::Parameters) -> Self {
        assert!(
            model.width() <= W,
            "a model of width {} in a kernel of {W}",
            model.width()
        );
        let hidden = model.hidden.len();
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

/// A[l] = g(Z[l]) over a block's layer: a pass of its own, out of line
/// and over a slice, so that one copy of each activation's loop serves
/// every layer and width.
#[inline(always)]
fn activate<const W: usize>(g: Activation, units: usize, z: &[Lanes; W], a: &mut [Lanes; W]) {
    let n = units * LANES;
    activate_values(g, &z.as_flattened()[..n], &mut a.as_flattened_mut()[..n]);
}

// Out of line in wasm, where size counts; natively inlined into each
// kernel, so that the AVX2 kernels run it with AVX2.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn activate_values(g: Activation, z: &[f64], a: &mut [f64]) {
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

/// dZ[l] = dA[l] ⊙ g'(Z[l]) over a block's layer, in place in `d`; out of
/// line like [`activate`].
#[inline(always)]
fn times_derivative<const W: usize>(
    g: Activation,
    units: usize,
    d: &mut [Lanes; W],
    z: &[Lanes; W],
    a: &[Lanes; W],
) {
    let n = units * LANES;
    times_derivative_values(
        g,
        &mut d.as_flattened_mut()[..n],
        &z.as_flattened()[..n],
        &a.as_flattened()[..n],
    );
}

// Out of line in wasm, where size counts; natively inlined into each
// kernel, so that the AVX2 kernels run it with AVX2.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn times_derivative_values(g: Activation, d: &mut [f64], z: &[f64], a: &[f64]) {
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
    for l in 0..net.hidden {
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
        }
        activate(net.act[l], W, &f.z[l], &mut f.a[l]);
    }
    let mut s = [net.b_out; LANES];
    if net.hidden == 0 {
        for k in 0..net.n_x {
            for i in 0..LANES {
                s[i] += net.w_out[k] * x[k][i];
            }
        }
    } else {
        let top = &f.a[net.hidden - 1];
        for k in 0..W {
            for i in 0..LANES {
                s[i] += net.w_out[k] * top[k][i];
            }
        }
    }
    for i in 0..LANES {
        let z = s[i];
        f.z_out[i] = z;
        // One exponential serves both the output and the cost:
        // σ(z) = 1/(1+e) or e/(1+e), and log(1 + e^-|z|), with e = e^-|z|.
        let e = fastmath::exp(-z.abs());
        f.a_out[i] = if z >= 0.0 { 1.0 } else { e } / (1.0 + e);
        f.softplus[i] = fastmath::log1p(e);
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
    let cost = y * (-z).max(0.0) + (1.0 - y) * z.max(0.0) + softplus;
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

/// Runs `$kernel::<W, L>($args)`: W = 4 and L = 1 (room for one hidden
/// layer: small arrays, kept in registers) for the tutorial's shape and any
/// other with at most one hidden layer of at most 4 units; W = [`MAX_UNITS`]
/// and L = [`MAX_LAYERS`] for every other model (the units past a layer's
/// own are zero units). Two instances only: each is large once its loops
/// unroll, and the wasm carries each one.
macro_rules! for_shape {
    ($model:expr, $kernel:ident($($arg:expr),*)) => {{
        let deep = $model.hidden.len() > 1;
        match $model.width() {
            0..=4 if !deep => $kernel::<4, 1>($($arg),*),
            0..=MAX_UNITS => $kernel::<{ MAX_UNITS }, { MAX_LAYERS }>($($arg),*),
            n => panic!("a hidden layer has 1 to {MAX_UNITS} units, not {n}"),
        }
    }};
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
        => for_shape!(model, gradient_kernel(model, p, batch, grads))
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
    let zero = [0.0; LANES];
    let mut s = Sums::<W, L> {
        w_in: [[zero; MAX_FEATURES]; W],
        w_hid: [[[zero; W]; W]; L],
        b: [[zero; W]; L],
        w_out: [zero; MAX_UNITS],
        b_out: zero,
        cost: zero,
        correct: zero,
    };
    let hidden = net.hidden;
    for start in (0..batch.padded()).step_by(LANES) {
        let x = features_of(batch, start);
        let (y, weight) = (block(&batch.y, start), block(&batch.weight, start));
        forward(&net, &x, &mut f);
        // dZ[L] = A[L] − Y, weighted so that padding adds nothing.
        let mut dz_out = [0.0; LANES];
        for l in 0..LANES {
            let (c, ok) = cost_and_correct(f.z_out[l], f.a_out[l], f.softplus[l], y[l], weight[l]);
            s.cost[l] += c;
            s.correct[l] += ok;
            dz_out[l] = (f.a_out[l] - y[l]) * weight[l];
            s.b_out[l] += dz_out[l];
        }
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
            times_derivative(net.act[h], W, &mut d, &f.z[h], &f.a[h]);
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
    let m = batch.m as f64;
    for (h, (dw, db)) in grads.dw.iter_mut().zip(grads.db.iter_mut()).enumerate() {
        for j in 0..dw.rows {
            for k in 0..dw.cols {
                let lanes = if h == hidden {
                    &s.w_out[k]
                } else if h == 0 {
                    &s.w_in[j][k]
                } else {
                    &s.w_hid[h][j][k]
                };
                dw.set(j, k, sum(lanes) / m);
            }
            db.data[j] = sum(if h == hidden { &s.b_out } else { &s.b[h][j] }) / m;
        }
    }
    Some(Evaluation {
        cost: sum(&s.cost) / m,
        accuracy: sum(&s.correct) / m * 100.0,
    })
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
    for h in 0..net.hidden {
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
