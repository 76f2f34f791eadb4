//! Planar: the classic "neural network from scratch" tutorial (a 2-4-1
//! network, tanh hidden units, sigmoid output, trained by full-batch
//! gradient descent on the planar "flower" data set) and the networks the
//! rest of the course builds, in plain Rust.
//!
//! One idea per module:
//! - [`matrix`]: row-major `f64` matrices on flat arrays, hand-written products.
//! - [`rng`]: numpy's legacy `RandomState`, bit for bit (MT19937, `randn`).
//! - [`data`]: the flower data set, presets, and the user's points.
//! - [`model`]: the network as one value: features, layers, activations, initialisation.
//! - [`network`]: the tutorial's 2-layer functions, by name, on [`matrix::Matrix`].
//! - [`deep`]: the course's L-layer functions, by name, for any [`model::Model`].
//! - [`optim`]: momentum, Adam, L2 and L1, mini-batches: training as the course's part two.
//! - [`fastmath`]: `exp`, `tanh`, `log1p` written to vectorize.
//! - [`fused`]: one training step fused over points, for any model; tested against [`deep`].
//! - [`history`]: the cost at every iteration, in bounded memory.
//! - [`trainer`]: data, parameters, workspace and cost history together.
//! - [`field`]: P(class 1) and every node over the plane as RGBA pixels.
//! - [`insight`]: the gradient check, the next step over η, the largest stable step, the landscape.
//! - [`number`]: numbers in messages without std's float printing in wasm.
//! - [`course`]: the reference's command line, for `examples/train.rs` and its tests.
//! - [`facade`]: the one file that knows wasm-bindgen.

pub mod course;
pub mod data;
pub mod deep;
pub mod facade;
pub mod fastmath;
pub mod field;
pub mod fused;
pub mod history;
pub mod insight;
pub mod matrix;
pub mod model;
pub mod network;
pub mod number;
pub mod optim;
pub mod rng;
pub mod trainer;
