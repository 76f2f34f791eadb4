//! The network as one value: which input features it reads, its hidden
//! layers with their activations, and how its weights start. Everything
//! else reads it: the readable functions ([`crate::deep`]), the fast path
//! ([`crate::fused`]), the field, the facade's layouts and the formats.
//!
//! The names and meanings are those of the course's reference
//! (`course_numpy.py`): features x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2 in
//! that order as the rows of X; activations tanh, relu, leaky_relu, sigmoid,
//! linear; initialisations tutorial (0.01), xavier (1/√n[l−1]) and he
//! (√(2/n[l−1])). The output is always one sigmoid unit.

use std::fmt;

/// Most hidden layers a model may have.
pub const MAX_LAYERS: usize = 6;
/// Most units a hidden layer may have.
pub const MAX_UNITS: usize = 8;

/// One input feature: a function of the point's coordinates (x1, x2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    X1,
    X2,
    X1Sq,
    X2Sq,
    X1X2,
    SinX1,
    SinX2,
}

impl Feature {
    /// Every feature, in the order they stand as rows of X.
    pub const ALL: [Feature; 7] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Sq,
        Feature::X2Sq,
        Feature::X1X2,
        Feature::SinX1,
        Feature::SinX2,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Sq => "x1sq",
            Feature::X2Sq => "x2sq",
            Feature::X1X2 => "x1x2",
            Feature::SinX1 => "sinx1",
            Feature::SinX2 => "sinx2",
        }
    }

    /// The feature at the point (x1, x2), as numpy computes it.
    #[inline(always)]
    pub fn value(self, x1: f64, x2: f64) -> f64 {
        match self {
            Feature::X1 => x1,
            Feature::X2 => x2,
            Feature::X1Sq => x1 * x1,
            Feature::X2Sq => x2 * x2,
            Feature::X1X2 => x1 * x2,
            Feature::SinX1 => x1.sin(),
            Feature::SinX2 => x2.sin(),
        }
    }
}

/// The most features a model can read.
pub const MAX_FEATURES: usize = Feature::ALL.len();

/// A non-empty set of features, always used in [`Feature::ALL`]'s order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features(u8);

impl Features {
    /// The tutorial's: the two coordinates.
    pub const XY: Features = Features(0b11);

    pub fn from_list(list: &[Feature]) -> Result<Features, ModelError> {
        let bits = list.iter().fold(0u8, |bits, f| bits | 1 << Self::index(*f));
        if bits == 0 {
            return Err(ModelError::NoFeatures);
        }
        Ok(Features(bits))
    }

    fn index(f: Feature) -> usize {
        Feature::ALL.iter().position(|&g| g == f).expect("listed")
    }

    pub fn contains(self, f: Feature) -> bool {
        self.0 & (1 << Self::index(f)) != 0
    }

    /// The features in row order.
    pub fn iter(self) -> impl Iterator<Item = Feature> {
        Feature::ALL.into_iter().filter(move |&f| self.contains(f))
    }

    /// n[0], the number of rows of X.
    pub fn count(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The features at (x1, x2), in row order, into `out[..count()]`.
    #[inline(always)]
    pub fn values(self, x1: f64, x2: f64, out: &mut [f64]) {
        for (slot, f) in out.iter_mut().zip(self.iter()) {
            *slot = f.value(x1, x2);
        }
    }
}

/// A hidden layer's activation function, with its derivative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Tanh,
    Relu,
    LeakyRelu,
    Sigmoid,
    Linear,
}

/// Leaky ReLU's slope below zero.
pub const LEAKY_SLOPE: f64 = 0.01;

/// max(z, 0) as a select: `f64::max`'s rules for NaN keep LLVM from
/// vectorizing it (in wasm it becomes scalar compares), while a select
/// becomes one vector instruction. The value of `z.max(0.0)` for every z,
/// NaN included (0), up to the sign of a zero.
#[inline(always)]
pub fn positive_part(z: f64) -> f64 {
    if z > 0.0 { z } else { 0.0 }
}

impl Activation {
    pub const ALL: [Activation; 5] = [
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Sigmoid,
        Activation::Linear,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear",
        }
    }

    /// g(z), as numpy computes it (std's `tanh` and `exp`).
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Tanh => z.tanh(),
            Activation::Relu => positive_part(z),
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_SLOPE * z
                }
            }
            Activation::Sigmoid => crate::network::sigmoid(z),
            Activation::Linear => z,
        }
    }

    /// g(z) with the fast path's branch-free `tanh` and `sigmoid`
    /// ([`crate::fastmath`]): within 4e-16 of [`Activation::apply`].
    #[inline(always)]
    pub fn apply_fast(self, z: f64) -> f64 {
        match self {
            Activation::Tanh => crate::fastmath::tanh(z),
            Activation::Sigmoid => crate::fastmath::sigmoid(z),
            other => other.apply(z),
        }
    }

    /// g(z) in f32, for drawing.
    #[inline(always)]
    pub fn apply_f32(self, z: f32) -> f32 {
        match self {
            Activation::Tanh => crate::fastmath::tanh_f32(z),
            Activation::Relu => {
                if z > 0.0 {
                    z
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_SLOPE as f32 * z
                }
            }
            Activation::Sigmoid => crate::fastmath::sigmoid_f32(z),
            Activation::Linear => z,
        }
    }

    /// g'(z), from z and a = g(z), as the course's backward functions
    /// compute it: 1 − a² for tanh, a(1 − a) for sigmoid, and at 0 ReLU's
    /// derivative is 0 and leaky ReLU's is its slope.
    #[inline(always)]
    pub fn derivative(self, z: f64, a: f64) -> f64 {
        match self {
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Linear => 1.0,
        }
    }
}

/// How the initial weights are scaled: W[l] = randn(n[l], n[l−1]) × scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// 0.01, the tutorial's.
    Tutorial,
    /// 1/√n[l−1].
    Xavier,
    /// √(2/n[l−1]).
    He,
}

impl Init {
    pub const ALL: [Init; 3] = [Init::Tutorial, Init::Xavier, Init::He];

    pub fn name(self) -> &'static str {
        match self {
            Init::Tutorial => "tutorial",
            Init::Xavier => "xavier",
            Init::He => "he",
        }
    }

    /// The scale of a layer with `inputs` inputs, as numpy computes it.
    pub fn scale(self, inputs: usize) -> f64 {
        let n = inputs as f64;
        match self {
            Init::Tutorial => 0.01,
            Init::Xavier => 1.0 / n.sqrt(),
            Init::He => (2.0 / n).sqrt(),
        }
    }
}

/// A hidden layer: its width and activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layer {
    pub units: usize,
    pub activation: Activation,
}

/// Why a model was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelError {
    NoFeatures,
    UnknownFeature(String),
    UnknownActivation(String),
    UnknownInit(String),
    BadWidth(String),
    TooManyLayers(usize),
    ActivationCount { layers: usize, activations: usize },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |list: &[&str]| list.join(", ");
        match self {
            ModelError::NoFeatures => write!(f, "the network needs at least one input feature"),
            ModelError::UnknownFeature(name) => write!(
                f,
                "unknown feature \"{name}\": choose from {}",
                names(&Feature::ALL.map(Feature::name))
            ),
            ModelError::UnknownActivation(name) => write!(
                f,
                "unknown activation \"{name}\": choose from {}",
                names(&Activation::ALL.map(Activation::name))
            ),
            ModelError::UnknownInit(name) => write!(
                f,
                "unknown initialisation \"{name}\": choose from {}",
                names(&Init::ALL.map(Init::name))
            ),
            ModelError::BadWidth(text) => write!(
                f,
                "a hidden layer has 1 to {MAX_UNITS} units, not \"{text}\""
            ),
            ModelError::TooManyLayers(n) => {
                write!(f, "at most {MAX_LAYERS} hidden layers, not {n}")
            }
            ModelError::ActivationCount {
                layers,
                activations,
            } => write!(
                f,
                "{activations} activations for {layers} hidden layers: give one for every layer, or one per layer"
            ),
        }
    }
}

impl std::error::Error for ModelError {}

/// Where one parameter matrix lies in the flat parameter vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// 1 to L.
    pub layer: usize,
    /// true for b[l], false for W[l].
    pub bias: bool,
    pub rows: usize,
    pub cols: usize,
    pub offset: usize,
}

impl Slot {
    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// "W3" or "b3".
    pub fn name(&self) -> String {
        format!("{}{}", if self.bias { "b" } else { "W" }, self.layer)
    }
}

/// The network: features → hidden layers → one sigmoid output.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub features: Features,
    pub hidden: Vec<Layer>,
    pub init: Init,
}

impl Default for Model {
    fn default() -> Self {
        Model::tutorial(crate::network::DEFAULT_HIDDEN)
    }
}

impl Model {
    /// The tutorial's 2-n_h-1 network: x1, x2; one tanh layer; weights × 0.01.
    pub fn tutorial(n_h: usize) -> Model {
        Model {
            features: Features::XY,
            hidden: vec![Layer {
                units: n_h,
                activation: Activation::Tanh,
            }],
            init: Init::Tutorial,
        }
    }

    /// A model from the names `course_numpy.py` takes: `features` "x1,x2,sinx1",
    /// `layers` "8,8" (empty: no hidden layer), `activations` one name for
    /// every layer or one per layer, `init` "tutorial", "xavier" or "he".
    pub fn parse(
        features: &str,
        layers: &str,
        activations: &str,
        init: &str,
    ) -> Result<Model, ModelError> {
        let list = |text: &str| -> Vec<String> {
            text.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let features = list(features)
            .iter()
            .map(|name| {
                Feature::ALL
                    .into_iter()
                    .find(|f| f.name() == name)
                    .ok_or_else(|| ModelError::UnknownFeature(name.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let widths = list(layers)
            .iter()
            .map(|w| match w.parse::<usize>() {
                Ok(n) if (1..=MAX_UNITS).contains(&n) => Ok(n),
                _ => Err(ModelError::BadWidth(w.clone())),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut acts = list(activations)
            .iter()
            .map(|name| {
                Activation::ALL
                    .into_iter()
                    .find(|a| a.name() == name)
                    .ok_or_else(|| ModelError::UnknownActivation(name.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if acts.len() == 1 {
            acts = vec![acts[0]; widths.len()];
        }
        if acts.len() != widths.len() && !(widths.is_empty() && acts.len() <= 1) {
            return Err(ModelError::ActivationCount {
                layers: widths.len(),
                activations: acts.len(),
            });
        }
        let init = Init::ALL
            .into_iter()
            .find(|i| i.name() == init.trim())
            .ok_or_else(|| ModelError::UnknownInit(init.to_string()))?;
        Model::new(
            Features::from_list(&features)?,
            widths
                .into_iter()
                .zip(acts)
                .map(|(units, activation)| Layer { units, activation })
                .collect(),
            init,
        )
    }

    /// A model, checked: at most [`MAX_LAYERS`] hidden layers of 1 to [`MAX_UNITS`] units.
    pub fn new(features: Features, hidden: Vec<Layer>, init: Init) -> Result<Model, ModelError> {
        if hidden.len() > MAX_LAYERS {
            return Err(ModelError::TooManyLayers(hidden.len()));
        }
        if let Some(bad) = hidden.iter().find(|l| !(1..=MAX_UNITS).contains(&l.units)) {
            return Err(ModelError::BadWidth(bad.units.to_string()));
        }
        Ok(Model {
            features,
            hidden,
            init,
        })
    }

    /// L: the number of layers with weights (hidden layers and the output).
    pub fn depth(&self) -> usize {
        self.hidden.len() + 1
    }

    /// n[l] for l = 0 (the features) to L (the output, 1).
    pub fn units(&self, l: usize) -> usize {
        match l {
            0 => self.features.count(),
            l if l <= self.hidden.len() => self.hidden[l - 1].units,
            _ => 1,
        }
    }

    /// g[l] for l = 1 to L; the output's is the sigmoid.
    pub fn activation(&self, l: usize) -> Activation {
        self.hidden
            .get(l - 1)
            .map_or(Activation::Sigmoid, |layer| layer.activation)
    }

    /// The widest hidden layer (1 without hidden layers).
    pub fn width(&self) -> usize {
        self.hidden.iter().map(|l| l.units).max().unwrap_or(1)
    }

    /// W[1], b[1], W[2], b[2], ... in the flat parameter vector, in order.
    pub fn layout(&self) -> Vec<Slot> {
        let mut offset = 0;
        let mut slots = Vec::with_capacity(2 * self.depth());
        for l in 1..=self.depth() {
            for (bias, cols) in [(false, self.units(l - 1)), (true, 1)] {
                let slot = Slot {
                    layer: l,
                    bias,
                    rows: self.units(l),
                    cols,
                    offset,
                };
                offset += slot.len();
                slots.push(slot);
            }
        }
        slots
    }

    pub fn parameter_count(&self) -> usize {
        (1..=self.depth())
            .map(|l| self.units(l) * (self.units(l - 1) + 1))
            .sum()
    }

    /// The model's names, as `course_numpy.py` takes them:
    /// (features, layers, activations, init).
    pub fn names(&self) -> (String, String, String, String) {
        let join = |v: Vec<String>| v.join(",");
        (
            join(self.features.iter().map(|f| f.name().to_string()).collect()),
            join(self.hidden.iter().map(|l| l.units.to_string()).collect()),
            join(
                self.hidden
                    .iter()
                    .map(|l| l.activation.name().to_string())
                    .collect(),
            ),
            self.init.name().to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorials_layout_is_the_first_versions_order() {
        let model = Model::default();
        let slots: Vec<_> = model
            .layout()
            .iter()
            .map(|s| (s.name(), s.rows, s.cols, s.offset))
            .collect();
        assert_eq!(
            slots,
            [
                ("W1".to_string(), 4, 2, 0),
                ("b1".to_string(), 4, 1, 8),
                ("W2".to_string(), 1, 4, 12),
                ("b2".to_string(), 1, 1, 16)
            ]
        );
        assert_eq!(model.parameter_count(), 17);
    }

    #[test]
    fn names_parse_as_the_reference_takes_them() {
        let m = Model::parse("sinx2,x1", "8, 3", "relu,tanh", "he").unwrap();
        assert_eq!(
            m.features.iter().collect::<Vec<_>>(),
            [Feature::X1, Feature::SinX2]
        );
        assert_eq!(m.units(0), 2);
        assert_eq!(m.units(1), 8);
        assert_eq!(m.units(2), 3);
        assert_eq!(m.units(3), 1);
        assert_eq!(m.activation(2), Activation::Tanh);
        assert_eq!(m.activation(3), Activation::Sigmoid);
        assert_eq!(
            m.names(),
            (
                "x1,sinx2".into(),
                "8,3".into(),
                "relu,tanh".into(),
                "he".into()
            )
        );
        let none = Model::parse("x1", "", "tanh", "xavier").unwrap();
        assert_eq!(none.depth(), 1);
        assert_eq!(none.parameter_count(), 2);
        assert_eq!(
            Model::parse("x1", "8", "tanh", "tutorial").unwrap().hidden[0].activation,
            Activation::Tanh
        );
    }

    #[test]
    fn bad_names_are_refused_with_what_was_wrong() {
        let err = |f, l, a, i| Model::parse(f, l, a, i).unwrap_err().to_string();
        assert!(err("x3", "4", "tanh", "tutorial").contains("\"x3\""));
        assert!(err("", "4", "tanh", "tutorial").contains("at least one"));
        assert!(err("x1", "9", "tanh", "tutorial").contains("\"9\""));
        assert!(err("x1", "0", "tanh", "tutorial").contains("\"0\""));
        assert!(err("x1", "4,x", "tanh", "tutorial").contains("\"x\""));
        assert!(err("x1", "1,1,1,1,1,1,1", "tanh", "tutorial").contains("at most 6"));
        assert!(err("x1", "4,4", "tanh,relu,relu", "tutorial").contains("3 activations"));
        assert!(err("x1", "4", "softmax", "tutorial").contains("\"softmax\""));
        assert!(err("x1", "4", "tanh", "glorot").contains("\"glorot\""));
    }

    #[test]
    fn derivatives_match_the_course_at_zero_and_by_differences() {
        assert_eq!(Activation::Relu.derivative(0.0, 0.0), 0.0);
        assert_eq!(Activation::LeakyRelu.derivative(0.0, 0.0), 0.01);
        for act in Activation::ALL {
            for z in [-2.0, -0.3, 0.4, 1.7] {
                let h = 1e-6;
                let numeric = (act.apply(z + h) - act.apply(z - h)) / (2.0 * h);
                let analytic = act.derivative(z, act.apply(z));
                assert!((numeric - analytic).abs() < 1e-8, "{act:?} at {z}");
                assert!((act.apply_fast(z) - act.apply(z)).abs() < 1e-15);
                assert!((act.apply_f32(z as f32) as f64 - act.apply(z)).abs() < 1e-6);
            }
        }
    }
}
