//! How the network trains beyond the tutorial's full-batch gradient descent,
//! as the course's second part and `course_numpy.py` define it: momentum
//! and Adam, L2 and L1 regularisation, mini-batches.

use crate::deep::{Gradients, Parameters};
use crate::matrix::Matrix;
use crate::number::Number;

/// The update rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Optimizer {
    /// W ← W − α dW: the tutorial's.
    GradientDescent,
    /// v ← β v + (1 − β) dW; W ← W − α v.
    Momentum { beta: f64 },
    /// t ← t + 1; v ← β1 v + (1 − β1) dW; s ← β2 s + (1 − β2) dW²;
    /// W ← W − α (v / (1 − β1^t)) / (√(s / (1 − β2^t)) + ε).
    Adam {
        beta1: f64,
        beta2: f64,
        epsilon: f64,
    },
}

impl Optimizer {
    /// The names the reference takes: "gd", "momentum", "adam".
    pub const NAMES: [&'static str; 3] = ["gd", "momentum", "adam"];
    pub const DEFAULT_BETA: f64 = 0.9;
    pub const DEFAULT_BETA1: f64 = 0.9;
    pub const DEFAULT_BETA2: f64 = 0.999;
    pub const DEFAULT_EPSILON: f64 = 1e-8;

    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::GradientDescent => "gd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Adam { .. } => "adam",
        }
    }

    /// The name and the values, for messages: "adam with β1 0.9, β2 0.999, ε 1e-8".
    fn describe(&self) -> String {
        match *self {
            Optimizer::GradientDescent => self.name().to_string(),
            Optimizer::Momentum { beta } => format!("momentum with β {}", Number(beta)),
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } => format!(
                "adam with β1 {}, β2 {}, ε {}",
                Number(beta1),
                Number(beta2),
                Number(epsilon)
            ),
        }
    }

    /// Checks the β values (in [0, 1)) and ε (positive, finite).
    pub fn check(&self) -> Result<(), String> {
        let beta_ok = |b: f64| (0.0..1.0).contains(&b);
        match *self {
            Optimizer::GradientDescent => Ok(()),
            Optimizer::Momentum { beta } if beta_ok(beta) => Ok(()),
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } if beta_ok(beta1) && beta_ok(beta2) && epsilon > 0.0 && epsilon.is_finite() => Ok(()),
            _ => Err(format!(
                "{}: each β must lie in [0, 1) and ε must be a positive number",
                self.describe()
            )),
        }
    }
}

/// The settings of training besides the learning rate: the optimizer,
/// regularisation and batches. The default is the tutorial's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Training {
    pub optimizer: Optimizer,
    /// λ of L2 regularisation: (λ/2m) Σ‖W‖² in the cost.
    pub l2: f64,
    /// λ of L1 regularisation: (λ/m) Σ|W| in the cost.
    pub l1: f64,
    /// Points per mini-batch; 0 for the full batch.
    pub batch: usize,
    /// Epoch e orders the points by `RandomState(shuffle_seed + 1 + e).permutation(m)`.
    pub shuffle_seed: u32,
}

impl Default for Training {
    fn default() -> Self {
        Training {
            optimizer: Optimizer::GradientDescent,
            l2: 0.0,
            l1: 0.0,
            batch: 0,
            shuffle_seed: 10,
        }
    }
}

/// Regularisation strengths the trainer accepts.
pub const MAX_LAMBDA: f64 = 1e3;

impl Training {
    pub fn check(&self) -> Result<(), String> {
        self.optimizer.check()?;
        for (name, lambda) in [("L2", self.l2), ("L1", self.l1)] {
            if !(0.0..=MAX_LAMBDA).contains(&lambda) {
                return Err(format!(
                    "the {name} rate λ must lie in 0 to {}, not {}",
                    Number(MAX_LAMBDA),
                    Number(lambda)
                ));
            }
        }
        Ok(())
    }

    /// `cost` with the penalty of a batch of `m` points added, in the
    /// reference's order: + (λ2 / 2m) Σ_l ‖W[l]‖², then + (λ1 / m) Σ_l |W[l]|
    /// (biases are not regularised).
    pub fn with_penalty(&self, cost: f64, p: &Parameters, m: usize) -> f64 {
        let m = m as f64;
        let mut cost = cost;
        if self.l2 != 0.0 {
            let squares: f64 =
                p.w.iter()
                    .map(|w| w.data.iter().map(|v| v * v).sum::<f64>())
                    .sum();
            cost += self.l2 / (2.0 * m) * squares;
        }
        if self.l1 != 0.0 {
            let sizes: f64 =
                p.w.iter()
                    .map(|w| w.data.iter().map(|v| v.abs()).sum::<f64>())
                    .sum();
            cost += self.l1 / m * sizes;
        }
        cost
    }

    /// dW[l] += (λ2/m) W[l] + (λ1/m) sign(W[l]), as the reference adds them.
    pub fn regularise(&self, p: &Parameters, grads: &mut Gradients, m: usize) {
        if self.l2 == 0.0 && self.l1 == 0.0 {
            return;
        }
        let m = m as f64;
        let (l2, l1) = (self.l2 / m, self.l1 / m);
        for (dw, w) in grads.dw.iter_mut().zip(&p.w) {
            for (d, &w) in dw.data.iter_mut().zip(&w.data) {
                let sign = if w > 0.0 {
                    1.0
                } else if w < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                *d = *d + l2 * w + l1 * sign;
            }
        }
    }
}

/// The optimizer's memory: v and s shaped like the parameters, and Adam's
/// update count t.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimizerState {
    pub v: Parameters,
    pub s: Parameters,
    pub t: u64,
}

impl OptimizerState {
    /// Zeros, shaped like `p`.
    pub fn for_parameters(p: &Parameters) -> OptimizerState {
        let zeros = |p: &Parameters| Parameters {
            w: p.w.iter().map(|m| Matrix::zeros(m.rows, m.cols)).collect(),
            b: p.b.iter().map(|m| Matrix::zeros(m.rows, m.cols)).collect(),
        };
        OptimizerState {
            v: zeros(p),
            s: zeros(p),
            t: 0,
        }
    }

    /// One update of `p` by `grads` at learning rate `lr`, as the reference's loop.
    pub fn update(&mut self, optimizer: Optimizer, p: &mut Parameters, grads: &Gradients, lr: f64) {
        self.t += 1;
        // Matrix by matrix: W1, W2, ..., then b1, b2, ... (the order does not
        // matter: every parameter's update is its own).
        let matrices =
            p.w.iter_mut()
                .chain(p.b.iter_mut())
                .zip(self.v.w.iter_mut().chain(self.v.b.iter_mut()))
                .zip(self.s.w.iter_mut().chain(self.s.b.iter_mut()))
                .zip(grads.dw.iter().chain(&grads.db));
        let t = self.t as f64;
        for (((p, v), s), g) in matrices {
            let (p, v, s, g) = (&mut p.data, &mut v.data, &mut s.data, &g.data);
            match optimizer {
                Optimizer::GradientDescent => {
                    for (p, &g) in p.iter_mut().zip(g) {
                        *p -= lr * g;
                    }
                }
                Optimizer::Momentum { beta } => {
                    for ((p, v), &g) in p.iter_mut().zip(v.iter_mut()).zip(g) {
                        *v = beta * *v + (1.0 - beta) * g;
                        *p -= lr * *v;
                    }
                }
                Optimizer::Adam {
                    beta1,
                    beta2,
                    epsilon,
                } => {
                    // Python's `beta ** t` is C's pow: powf, not powi.
                    let (c1, c2) = (1.0 - beta1.powf(t), 1.0 - beta2.powf(t));
                    for (((p, v), s), &g) in p.iter_mut().zip(v.iter_mut()).zip(s.iter_mut()).zip(g)
                    {
                        *v = beta1 * *v + (1.0 - beta1) * g;
                        *s = beta2 * *s + (1.0 - beta2) * (g * g);
                        let corrected_v = *v / c1;
                        let corrected_s = *s / c2;
                        *p -= lr * corrected_v / (corrected_s.sqrt() + epsilon);
                    }
                }
            }
        }
    }
}
