//! P(class 1) over the plane as RGBA pixels, and every node of the network
//! (input feature, hidden unit, output) as a small map.
//!
//! The page shows a square of the plane; pixel (px, py) samples the plane at
//! its centre, y pointing up. This is the network's one f32 forward pass
//! ([`forward_block`]): the colours have 8 bits, so f64 would buy nothing.
//! It runs on blocks of pixels that vectorize as f32x4, with a tanh
//! accurate to 1e-4 (far below a colour step). The first layer is
//! separable: the features of x alone are summed once per column, those of
//! y alone once per row, so a pixel adds only x1·x2's term. The output's
//! sigmoid is folded into a table from Z[L] to colour, and the 0.5 contour
//! is where Z[L] changes sign.
//! Pixels are `u32`s whose little-endian bytes are R, G, B, A, so JS can wrap
//! the buffer as `ImageData` straight from wasm memory.

// Indexed loops over lanes and units are the shape LLVM vectorizes.
#![allow(clippy::needless_range_loop)]

use crate::deep::Parameters;
use crate::model::{Activation, Feature, MAX_FEATURES, MAX_LAYERS, MAX_UNITS, Model};

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

/// The square of the plane that pixels cover: centred on (cx, cy), from
/// `cx - half_width` to `cx + half_width` across.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub cx: f64,
    pub cy: f64,
    pub half_width: f64,
}

impl View {
    /// The square `[-half_width, half_width]²`.
    pub fn centred(half_width: f64) -> View {
        View {
            cx: 0.0,
            cy: 0.0,
            half_width,
        }
    }

    /// The x of column `px`'s centre, of `size` columns.
    pub fn x_at(&self, px: f64, size: usize) -> f64 {
        self.cx - self.half_width + (px + 0.5) / size as f64 * 2.0 * self.half_width
    }

    /// The y of row `py`'s centre, of `size` rows; y points up, so row 0 is the top.
    pub fn y_at(&self, py: f64, size: usize) -> f64 {
        self.cy + self.half_width - (py + 0.5) / size as f64 * 2.0 * self.half_width
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
    // max before min: f32::max returns the number when the other operand is
    // NaN, so a NaN Z (weights beyond f32) lands on index 0, not out of range.
    let clamped = scaled.max(0.0).min((SHADES - 1) as f32);
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

/// The parameters in f32, hidden layers padded to W units with zeros (as
/// in [`crate::fused`]): the first layer split by what each feature depends on.
struct NetF32<const W: usize> {
    hidden: usize,
    act: [Activation; MAX_LAYERS],
    /// The first layer with weights (hidden layer 1, or the output when
    /// there is none): `first[j][k]`, unit j, feature k in [`Feature::ALL`]
    /// order (zero for features the model does not read), and its bias.
    first: [[f32; MAX_FEATURES]; W],
    first_bias: [f32; W],
    /// W[l + 1] at index l for l ≥ 1.
    w_hid: [[[f32; W]; W]; MAX_LAYERS],
    b: [[f32; W]; MAX_LAYERS],
    /// The output's weights on the top hidden layer (when there is one).
    w_out: [f32; W],
    b_out: f32,
}

impl<const W: usize> NetF32<W> {
    fn of(model: &Model, p: &Parameters) -> Self {
        let hidden = model.hidden.len();
        let mut net = NetF32 {
            hidden,
            act: [Activation::Linear; MAX_LAYERS],
            first: [[0.0; MAX_FEATURES]; W],
            first_bias: [0.0; W],
            w_hid: [[[0.0; W]; W]; MAX_LAYERS],
            b: [[0.0; W]; MAX_LAYERS],
            w_out: [0.0; W],
            b_out: p.b[hidden].data[0] as f32,
        };
        let columns: Vec<usize> = model
            .features
            .iter()
            .map(|f| Feature::ALL.iter().position(|&g| g == f).expect("listed"))
            .collect();
        let w1 = &p.w[0];
        for j in 0..w1.rows {
            for (k, &column) in columns.iter().enumerate() {
                net.first[j][column] = w1.get(j, k) as f32;
            }
            net.first_bias[j] = p.b[0].data[j] as f32;
        }
        for (l, layer) in model.hidden.iter().enumerate() {
            net.act[l] = layer.activation;
            if l > 0 {
                let w = &p.w[l];
                for j in 0..w.rows {
                    for k in 0..w.cols {
                        net.w_hid[l][j][k] = w.get(j, k) as f32;
                    }
                    net.b[l][j] = p.b[l].data[j] as f32;
                }
            }
        }
        if hidden > 0 {
            for (k, &w) in p.w[hidden].data.iter().enumerate() {
                net.w_out[k] = w as f32;
            }
        }
        net
    }

    /// The first layer's terms in the features of x alone (x1, x1², sin x1).
    fn column_part(&self, j: usize, x: f64) -> f32 {
        let w = &self.first[j];
        w[0] * x as f32 + w[2] * (x * x) as f32 + w[5] * x.sin() as f32
    }

    /// The first layer's terms in the features of y alone, and its bias.
    fn row_part(&self, j: usize, y: f64) -> f32 {
        let w = &self.first[j];
        w[1] * y as f32 + w[3] * (y * y) as f32 + w[6] * y.sin() as f32 + self.first_bias[j]
    }
}

type LanesF32 = [f32; LANES];

/// A block's hidden activations and output Z.
struct ForwardF32<const W: usize> {
    a: [[LanesF32; W]; MAX_LAYERS],
    z_out: LanesF32,
}

/// A = g(A) over a block's layer, out of line and over a slice: one copy
/// of each activation's loop serves every layer and width.
#[inline(always)]
fn activate_f32<const W: usize>(g: Activation, a: &mut [LanesF32; W]) {
    activate_values_f32(g, a.as_flattened_mut());
}

// Out of line in wasm, where size counts; natively inlined into each
// kernel, so that the AVX2 kernels run it with AVX2.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn activate_values_f32(g: Activation, a: &mut [f32]) {
    #[inline(always)]
    fn apply(a: &mut [f32], f: impl Fn(f32) -> f32) {
        for v in a {
            *v = f(*v);
        }
    }
    match g {
        Activation::Tanh => apply(a, tanh_for_shading),
        Activation::Relu => apply(a, |z| Activation::Relu.apply_f32(z)),
        Activation::LeakyRelu => apply(a, |z| Activation::LeakyRelu.apply_f32(z)),
        Activation::Sigmoid => apply(a, |z| Activation::Sigmoid.apply_f32(z)),
        Activation::Linear => {}
    }
}

/// The forward pass for a block of pixels: `first` holds each unit's first
/// layer Z (its column and row parts added, x1·x2's term too).
#[inline(always)]
fn forward_block<const W: usize>(net: &NetF32<W>, first: [LanesF32; W], f: &mut ForwardF32<W>) {
    if net.hidden == 0 {
        f.z_out = first[0];
        return;
    }
    f.a[0] = first;
    activate_f32(net.act[0], &mut f.a[0]);
    for l in 1..net.hidden {
        for j in 0..W {
            let mut s = [0.0; LANES];
            for k in 0..W {
                for i in 0..LANES {
                    s[i] += net.w_hid[l][j][k] * f.a[l - 1][k][i];
                }
            }
            for i in 0..LANES {
                f.a[l][j][i] = s[i] + net.b[l][j];
            }
        }
        activate_f32(net.act[l], &mut f.a[l]);
    }
    let top = &f.a[net.hidden - 1];
    let mut s = [0.0; LANES];
    for k in 0..W {
        for i in 0..LANES {
            s[i] += net.w_out[k] * top[k][i];
        }
    }
    for i in 0..LANES {
        f.z_out[i] = s[i] + net.b_out;
    }
}

/// What a map shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Node {
    /// P(class 1) as the colour table shades Z[L], with the 0.5 contour.
    Field,
    /// Input feature k of the model (0-based, in its row order).
    Feature(usize),
    /// Hidden unit `unit` of layer `layer` (1-based, 1..L−1).
    Hidden { layer: usize, unit: usize },
    /// P(class 1), without the contour.
    Output,
}

/// Runs `$self.$sweep::<W>(...)` with W the model's width rounded up to 4
/// or [`MAX_UNITS`] (the units past it are zero units, which add exactly 0):
/// two unrolled instances.
macro_rules! for_width_f32 {
    ($width:expr, $self:ident.$sweep:ident($($arg:expr),*)) => {
        match $width {
            0..=4 => $self.$sweep::<4>($($arg),*),
            _ => $self.$sweep::<{ MAX_UNITS }>($($arg),*),
        }
    };
}

/// Renders maps into reusable buffers.
pub struct Field {
    /// The colour of Z[L] = `shade_z2(i)` at index i.
    shades: Vec<u32>,
    /// Each pixel's `shade_index(Z[L])`.
    indices: Vec<u32>,
    /// Per column and unit: the first layer's terms in x alone.
    columns: Vec<f32>,
    /// Per column: x.
    xs: Vec<f32>,
    pixels: Vec<u32>,
    node_pixels: Vec<u32>,
}

impl Default for Field {
    fn default() -> Self {
        Self::new()
    }
}

impl Field {
    pub fn new() -> Self {
        Field {
            shades: shades(false),
            indices: Vec::new(),
            columns: Vec::new(),
            xs: Vec::new(),
            pixels: Vec::new(),
            node_pixels: Vec::new(),
        }
    }

    /// Shows the predicted class (1 where P > 0.5, as the accuracy counts
    /// it) instead of the probability from the next render.
    pub fn set_discrete(&mut self, discrete: bool) {
        self.shades = shades(discrete);
    }

    /// The probability map of `p` at `width x height` pixels, with the 0.5
    /// contour drawn in; returns the pixels (row-major, top row first).
    pub fn render(
        &mut self,
        model: &Model,
        p: &Parameters,
        view: View,
        width: usize,
        height: usize,
    ) -> &[u32] {
        self.render_rows(model, p, view, width, height, 0, height)
    }

    /// Rows `first .. first + count` of [`Field::render`]'s map, the same
    /// pixels (the contour included): a large map drawn a band at a time.
    /// Returns the band's pixels, row-major; rows past the map are left out.
    #[allow(clippy::too_many_arguments)]
    pub fn render_rows(
        &mut self,
        model: &Model,
        p: &Parameters,
        view: View,
        width: usize,
        height: usize,
        first: usize,
        count: usize,
    ) -> &[u32] {
        let count = count.min(height.saturating_sub(first));
        // The row above the band, when there is one: the contour compares with it.
        let above = usize::from(first > 0 && count > 0);
        let rows = count + above;
        self.indices.resize(width * rows, 0);
        self.pixels.resize(width * rows, 0);
        if width == 0 || count == 0 {
            return &self.pixels[..0];
        }
        let mut indices = std::mem::take(&mut self.indices);
        for_width_f32!(
            model.width(),
            self.sweep(
                model,
                p,
                view,
                width,
                height,
                first - above,
                &mut indices,
                Node::Field
            )
        );
        self.indices = indices;
        self.colour(width, above);
        &self.pixels[above * width..]
    }

    /// One node's map at `size x size` pixels.
    pub fn render_node(
        &mut self,
        model: &Model,
        p: &Parameters,
        node: Node,
        view: View,
        size: usize,
    ) -> &[u32] {
        let mut pixels = std::mem::take(&mut self.node_pixels);
        pixels.resize(size * size, 0);
        match node {
            Node::Field => {
                let rendered = self.render(model, p, view, size, size);
                pixels.copy_from_slice(rendered);
            }
            Node::Feature(k) => {
                let feature = model
                    .features
                    .iter()
                    .nth(k)
                    .expect("a feature of the model");
                // Coloured by the value over the largest magnitude in view.
                let at = |px: usize, py: usize| {
                    feature.value(view.x_at(px as f64, size), view.y_at(py as f64, size))
                };
                let mut largest = 0.0f64;
                for i in 0..size * size {
                    largest = largest.max(at(i % size, i / size).abs());
                }
                for (i, pixel) in pixels.iter_mut().enumerate() {
                    let v = at(i % size, i / size) / largest.max(f64::MIN_POSITIVE);
                    *pixel = probability_color((v + 1.0) * 0.5);
                }
            }
            Node::Hidden { layer, unit } => {
                assert!(
                    (1..=model.hidden.len()).contains(&layer) && unit < model.units(layer),
                    "no unit {unit} in layer {layer}"
                );
                for_width_f32!(
                    model.width(),
                    self.sweep(model, p, view, size, size, 0, &mut pixels, node)
                );
            }
            Node::Output => {
                for_width_f32!(
                    model.width(),
                    self.sweep(model, p, view, size, size, 0, &mut pixels, node)
                );
            }
        }
        self.node_pixels = pixels;
        &self.node_pixels
    }

    /// Runs the forward pass over every pixel's centre, block by block, and
    /// writes what `node` shows into `out` (row-major): rows `first ..` of
    /// the `width x height` map, top row first, as many as `out` holds; for
    /// [`Node::Field`] the colour table's index of Z[L], else the colour.
    #[allow(clippy::too_many_arguments)]
    fn sweep<const W: usize>(
        &mut self,
        model: &Model,
        p: &Parameters,
        view: View,
        width: usize,
        height: usize,
        first: usize,
        out: &mut [u32],
        node: Node,
    ) {
        let net = NetF32::<W>::of(model, p);
        let shade_of = |g: Activation, a: f32| probability_color(node_shade(g, a as f64));
        let padded = width.div_ceil(LANES) * LANES;
        self.xs.clear();
        self.xs
            .extend((0..padded).map(|px| view.x_at(px as f64, width) as f32));
        self.columns.clear();
        for j in 0..W {
            self.columns
                .extend((0..padded).map(|px| net.column_part(j, view.x_at(px as f64, width))));
        }
        let mixed: [f32; W] = std::array::from_fn(|j| net.first[j][4]);
        let mut f = ForwardF32::<W> {
            a: [[[0.0; LANES]; W]; MAX_LAYERS],
            z_out: [0.0; LANES],
        };
        let mut block_out = [0u32; LANES];
        for (py, row) in out.chunks_exact_mut(width).enumerate() {
            // y points up: the top row is the plane's largest y.
            let y = view.y_at((first + py) as f64, height);
            let row_part: [f32; W] = std::array::from_fn(|j| net.row_part(j, y));
            let y = y as f32;
            for start in (0..padded).step_by(LANES) {
                let mut first = [[0.0f32; LANES]; W];
                for j in 0..W {
                    let columns = &self.columns[j * padded + start..j * padded + start + LANES];
                    for i in 0..LANES {
                        first[j][i] =
                            columns[i] + row_part[j] + mixed[j] * (self.xs[start + i] * y);
                    }
                }
                forward_block(&net, first, &mut f);
                match node {
                    Node::Field => {
                        for (o, &z) in block_out.iter_mut().zip(&f.z_out) {
                            *o = shade_index(z);
                        }
                    }
                    Node::Hidden { layer, unit } => {
                        let g = net.act[layer - 1];
                        for (o, &a) in block_out.iter_mut().zip(&f.a[layer - 1][unit]) {
                            *o = shade_of(g, a);
                        }
                    }
                    Node::Output => {
                        for (o, &z) in block_out.iter_mut().zip(&f.z_out) {
                            *o = shade_of(Activation::Sigmoid, Activation::Sigmoid.apply_f32(z));
                        }
                    }
                    Node::Feature(_) => unreachable!("features are drawn from their values"),
                }
                let end = (start + LANES).min(width);
                row[start..end].copy_from_slice(&block_out[..end - start]);
            }
        }
    }

    /// Colours each pixel by its Z[L], and marks the pixels whose left or upper
    /// neighbour lies on the other side of Z[L] = 0 (P = 0.5): a one-pixel line
    /// along the decision boundary.
    /// The first `above` rows (0 or 1) are only compared with, not coloured.
    fn colour(&mut self, width: usize, above: usize) {
        let contour = rgba(CONTOUR);
        let rows = self
            .pixels
            .chunks_exact_mut(width)
            .zip(self.indices.chunks_exact(width));
        let mut previous_row: Option<&[u32]> = None;
        for (row, (pixels, indices)) in rows.enumerate() {
            if row < above {
                previous_row = Some(indices);
                continue;
            }
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
}

/// The colour of each table index: of its probability, or of the class it
/// predicts when `discrete`.
fn shades(discrete: bool) -> Vec<u32> {
    (0..SHADES)
        .map(|i| {
            let p = crate::network::sigmoid(shade_z2(i));
            probability_color(if discrete {
                f64::from(u8::from(p > 0.5))
            } else {
                p
            })
        })
        .collect()
}

/// A hidden unit's activation as a shade from 0 (class 0's colour) to 1
/// (class 1's): the sigmoid's output as it is, others from [−1, 1].
fn node_shade(g: Activation, a: f64) -> f64 {
    match g {
        Activation::Sigmoid => a,
        _ => (a.clamp(-1.0, 1.0) + 1.0) * 0.5,
    }
}

/// Which side of Z[L] = 0 a table index lies on (index `SHADES / 2` is Z[L] = 0).
#[inline(always)]
fn side(index: u32) -> bool {
    index >= (SHADES / 2) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deep;
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

    /// Z[L] at (x, y) through the readable f64 path.
    fn z_out_at(model: &Model, p: &Parameters, x: f64, y: f64) -> f64 {
        let mut caches = deep::Caches::new(model, 1);
        caches.a[0] = deep::feature_matrix(model.features, &[x], &[y]);
        deep::l_model_forward(p, model, &mut caches);
        caches.z.last().unwrap().data[0]
    }

    /// Every pixel's colour against P from the f64 network at the pixel's
    /// centre, for the tutorial's trained network and deeper ones.
    #[test]
    fn pixels_show_the_networks_probability_and_its_contour() {
        let models = [
            Model::default(),
            Model::parse("x1,x2,x1x2,sinx1", "5,3", "relu,sigmoid", "xavier").unwrap(),
            Model::parse("x1,x2,x2sq,sinx2", "8,8,4", "tanh,leaky_relu,linear", "he").unwrap(),
            Model::parse("x1,x2,x1sq,x2sq", "", "tanh", "xavier").unwrap(),
        ];
        for (i, model) in models.into_iter().enumerate() {
            let points = crate::data::flower(400, 1).unwrap();
            let mut trainer = Trainer::with_model(points, model.clone(), 2).unwrap();
            trainer.set_learning_rate(0.3).unwrap();
            trainer.step(3000);
            let p = trainer.params();
            // The plane's square, or a view off its centre.
            let view = if i % 2 == 0 {
                View::centred(5.0)
            } else {
                View {
                    cx: 1.5,
                    cy: -1.0,
                    half_width: 3.5,
                }
            };
            let (width, height) = (97, 61);
            let pixels = Field::new().render(&model, p, view, width, height).to_vec();
            let z_at = |px: usize, py: usize| {
                let (x, y) = (view.x_at(px as f64, width), view.y_at(py as f64, height));
                z_out_at(&model, p, x, y)
            };
            let channels = |c: u32| c.to_le_bytes();
            let (mut contour, mut near_contour) = (0, 0);
            for py in 0..height {
                for px in 0..width {
                    let z = z_at(px, py);
                    let pixel = pixels[py * width + px];
                    if pixel == rgba(CONTOUR) {
                        contour += 1;
                        // A contour pixel has a neighbour across Z = 0, up
                        // to the colour table's rounding of Z (half a step).
                        let step = 2.0 * Z2_RANGE as f64 / SHADES as f64;
                        let across = |zn: f64| (zn > 0.0) != (z > 0.0) || zn.abs() < step;
                        let left = px > 0 && across(z_at(px - 1, py));
                        let up = py > 0 && across(z_at(px, py - 1));
                        assert!(
                            left || up || z.abs() < step,
                            "{model:?}: stray contour at ({px}, {py}), Z {z}"
                        );
                        continue;
                    }
                    let expected = channels(probability_color(network::sigmoid(z)));
                    let actual = channels(pixel);
                    let off = (0..3)
                        .map(|i| (expected[i] as i32 - actual[i] as i32).abs())
                        .max()
                        .unwrap();
                    if off > 1 {
                        near_contour += 1;
                        assert!(
                            z.abs() < 0.05,
                            "{model:?} ({px}, {py}): {actual:?} vs {expected:?} at Z {z}"
                        );
                    }
                }
            }
            assert!(
                contour > width / 4,
                "{model:?}: the boundary crosses the view: {contour} contour pixels"
            );
            assert!(near_contour < 5, "{model:?}");
        }
    }

    /// A hidden unit's map against its f64 activation at the pixel's centre.
    #[test]
    fn node_maps_show_each_units_activation() {
        let model = Model::parse("x1,x2,sinx1", "3,4", "tanh,relu", "xavier").unwrap();
        let p = deep::initialize_parameters_deep(&model, 5);
        let view = View::centred(5.0);
        let size = 13;
        let mut field = Field::new();
        for (layer, unit) in [(1, 0), (1, 2), (2, 3)] {
            let pixels = field
                .render_node(&model, &p, Node::Hidden { layer, unit }, view, size)
                .to_vec();
            for py in 0..size {
                for px in 0..size {
                    let (x, y) = (view.x_at(px as f64, size), view.y_at(py as f64, size));
                    let mut caches = deep::Caches::new(&model, 1);
                    caches.a[0] = deep::feature_matrix(model.features, &[x], &[y]);
                    deep::l_model_forward(&p, &model, &mut caches);
                    let a = caches.a[layer].data[unit];
                    let expected = probability_color(node_shade(model.activation(layer), a));
                    let (e, g) = (expected.to_le_bytes(), pixels[py * size + px].to_le_bytes());
                    assert!(
                        (0..3).all(|i| (e[i] as i32 - g[i] as i32).abs() <= 1),
                        "layer {layer} unit {unit} at ({px}, {py})"
                    );
                }
            }
        }
        assert_eq!(
            field
                .render_node(&model, &p, Node::Feature(2), view, 9)
                .len(),
            81
        );
        assert_eq!(
            field.render_node(&model, &p, Node::Output, view, 9).len(),
            81
        );
    }

    /// Weights beyond f32's range make Z NaN or infinite in f32: the field
    /// still renders, every pixel a colour of the table or the contour.
    #[test]
    fn weights_beyond_f32_still_render() {
        let model = Model::default();
        let mut p = deep::initialize_parameters_deep(&model, 2);
        p.w[1].data[0] = 1e100;
        p.w[1].data[1] = -1e100;
        p.b[0].data[0] = 1e300;
        let mut field = Field::new();
        let pixels = field
            .render(&model, &p, View::centred(5.0), 64, 64)
            .to_vec();
        assert_eq!(pixels.len(), 64 * 64);
        assert_eq!(shade_index(f32::NAN), 0);
        assert_eq!(shade_index(f32::INFINITY), (SHADES - 1) as u32);
        assert_eq!(shade_index(f32::NEG_INFINITY), 0);
        for layer in 0..=model.depth() {
            let node = match layer {
                0 => Node::Feature(0),
                1 => Node::Hidden { layer: 1, unit: 0 },
                _ => Node::Output,
            };
            assert_eq!(
                field
                    .render_node(&model, &p, node, View::centred(5.0), 8)
                    .len(),
                64
            );
        }
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
    fn a_map_drawn_band_by_band_is_the_whole_map_pixel_for_pixel() {
        let models = [
            Model::default(),
            Model::parse(
                "x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2",
                "8,8,8,8,8,8",
                "relu",
                "he",
            )
            .unwrap(),
        ];
        for model in models {
            let points = crate::data::flower(400, 1).unwrap();
            let mut trainer = Trainer::with_model(points, model.clone(), 2).unwrap();
            trainer.set_learning_rate(0.05).unwrap();
            trainer.step(500);
            let p = trainer.params();
            let view = View {
                cx: 0.5,
                cy: -0.25,
                half_width: 4.5,
            };
            let (width, height) = (83, 83);
            let mut field = Field::new();
            let whole = field.render(&model, p, view, width, height).to_vec();
            assert!(
                whole.contains(&rgba(CONTOUR)),
                "the boundary crosses the view"
            );
            for band in [1, 2, 7, 40, 83, 200] {
                let mut pieced = Vec::new();
                for first in (0..height).step_by(band) {
                    let rows = field.render_rows(&model, p, view, width, height, first, band);
                    assert_eq!(rows.len(), width * band.min(height - first));
                    pieced.extend_from_slice(rows);
                }
                assert!(pieced == whole, "bands of {band} rows");
            }
            assert!(
                field
                    .render_rows(&model, p, view, width, height, height, 5)
                    .is_empty()
            );
            assert!(
                field
                    .render_rows(&model, p, view, width, height, 3, 0)
                    .is_empty()
            );
        }
    }

    #[test]
    fn unit_maps_and_odd_sizes_render() {
        let trainer = Trainer::tutorial();
        let (model, p) = (trainer.model(), trainer.params());
        let mut field = Field::new();
        let view = View::centred(5.0);
        assert_eq!(field.render(model, p, view, 1, 1).len(), 1);
        assert_eq!(field.render(model, p, view, 0, 0).len(), 0);
        let unit = Node::Hidden { layer: 1, unit: 3 };
        assert_eq!(field.render_node(model, p, unit, view, 9).len(), 81);
    }
}
