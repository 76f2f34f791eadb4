//! The data sets: the tutorial's flower (bit for bit numpy's), a few other
//! two-class presets, and the user's editable points.
//!
//! Points are kept as a structure of arrays because that is the tutorial's
//! layout: `x` and `y` are the two rows of `X` (2 x m) and `label` is `Y`
//! (1 x m), so the network can read them without copying.

use std::f64::consts::PI;
use std::fmt;

use crate::rng::RandomState;

/// Most points a data set may hold; keeps a training step interactive.
pub const MAX_POINTS: usize = 100_000;

/// The page shows the square [-PLANE_HALF_WIDTH, PLANE_HALF_WIDTH]²; every
/// preset lies inside it (the flower, left exactly numpy's, only up to
/// 5-sigma noise; see [`flower`]).
pub const PLANE_HALF_WIDTH: f64 = 5.0;

/// Largest |coordinate| a point may have: far outside the plane, but small
/// enough that squares and sums of squares stay exact-ish and finite.
pub const MAX_COORD: f64 = 1e6;

/// How far the non-flower presets may reach: noise is clamped to this so
/// that every point is visible, with a margin from the edge.
const PRESET_LIMIT: f64 = 4.95;

/// Why an edit of [`Points`] (or a data set request) was refused. Every
/// refused edit leaves the points unchanged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PointError {
    /// A coordinate was NaN or infinite.
    NonFinite { x: f64, y: f64 },
    /// A coordinate's magnitude exceeded [`MAX_COORD`].
    OutOfRange { x: f64, y: f64 },
    /// The label was neither 0 nor 1.
    BadLabel(f64),
    /// The set already holds [`MAX_POINTS`] points.
    Full,
    /// There is no point with this index.
    NoSuchPoint { index: usize, len: usize },
    /// The flower needs an even count in 2..=[`MAX_POINTS`].
    BadCount(usize),
    /// The x, y and label vectors given had different lengths.
    LengthMismatch { x: usize, y: usize, label: usize },
}

impl fmt::Display for PointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PointError::NonFinite { x, y } => {
                write!(f, "coordinates must be finite numbers, got ({x}, {y})")
            }
            PointError::OutOfRange { x, y } => write!(
                f,
                "coordinates must lie within ±{MAX_COORD:e}, got ({x}, {y})"
            ),
            PointError::BadLabel(l) => write!(f, "a label must be 0 or 1, got {l}"),
            PointError::Full => write!(f, "the data set is full ({MAX_POINTS} points)"),
            PointError::NoSuchPoint { index, len } => {
                write!(f, "no point {index}: there are {len} points")
            }
            PointError::BadCount(m) => write!(
                f,
                "the flower needs an even number of points from 2 to {MAX_POINTS}, got {m}"
            ),
            PointError::LengthMismatch { x, y, label } => write!(
                f,
                "x, y and label must have the same length, got {x}, {y} and {label}"
            ),
        }
    }
}

impl std::error::Error for PointError {}

fn check_coords(x: f64, y: f64) -> Result<(), PointError> {
    if !x.is_finite() || !y.is_finite() {
        Err(PointError::NonFinite { x, y })
    } else if x.abs() > MAX_COORD || y.abs() > MAX_COORD {
        Err(PointError::OutOfRange { x, y })
    } else {
        Ok(())
    }
}

fn check_label(label: f64) -> Result<(), PointError> {
    if label == 0.0 || label == 1.0 {
        Ok(())
    } else {
        Err(PointError::BadLabel(label))
    }
}

/// Labelled points in the tutorial's layout. Invariant (kept by every method;
/// the fields are public for reading): `x`, `y` and `label` have the same
/// length, coordinates are finite and labels are 0.0 or 1.0.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Points {
    /// First row of X.
    pub x: Vec<f64>,
    /// Second row of X.
    pub y: Vec<f64>,
    /// Y: 0.0 or 1.0 for each point.
    pub label: Vec<f64>,
}

impl Points {
    /// No points, with room for `m` before the vectors grow.
    pub fn with_capacity(m: usize) -> Self {
        Points {
            x: Vec::with_capacity(m),
            y: Vec::with_capacity(m),
            label: Vec::with_capacity(m),
        }
    }

    /// No points.
    pub fn new() -> Self {
        Self::default()
    }

    /// Points from three vectors, validated as [`Points::push`] would (for
    /// data coming from outside, e.g. the page).
    pub fn from_vecs(x: Vec<f64>, y: Vec<f64>, label: Vec<f64>) -> Result<Self, PointError> {
        if x.len() != y.len() || x.len() != label.len() {
            return Err(PointError::LengthMismatch {
                x: x.len(),
                y: y.len(),
                label: label.len(),
            });
        }
        if x.len() > MAX_POINTS {
            return Err(PointError::Full);
        }
        for i in 0..x.len() {
            check_coords(x[i], y[i])?;
            check_label(label[i])?;
        }
        Ok(Points { x, y, label })
    }

    /// Number of points (m).
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Adds a point and returns its index.
    pub fn push(&mut self, x: f64, y: f64, label: f64) -> Result<usize, PointError> {
        check_coords(x, y)?;
        check_label(label)?;
        if self.len() >= MAX_POINTS {
            return Err(PointError::Full);
        }
        self.x.push(x);
        self.y.push(y);
        self.label.push(label);
        Ok(self.len() - 1)
    }

    /// Removes point `i`, keeping the others in order, and returns it as
    /// `(x, y, label)`.
    pub fn remove(&mut self, i: usize) -> Result<(f64, f64, f64), PointError> {
        self.check_index(i)?;
        Ok((self.x.remove(i), self.y.remove(i), self.label.remove(i)))
    }

    /// The point closest to (x, y) and its Euclidean distance; the lowest
    /// index wins ties. `None` if there are no points or the query is not
    /// finite.
    pub fn nearest(&self, x: f64, y: f64) -> Option<(usize, f64)> {
        if !x.is_finite() || !y.is_finite() {
            return None;
        }
        let mut best: Option<(usize, f64)> = None;
        for (i, (&px, &py)) in self.x.iter().zip(&self.y).enumerate() {
            let (dx, dy) = (px - x, py - y);
            let d2 = dx * dx + dy * dy;
            if best.is_none_or(|(_, b)| d2 < b) {
                best = Some((i, d2));
            }
        }
        best.map(|(i, d2)| (i, d2.sqrt()))
    }

    /// Removes the point nearest to (x, y) if it lies within `radius` (what a
    /// click with the eraser does) and returns the index it had.
    pub fn remove_nearest(&mut self, x: f64, y: f64, radius: f64) -> Option<usize> {
        let (i, d) = self.nearest(x, y)?;
        if d <= radius {
            self.remove(i).ok()?;
            Some(i)
        } else {
            None
        }
    }

    /// Moves point `i` to (x, y), keeping its label.
    pub fn move_point(&mut self, i: usize, x: f64, y: f64) -> Result<(), PointError> {
        self.check_index(i)?;
        check_coords(x, y)?;
        self.x[i] = x;
        self.y[i] = y;
        Ok(())
    }

    /// Removes all points.
    pub fn clear(&mut self) {
        self.x.clear();
        self.y.clear();
        self.label.clear();
    }

    /// How many points carry `label`.
    pub fn count(&self, label: f64) -> usize {
        self.label.iter().filter(|&&l| l == label).count()
    }

    fn check_index(&self, index: usize) -> Result<(), PointError> {
        if index < self.len() {
            Ok(())
        } else {
            Err(PointError::NoSuchPoint {
                index,
                len: self.len(),
            })
        }
    }
}

/// `np.linspace(start, stop, n)` exactly: `start + i * step` with
/// `step = (stop - start) / (n - 1)`, and the last element set to `stop`.
fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![start];
    }
    let step = (stop - start) / (n - 1) as f64;
    let mut v: Vec<f64> = (0..n).map(|i| i as f64 * step + start).collect();
    if let Some(last) = v.last_mut() {
        *last = stop;
    }
    v
}

/// The tutorial's flower: exactly numpy's `load_planar_dataset(m, a=4)`
/// after `np.random.seed(seed)` (the tutorial uses seed 1), up to the last
/// bit of `sin`/`cos`. Class 0 is the first m/2 points, class 1 the rest.
///
/// The two classes have m/2 points each, so `m` must be even, at least 2
/// and at most [`MAX_POINTS`]; otherwise this returns
/// [`PointError::BadCount`] rather than silently changing `m` (numpy's
/// original leaves a stray point at the origin for odd m).
/// [`Preset::generate`] rounds up instead.
///
/// The points are numpy's, unclamped: |r| ≤ 4 + 0.2 |noise|, so a point
/// outside the plane needs a 5-sigma draw, which is rare even at
/// [`MAX_POINTS`] (seed 3 at 100 000 points reaches 4.41).
pub fn flower(m: usize, seed: u32) -> Result<Points, PointError> {
    flower_with_noise(m, seed, FLOWER_NOISE)
}

/// The course's noise in the flower's angle and radius.
pub const FLOWER_NOISE: f64 = 0.2;

/// The most noise a preset takes.
pub const MAX_NOISE: f64 = 2.0;

/// [`flower`] with another noise level in angle and radius (the reference's
/// `--noise`): `randn(N) * noise` where the tutorial has `* 0.2`.
pub fn flower_with_noise(m: usize, seed: u32, noise: f64) -> Result<Points, PointError> {
    if m < 2 || !m.is_multiple_of(2) || m > MAX_POINTS {
        return Err(PointError::BadCount(m));
    }
    let a = 4.0;
    let n = m / 2;
    let mut rs = RandomState::new(seed);
    let mut p = Points::with_capacity(m);
    for j in 0..2 {
        let jf = j as f64;
        // t = linspace(j*3.12, (j+1)*3.12, N) + randn(N)*noise
        let mut t = linspace(jf * 3.12, (jf + 1.0) * 3.12, n);
        for ti in &mut t {
            *ti += rs.randn() * noise;
        }
        // r = a*sin(4t) + randn(N)*noise, drawn after all of t's noise.
        for &ti in &t {
            let r = a * (4.0 * ti).sin() + rs.randn() * noise;
            p.x.push(r * ti.sin());
            p.y.push(r * ti.cos());
            p.label.push(jf);
        }
    }
    Ok(p)
}

/// `m` made usable by a two-class preset: at most [`MAX_POINTS`], rounded up
/// to even so both classes get the same count.
fn even_count(m: usize) -> usize {
    m.min(MAX_POINTS).div_ceil(2) * 2
}

/// Builds a balanced two-class set: class 0 first, then class 1, each point
/// from `point(rs, class, k, per_class)`, clamped into the plane.
fn two_class(
    m: usize,
    seed: u32,
    mut point: impl FnMut(&mut RandomState, usize, usize, usize) -> (f64, f64),
) -> Points {
    let m = even_count(m);
    let n = m / 2;
    let mut rs = RandomState::new(seed);
    let mut p = Points::with_capacity(m);
    for class in 0..2 {
        for k in 0..n {
            let (x, y) = point(&mut rs, class, k, n);
            p.x.push(x.clamp(-PRESET_LIMIT, PRESET_LIMIT));
            p.y.push(y.clamp(-PRESET_LIMIT, PRESET_LIMIT));
            p.label.push(class as f64);
        }
    }
    p
}

/// An inner disc (label 0, radius up to 1.6) inside an outer ring (label 1,
/// radius 2.5 to 4): not linearly separable, easy for a few tanh units.
/// With `noise` above 0, each coordinate moves by `noise` × a normal draw
/// (none by default, so the rings do not touch).
pub fn circles(m: usize, seed: u32, noise: f64) -> Points {
    two_class(m, seed, |rs, class, _, _| {
        let r = if class == 0 {
            // sqrt for a uniform density over the disc's area.
            1.6 * rs.random_sample().sqrt()
        } else {
            rs.uniform(2.5, 4.0)
        };
        let th = rs.uniform(0.0, 2.0 * PI);
        let (x, y) = (r * th.cos(), r * th.sin());
        if noise > 0.0 {
            (x + noise * rs.randn(), y + noise * rs.randn())
        } else {
            (x, y)
        }
    })
}

/// Four Gaussian clusters (sd `noise`, 0.75 by default) at (±2.2, ±2.2):
/// label 0 in the quadrants where x and y have the same sign, label 1
/// where they differ.
pub fn xor(m: usize, seed: u32, noise: f64) -> Points {
    two_class(m, seed, |rs, class, k, _| {
        let sx = if k % 2 == 0 { 1.0 } else { -1.0 };
        let sy = if class == 0 { sx } else { -sx };
        (sx * 2.2 + noise * rs.randn(), sy * 2.2 + noise * rs.randn())
    })
}

/// Two overlapping Gaussian blobs (sd `noise`, 1 by default) at
/// ±(1.5, 1.5): nearly linearly separable, so even one hidden unit does well.
pub fn gaussians(m: usize, seed: u32, noise: f64) -> Points {
    two_class(m, seed, |rs, class, _, _| {
        let c = if class == 0 { -1.5 } else { 1.5 };
        (c + noise * rs.randn(), c + noise * rs.randn())
    })
}

/// Two interleaved spirals of one and a half turns, radius 0.4 to 4, arms
/// 1.2 apart, each coordinate moved by `noise` (0.12 by default) × a
/// normal draw: hard, needs many hidden units.
pub fn spiral(m: usize, seed: u32, noise: f64) -> Points {
    two_class(m, seed, |rs, class, _, _| {
        // sqrt so points spread evenly along the arm rather than crowd the
        // centre.
        let s = rs.random_sample().sqrt();
        let r = 0.4 + 3.6 * s;
        let th = 3.0 * PI * s + class as f64 * PI;
        (
            r * th.cos() + noise * rs.randn(),
            r * th.sin() + noise * rs.randn(),
        )
    })
}

/// Two interleaving half-moons (scikit-learn's `make_moons` shape with
/// its `noise`, 0.1 by default), centred and scaled by 2.6 to span about
/// [-4, 4] in x.
pub fn moons(m: usize, seed: u32, noise: f64) -> Points {
    const SCALE: f64 = 2.6;
    two_class(m, seed, |rs, class, _, _| {
        let t = rs.uniform(0.0, PI);
        let (u, v) = if class == 0 {
            (t.cos(), t.sin())
        } else {
            (1.0 - t.cos(), 0.5 - t.sin())
        };
        let u = u - 0.5 + noise * rs.randn();
        let v = v - 0.25 + noise * rs.randn();
        (SCALE * u, SCALE * v)
    })
}

/// The data sets the page offers, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    Flower,
    Circles,
    Xor,
    Gaussians,
    Spiral,
    Moons,
    /// No points: the user draws their own.
    Empty,
}

impl Preset {
    /// Every preset, in the order the page lists them.
    pub const ALL: [Preset; 7] = [
        Preset::Flower,
        Preset::Circles,
        Preset::Xor,
        Preset::Gaussians,
        Preset::Spiral,
        Preset::Moons,
        Preset::Empty,
    ];

    /// The preset called `name` (lower case, as [`Preset::name`] gives).
    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The lower-case name used by the page and the URL.
    pub fn name(&self) -> &'static str {
        match self {
            Preset::Flower => "flower",
            Preset::Circles => "circles",
            Preset::Xor => "xor",
            Preset::Gaussians => "gaussians",
            Preset::Spiral => "spiral",
            Preset::Moons => "moons",
            Preset::Empty => "empty",
        }
    }

    /// The noise each preset has unless the reader asks for another: the
    /// course's 0.2 for the flower.
    pub fn default_noise(&self) -> f64 {
        match self {
            Preset::Flower => FLOWER_NOISE,
            Preset::Circles | Preset::Empty => 0.0,
            Preset::Xor => 0.75,
            Preset::Gaussians => 1.0,
            Preset::Spiral => 0.12,
            Preset::Moons => 0.1,
        }
    }

    /// About `m` points at the preset's own noise; see [`Preset::generate_with_noise`].
    pub fn generate(&self, m: usize, seed: u32) -> Points {
        self.generate_with_noise(m, seed, self.default_noise())
    }

    /// About `m` points: `m` is capped at [`MAX_POINTS`] and rounded up to
    /// even (both classes get m/2); [`Preset::Empty`] ignores it. `noise`
    /// is clamped to 0..=[`MAX_NOISE`]. Same `(m, seed, noise)`, same
    /// points, bit for bit; the flower is the reference's at every noise.
    pub fn generate_with_noise(&self, m: usize, seed: u32, noise: f64) -> Points {
        let noise = if noise.is_nan() {
            0.0
        } else {
            noise.clamp(0.0, MAX_NOISE)
        };
        match self {
            // even_count gives an even m <= MAX_POINTS; only 0 is refused.
            Preset::Flower => flower_with_noise(even_count(m), seed, noise).unwrap_or_default(),
            Preset::Circles => circles(m, seed, noise),
            Preset::Xor => xor(m, seed, noise),
            Preset::Gaussians => gaussians(m, seed, noise),
            Preset::Spiral => spiral(m, seed, noise),
            Preset::Moons => moons(m, seed, noise),
            Preset::Empty => Points::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linspace_matches_numpy_endpoints() {
        assert_eq!(linspace(0.0, 3.12, 1), vec![0.0]);
        assert_eq!(linspace(3.12, 6.24, 2), vec![3.12, 6.24]);
        let v = linspace(0.0, 3.12, 200);
        assert_eq!(v[0], 0.0);
        assert_eq!(v[199], 3.12);
    }

    #[test]
    fn flower_refuses_bad_counts() {
        for m in [0, 1, 3, 401, MAX_POINTS + 2] {
            assert_eq!(flower(m, 1), Err(PointError::BadCount(m)));
        }
        assert_eq!(flower(2, 1).unwrap().len(), 2);
    }

    #[test]
    fn generate_rounds_up() {
        for p in Preset::ALL {
            let want = if p == Preset::Empty { 0 } else { 8 };
            assert_eq!(p.generate(7, 3).len(), want, "{}", p.name());
            assert_eq!(Preset::from_name(p.name()), Some(p));
        }
        assert_eq!(Preset::from_name("Flower"), None);
    }
}
