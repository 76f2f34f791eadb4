//! P(class 1) over the plane as RGBA pixels, and each hidden unit's
//! activation as a small map.
//!
//! The page shows a square of the plane; pixel (px, py) samples the plane at
//! its centre, y pointing up. The maths is in f32 (the colours have 8 bits,
//! so f64 would buy nothing) on blocks of pixels that vectorize as f32x4.
//! Pixels are `u32`s whose little-endian bytes are R, G, B, A, so JS can wrap
//! the buffer as `ImageData` straight from wasm memory.

// Indexed loops over lanes and units are the shape LLVM vectorizes.
#![allow(clippy::needless_range_loop)]

use crate::fastmath::{sigmoid_f32, tanh_f32};
use crate::network::{N_X, Parameters};

/// Pixels processed together.
const LANES: usize = 8;

/// The class colours (Okabe–Ito orange and blue, told apart with every common
/// colour-vision deficiency), as RGB.
pub const CLASS_COLORS: [[u8; 3]; 2] = [[230, 159, 0], [0, 114, 178]];
const NEUTRAL: [u8; 3] = [247, 247, 247];
const CONTOUR: [u8; 3] = [40, 40, 40];
/// How far deep-inside colours go from neutral toward the class colour.
const FIELD_STRENGTH: f32 = 0.62;
const SHADES: usize = 256;

/// The square `[-half_width, half_width]²` of the plane that pixels cover.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub half_width: f64,
}

impl View {
    /// The plane coordinate of pixel `p`'s centre along an axis of `size` pixels.
    pub fn to_plane(&self, p: f64, size: usize) -> f64 {
        -self.half_width + (p + 0.5) / size as f64 * 2.0 * self.half_width
    }
}

pub fn rgba(rgb: [u8; 3]) -> u32 {
    u32::from_le_bytes([rgb[0], rgb[1], rgb[2], 255])
}

fn mix(from: [u8; 3], to: [u8; 3], t: f32) -> [u8; 3] {
    std::array::from_fn(|i| (from[i] as f32 + (to[i] as f32 - from[i] as f32) * t).round() as u8)
}

/// Renders probability maps into reusable buffers.
pub struct Field {
    /// Colour of P = s / 255, for s in 0..=255: class 0's colour fading to
    /// neutral at 0.5, then to class 1's.
    shades: [u32; SHADES],
    probability: Vec<f32>,
    pixels: Vec<u32>,
    unit_pixels: Vec<u32>,
}

impl Default for Field {
    fn default() -> Self {
        Self::new()
    }
}

impl Field {
    pub fn new() -> Self {
        let shades = std::array::from_fn(|s| {
            let p = s as f32 / (SHADES - 1) as f32;
            let strength = (2.0 * (p - 0.5)).abs() * FIELD_STRENGTH;
            rgba(mix(NEUTRAL, CLASS_COLORS[usize::from(p > 0.5)], strength))
        });
        Field {
            shades,
            probability: Vec::new(),
            pixels: Vec::new(),
            unit_pixels: Vec::new(),
        }
    }

    /// The probability map of `p` at `width x height` pixels, with the 0.5
    /// contour drawn in; returns the pixels (row-major, top row first).
    pub fn render(&mut self, p: &Parameters, view: View, width: usize, height: usize) -> &[u32] {
        self.probability.resize(width * height, 0.0);
        self.pixels.resize(width * height, 0);
        match p.n_h() {
            1 => probabilities::<1>(p, view, width, height, &mut self.probability),
            2 => probabilities::<2>(p, view, width, height, &mut self.probability),
            3 => probabilities::<3>(p, view, width, height, &mut self.probability),
            4 => probabilities::<4>(p, view, width, height, &mut self.probability),
            5 => probabilities::<5>(p, view, width, height, &mut self.probability),
            6 => probabilities::<6>(p, view, width, height, &mut self.probability),
            7 => probabilities::<7>(p, view, width, height, &mut self.probability),
            _ => probabilities::<8>(p, view, width, height, &mut self.probability),
        }
        for (pixel, &prob) in self.pixels.iter_mut().zip(&self.probability) {
            *pixel = self.shades[shade_index(prob)];
        }
        self.draw_contour(width, height);
        &self.pixels
    }

    fn shade(&self, p: f32) -> u32 {
        self.shades[shade_index(p)]
    }

    /// Marks each pixel whose left or upper neighbour lies on the other side
    /// of P = 0.5: a one-pixel line along the decision boundary.
    fn draw_contour(&mut self, width: usize, height: usize) {
        let contour = rgba(CONTOUR);
        let side = |p: f32| p > 0.5;
        for py in 0..height {
            for px in 0..width {
                let i = py * width + px;
                let here = side(self.probability[i]);
                let crosses = (px > 0 && side(self.probability[i - 1]) != here)
                    || (py > 0 && side(self.probability[i - width]) != here);
                if crosses {
                    self.pixels[i] = contour;
                }
            }
        }
    }

    /// Hidden unit `unit`'s activation tanh(Z1) over the plane at `size x size`
    /// pixels, coloured as the probability map colours (A1 + 1) / 2.
    pub fn render_unit(&mut self, p: &Parameters, unit: usize, view: View, size: usize) -> &[u32] {
        assert!(unit < p.n_h(), "unit {unit} of {}", p.n_h());
        self.unit_pixels.resize(size * size, 0);
        let (wx, wy, b) = (p.w1.get(unit, 0), p.w1.get(unit, 1), p.b1.data[unit]);
        for py in 0..size {
            let y = -view.to_plane(py as f64, size);
            for px in 0..size {
                let x = view.to_plane(px as f64, size);
                let a = tanh_f32((wx * x + wy * y + b) as f32);
                self.unit_pixels[py * size + px] = self.shade((a + 1.0) * 0.5);
            }
        }
        &self.unit_pixels
    }
}

/// The shade of probability `p`; NaN (never expected) maps to 0.
fn shade_index(p: f32) -> usize {
    ((p * (SHADES - 1) as f32 + 0.5) as usize).min(SHADES - 1)
}

/// P(class 1) at each pixel's centre, into `out` (row-major, top row first).
fn probabilities<const H: usize>(
    p: &Parameters,
    view: View,
    width: usize,
    height: usize,
    out: &mut [f32],
) {
    let w1: [[f32; N_X]; H] =
        std::array::from_fn(|j| [p.w1.get(j, 0) as f32, p.w1.get(j, 1) as f32]);
    let w2: [f32; H] = std::array::from_fn(|j| p.w2.data[j] as f32);
    let b2 = p.b2.data[0] as f32;
    let xs: Vec<f32> = (0..width)
        .map(|px| view.to_plane(px as f64, width) as f32)
        .collect();
    for (py, row) in out.chunks_exact_mut(width).enumerate() {
        // y points up: the top row is the plane's largest y.
        let y = -view.to_plane(py as f64, height);
        // W1·(x, y) + b1 with y fixed along the row: one multiply-add per unit.
        let row_bias: [f32; H] =
            std::array::from_fn(|j| (p.w1.get(j, 1) * y + p.b1.data[j]) as f32);
        let mut x_blocks = xs.chunks_exact(LANES);
        let mut out_blocks = row.chunks_exact_mut(LANES);
        for (x, o) in (&mut x_blocks).zip(&mut out_blocks) {
            let mut z2 = [b2; LANES];
            for j in 0..H {
                for l in 0..LANES {
                    z2[l] += w2[j] * tanh_f32(w1[j][0] * x[l] + row_bias[j]);
                }
            }
            for l in 0..LANES {
                o[l] = sigmoid_f32(z2[l]);
            }
        }
        for (&x, o) in x_blocks.remainder().iter().zip(out_blocks.into_remainder()) {
            let z2: f32 = b2
                + (0..H)
                    .map(|j| w2[j] * tanh_f32(w1[j][0] * x + row_bias[j]))
                    .sum::<f32>();
            *o = sigmoid_f32(z2);
        }
    }
}
