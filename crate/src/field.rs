//! P(class 1) over the plane as RGBA pixels, and each hidden unit's
//! activation as a small map.
//!
//! The page shows a square of the plane; pixel (px, py) samples the plane at
//! its centre, y pointing up. The maths is in f32 (the colours have 8 bits,
//! so f64 would buy nothing) on blocks of pixels that vectorize as f32x4,
//! with a tanh accurate to 1e-4 (far below a colour step). The output's
//! sigmoid is folded into a table from Z2 to colour, and the 0.5 contour is
//! where Z2 changes sign.
//! Pixels are `u32`s whose little-endian bytes are R, G, B, A, so JS can wrap
//! the buffer as `ImageData` straight from wasm memory.

// Indexed loops over lanes and units are the shape LLVM vectorizes.
#![allow(clippy::needless_range_loop)]

use crate::fastmath::tanh_f32;
use crate::network::Parameters;

/// Pixels processed together.
const LANES: usize = 8;

/// The class colours (Okabe–Ito orange and blue, told apart with every common
/// colour-vision deficiency), as RGB.
pub const CLASS_COLORS: [[u8; 3]; 2] = [[230, 159, 0], [0, 114, 178]];
const NEUTRAL: [u8; 3] = [247, 247, 247];
const CONTOUR: [u8; 3] = [40, 40, 40];
/// How far deep-inside colours go from neutral toward the class colour.
const FIELD_STRENGTH: f64 = 0.62;
/// The colour table covers Z2 in [-Z2_RANGE, Z2_RANGE] (P from 1e-7 to
/// 1 - 1e-7: beyond, the colour no longer changes) in `SHADES` steps, fine
/// enough that a step moves P by at most 0.25 * 32/4096 < 1/512, under half a
/// colour level.
const Z2_RANGE: f32 = 16.0;
const SHADES: usize = 4096;

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

fn mix(from: [u8; 3], to: [u8; 3], t: f64) -> [u8; 3] {
    std::array::from_fn(|i| (from[i] as f64 + (to[i] as f64 - from[i] as f64) * t).round() as u8)
}

/// The colour of probability `p`: class 0's colour fading to neutral at 0.5,
/// then to class 1's.
pub fn probability_color(p: f64) -> u32 {
    let strength = (2.0 * (p - 0.5)).abs() * FIELD_STRENGTH;
    rgba(mix(NEUTRAL, CLASS_COLORS[usize::from(p > 0.5)], strength))
}

/// The table index of Z2: the nearest step, with Z2 = 0 on `SHADES / 2`
/// (NaN, never expected, maps to 0).
#[inline(always)]
fn shade_index(z2: f32) -> u32 {
    let scaled = z2 * (SHADES as f32 / (2.0 * Z2_RANGE)) + (SHADES / 2) as f32;
    // Adding 2^23 puts round(scaled) in the low mantissa bits: a conversion
    // that vectorizes (float-to-int casts saturate, and x86 does those one
    // lane at a time).
    let clamped = scaled.clamp(0.0, (SHADES - 1) as f32);
    (clamped + 8_388_608.0).to_bits() - 8_388_608f32.to_bits()
}

/// The Z2 that table entry `i` stands for.
fn shade_z2(i: usize) -> f64 {
    (i as f64 - (SHADES / 2) as f64) * (2.0 * Z2_RANGE as f64) / SHADES as f64
}

/// tanh to within 1e-4 for colours: the (7, 6) Padé approximant, which is
/// within 2e-6 up to |x| = 3 and reaches 1 near 4.97, where it is clamped.
#[inline(always)]
fn tanh_for_shading(x: f32) -> f32 {
    let x = x.clamp(-4.97, 4.97);
    let x2 = x * x;
    let numerator = x * (135_135.0 + x2 * (17_325.0 + x2 * (378.0 + x2)));
    let denominator = 135_135.0 + x2 * (62_370.0 + x2 * (3_150.0 + x2 * 28.0));
    (numerator / denominator).clamp(-1.0, 1.0)
}

/// Renders probability maps into reusable buffers.
pub struct Field {
    /// The colour of Z2 = `shade_z2(i)` at index i.
    shades: Vec<u32>,
    xs: Vec<f32>,
    /// Each pixel's `shade_index(Z2)`.
    indices: Vec<u32>,
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
        let shades = (0..SHADES)
            .map(|i| probability_color(crate::network::sigmoid(shade_z2(i))))
            .collect();
        Field {
            shades,
            xs: Vec::new(),
            indices: Vec::new(),
            pixels: Vec::new(),
            unit_pixels: Vec::new(),
        }
    }

    /// The probability map of `p` at `width x height` pixels, with the 0.5
    /// contour drawn in; returns the pixels (row-major, top row first).
    pub fn render(&mut self, p: &Parameters, view: View, width: usize, height: usize) -> &[u32] {
        self.indices.resize(width * height, 0);
        self.pixels.resize(width * height, 0);
        if width == 0 || height == 0 {
            return &self.pixels;
        }
        self.xs.clear();
        self.xs
            .extend((0..width).map(|px| view.to_plane(px as f64, width) as f32));
        let (xs, indices) = (&self.xs, &mut self.indices);
        match p.n_h() {
            1 => shade_indices::<1>(p, view, xs, height, indices),
            2 => shade_indices::<2>(p, view, xs, height, indices),
            3 => shade_indices::<3>(p, view, xs, height, indices),
            4 => shade_indices::<4>(p, view, xs, height, indices),
            5 => shade_indices::<5>(p, view, xs, height, indices),
            6 => shade_indices::<6>(p, view, xs, height, indices),
            7 => shade_indices::<7>(p, view, xs, height, indices),
            _ => shade_indices::<8>(p, view, xs, height, indices),
        }
        self.colour(width);
        &self.pixels
    }

    /// Colours each pixel by its Z2, and marks the pixels whose left or upper
    /// neighbour lies on the other side of Z2 = 0 (P = 0.5): a one-pixel line
    /// along the decision boundary.
    fn colour(&mut self, width: usize) {
        let contour = rgba(CONTOUR);
        let rows = self
            .pixels
            .chunks_exact_mut(width)
            .zip(self.indices.chunks_exact(width));
        let mut previous_row: Option<&[u32]> = None;
        for (pixels, indices) in rows {
            // The top row compares with itself: no line along the edge.
            let above = previous_row.unwrap_or(indices);
            let mut left = side(indices[0]);
            for ((pixel, &index), &up) in pixels.iter_mut().zip(indices).zip(above) {
                let here = side(index);
                let crosses = (here != left) | (here != side(up));
                *pixel = if crosses {
                    contour
                } else {
                    self.shades[index as usize]
                };
                left = here;
            }
            previous_row = Some(indices);
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
                let a = tanh_f32((wx * x + wy * y + b) as f32) as f64;
                self.unit_pixels[py * size + px] = probability_color((a + 1.0) * 0.5);
            }
        }
        &self.unit_pixels
    }
}

/// Which side of Z2 = 0 a table index lies on (index `SHADES / 2` is Z2 = 0).
#[inline(always)]
fn side(index: u32) -> bool {
    index >= (SHADES / 2) as u32
}

/// `shade_index(Z2)`, Z2 = W2·tanh(W1·(x, y) + b1) + b2, at each pixel's
/// centre, into `out` (row-major, top row first); `xs` holds each column's x.
fn shade_indices<const H: usize>(
    p: &Parameters,
    view: View,
    xs: &[f32],
    height: usize,
    out: &mut [u32],
) {
    let w1x: [f32; H] = std::array::from_fn(|j| p.w1.get(j, 0) as f32);
    let w2: [f32; H] = std::array::from_fn(|j| p.w2.data[j] as f32);
    let b2 = p.b2.data[0] as f32;
    let z2_at = |x: f32, row_bias: &[f32; H]| -> f32 {
        b2 + (0..H)
            .map(|j| w2[j] * tanh_for_shading(w1x[j] * x + row_bias[j]))
            .sum::<f32>()
    };
    for (py, row) in out.chunks_exact_mut(xs.len()).enumerate() {
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
                    z2[l] += w2[j] * tanh_for_shading(w1x[j] * x[l] + row_bias[j]);
                }
            }
            for l in 0..LANES {
                o[l] = shade_index(z2[l]);
            }
        }
        for (&x, o) in x_blocks.remainder().iter().zip(out_blocks.into_remainder()) {
            *o = shade_index(z2_at(x, &row_bias));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network;
    use crate::trainer::Trainer;

    #[test]
    fn tanh_for_shading_is_within_1e_4() {
        let worst = (-200_000..=200_000)
            .map(|i| i as f32 * 1e-4)
            .map(|x| (tanh_for_shading(x) as f64 - (x as f64).tanh()).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-4, "{worst}");
        assert_eq!(tanh_for_shading(0.0), 0.0);
        assert!(tanh_for_shading(1e9) > 0.9999 && tanh_for_shading(-1e9) < -0.9999);
        assert!(tanh_for_shading(1e9) <= 1.0 && tanh_for_shading(-1e9) >= -1.0);
    }

    /// Every pixel's colour against P from the f64 network at the pixel's centre.
    #[test]
    fn pixels_show_the_networks_probability_and_its_contour() {
        let mut trainer = Trainer::tutorial();
        trainer.step(3000);
        let p = trainer.params();
        let view = View { half_width: 5.0 };
        let (width, height) = (97, 61);
        let pixels = Field::new().render(p, view, width, height).to_vec();
        let z2_at = |px: usize, py: usize| {
            let (x, y) = (
                view.to_plane(px as f64, width),
                -view.to_plane(py as f64, height),
            );
            let a1 = (0..p.n_h())
                .map(|j| (p.w1.get(j, 0) * x + p.w1.get(j, 1) * y + p.b1.data[j]).tanh());
            p.b2.data[0] + a1.zip(&p.w2.data).map(|(a, w)| a * w).sum::<f64>()
        };
        let channels = |c: u32| c.to_le_bytes();
        let (mut contour, mut near_contour) = (0, 0);
        for py in 0..height {
            for px in 0..width {
                let z2 = z2_at(px, py);
                let pixel = pixels[py * width + px];
                if pixel == rgba(CONTOUR) {
                    contour += 1;
                    // A contour pixel has a neighbour across Z2 = 0.
                    let left = px > 0 && (z2_at(px - 1, py) > 0.0) != (z2 > 0.0);
                    let up = py > 0 && (z2_at(px, py - 1) > 0.0) != (z2 > 0.0);
                    assert!(
                        left || up || z2.abs() < 1e-2,
                        "stray contour at ({px}, {py})"
                    );
                    continue;
                }
                let expected = channels(probability_color(network::sigmoid(z2)));
                let actual = channels(pixel);
                let off = (0..3)
                    .map(|i| (expected[i] as i32 - actual[i] as i32).abs())
                    .max()
                    .unwrap();
                if off > 1 {
                    near_contour += 1;
                    assert!(
                        z2.abs() < 0.05,
                        "({px}, {py}): {actual:?} vs {expected:?} at Z2 {z2}"
                    );
                }
            }
        }
        assert!(
            contour > width / 2,
            "the boundary crosses the view: {contour} contour pixels"
        );
        assert!(near_contour < 5);
    }

    #[test]
    fn deep_inside_each_class_is_its_colour() {
        let deep = |p: f64| channels_of(probability_color(p));
        let (orange, blue) = (deep(0.001), deep(0.999));
        assert!(orange[0] > orange[2] + 60, "{orange:?}");
        assert!(blue[2] > blue[0] + 60, "{blue:?}");
        assert_eq!(deep(0.5), NEUTRAL);
    }

    fn channels_of(c: u32) -> [u8; 3] {
        let b = c.to_le_bytes();
        [b[0], b[1], b[2]]
    }

    #[test]
    fn unit_maps_and_odd_sizes_render() {
        let trainer = Trainer::tutorial();
        let mut field = Field::new();
        let view = View { half_width: 5.0 };
        assert_eq!(field.render(trainer.params(), view, 1, 1).len(), 1);
        assert_eq!(field.render(trainer.params(), view, 0, 0).len(), 0);
        assert_eq!(field.render_unit(trainer.params(), 3, view, 9).len(), 81);
    }
}
