//! Planar: the classic "neural network from scratch" tutorial, a 2-n_h-1
//! network (tanh hidden units, sigmoid output) trained by full-batch gradient
//! descent on the planar "flower" data set, in plain Rust.
//!
//! One idea per module:
//! - [`matrix`]: row-major `f64` matrices on flat arrays, hand-written products.
//! - [`rng`]: numpy's legacy `RandomState`, bit for bit (MT19937, `randn`).
//! - [`data`]: the flower data set, presets, and the user's points.
//! - [`network`]: the tutorial's functions, by name, on [`matrix::Matrix`].
//! - [`fastmath`]: `exp`, `tanh`, `log1p` written to vectorize.
//! - [`fused`]: one training step fused over points; tested against [`network`].
//! - [`history`]: the cost at every iteration, in bounded memory.
//! - [`trainer`]: data, parameters, workspace and cost history together.
//! - [`field`]: P(class 1) over the plane as RGBA pixels.
//! - [`facade`]: the one file that knows wasm-bindgen.

pub mod data;
pub mod facade;
pub mod fastmath;
pub mod field;
pub mod fused;
pub mod history;
pub mod matrix;
pub mod network;
pub mod rng;
pub mod trainer;
