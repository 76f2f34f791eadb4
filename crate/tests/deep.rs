//! Any model: the fast path against the course's readable L-layer
//! functions, and both against finite differences of the cost.

use planar::deep::{self, Caches, Gradients, Parameters};
use planar::fused::{self, Batch};
use planar::matrix::Matrix;
use planar::model::{Activation, Feature, Features, Init, Layer, Model};
use proptest::prelude::*;

/// The readable path's cost, gradients (flat) and A[L] for `p` on the points.
fn readable(
    model: &Model,
    p: &Parameters,
    x1: &[f64],
    x2: &[f64],
    y: &Matrix,
) -> (f64, Vec<f64>, Caches) {
    let mut caches = Caches::new(model, x1.len());
    caches.a[0] = deep::feature_matrix(model.features, x1, x2);
    deep::l_model_forward(p, model, &mut caches);
    let cost = deep::compute_cost(&caches, y).unwrap();
    let mut grads = Gradients::new(model, x1.len());
    deep::l_model_backward(p, model, &caches, y, &mut grads);
    (cost, grads.to_vec(), caches)
}

fn model_strategy(max_layers: usize) -> impl Strategy<Value = Model> {
    let features = prop::collection::vec(prop::sample::select(Feature::ALL.to_vec()), 1..=7);
    let layer = (1..=8usize, prop::sample::select(Activation::ALL.to_vec()))
        .prop_map(|(units, activation)| Layer { units, activation });
    let layers = prop::collection::vec(layer, 0..=max_layers);
    let init = prop::sample::select(Init::ALL.to_vec());
    (features, layers, init).prop_map(|(f, hidden, init)| {
        Model::new(Features::from_list(&f).unwrap(), hidden, init).unwrap()
    })
}

type Case = (Model, Parameters, Vec<f64>, Vec<f64>, Matrix);

fn case(max_layers: usize, max_points: usize) -> impl Strategy<Value = Case> {
    (model_strategy(max_layers), 1..=max_points).prop_flat_map(|(model, m)| {
        let weights = prop::collection::vec(-1.5..1.5f64, model.parameter_count());
        let coords = prop::collection::vec(-4.0..4.0f64, 2 * m);
        let labels = prop::collection::vec(prop::bool::ANY, m);
        (Just(model), weights, coords, labels).prop_map(|(model, w, c, labels)| {
            let p = Parameters::from_flat(&model, &w).unwrap();
            let (x1, x2) = c.split_at(c.len() / 2);
            let y = labels.into_iter().map(|b| f64::from(u8::from(b))).collect();
            let m = x1.len();
            (
                model,
                p,
                x1.to_vec(),
                x2.to_vec(),
                Matrix::from_vec(1, m, y),
            )
        })
    })
}

/// The nudge of the tests' gradient checks: small enough that the centred
/// difference's truncation (of order ε²) is negligible, large enough that
/// its rounding (1e-16 J / ε) is too.
const EPSILON: f64 = 1e-6;

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(1e-3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The fast path computes the readable path's cost, gradients and
    /// predictions on random models, weights and data.
    #[test]
    fn the_fast_path_is_the_readable_path((model, p, x1, x2, y) in case(6, 40)) {
        let (cost, grads, caches) = readable(&model, &p, &x1, &x2, &y);
        let mut batch = Batch::default();
        batch.load_features(model.features, &x1, &x2, &y.data);
        let mut fast = Gradients::new(&model, 0);
        let evaluation = fused::gradients(&model, &p, &batch, &mut fast).unwrap();
        prop_assert!(close(evaluation.cost, cost, 1e-12), "cost {} vs {cost}", evaluation.cost);
        // Each gradient to 1e-12 of the largest: an entry that is a sum of
        // cancelling terms keeps only their absolute rounding.
        let largest = grads.iter().fold(0.0f64, |m, g| m.max(g.abs()));
        for (i, (f, r)) in fast.to_vec().iter().zip(&grads).enumerate() {
            prop_assert!((f - r).abs() <= 1e-12 * largest.max(1e-3), "gradient {i}: {f} vs {r}");
        }
        let mut predicted = Vec::new();
        fused::evaluate_model(&model, &p, &batch, &mut predicted);
        let a_out = &caches.output().data;
        for (i, (&fast_class, &a)) in predicted.iter().zip(a_out).enumerate() {
            // A[L] within rounding of 0.5 may fall either way.
            if (a - 0.5).abs() > 1e-12 {
                prop_assert_eq!(fast_class, u8::from(a > 0.5), "point {}", i);
            }
        }
        // The CPU-specific path is the baseline, bit for bit.
        let mut baseline = Gradients::new(&model, 0);
        let again = fused::gradients_baseline(&model, &p, &batch, &mut baseline);
        prop_assert_eq!(again, Some(evaluation));
        prop_assert_eq!(baseline.to_vec(), fast.to_vec());
    }

    /// Backpropagation against centred finite differences, for random models.
    #[test]
    fn backpropagation_passes_the_gradient_check((model, p, x1, x2, y) in case(3, 25)) {
        let (_, grads, caches) = readable(&model, &p, &x1, &x2, &y);
        // ReLU's kink: a Z within reach of the nudge makes the difference
        // quotient meaningless there, as the course warns.
        let kinked = |l: usize| matches!(model.activation(l), Activation::Relu | Activation::LeakyRelu);
        let near_kink = (1..model.depth()).any(|l| kinked(l) && caches.z[l - 1].data.iter().any(|z| z.abs() < 1e-4));
        prop_assume!(!near_kink);
        // A saturated network has gradients near the difference quotient's
        // own rounding (1e-16 / ε): nothing to check there.
        let norm = grads.iter().map(|g| g * g).sum::<f64>().sqrt();
        prop_assume!(norm > 1e-4);
        let x = deep::feature_matrix(model.features, &x1, &x2);
        let (_, difference) = deep::gradient_check(&model, &p, &x, &y, &grads, EPSILON);
        prop_assert!(difference < 2e-7, "{model:?}: {difference:e}");
    }
}

/// Every activation, with every feature, in a two-layer network: the check
/// passes, and a planted mistake (a dropped activation derivative) fails it.
#[test]
fn every_activation_and_feature_passes_the_gradient_check() {
    let points = planar::data::flower(60, 3).unwrap();
    let y = Matrix::from_vec(1, 60, points.label.clone());
    for activation in Activation::ALL {
        for features in Feature::ALL
            .map(|f| vec![f])
            .into_iter()
            .chain([Feature::ALL.to_vec()])
        {
            let layer = Layer {
                units: 3,
                activation,
            };
            let model = Model::new(
                Features::from_list(&features).unwrap(),
                vec![layer, layer],
                Init::Xavier,
            )
            .unwrap();
            // Weights of size ~0.5: neither vanishing nor saturating gradients.
            let mut state = 7u64;
            let values: Vec<f64> = (0..model.parameter_count())
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
                })
                .collect();
            let p = Parameters::from_flat(&model, &values).unwrap();
            let (_, grads, _) = readable(&model, &p, &points.x, &points.y, &y);
            let x = deep::feature_matrix(model.features, &points.x, &points.y);
            let (_, difference) = deep::gradient_check(&model, &p, &x, &y, &grads, EPSILON);
            assert!(
                difference < 2e-7,
                "{activation:?} {features:?}: {difference:e}"
            );
            // A wrong factor in one gradient: the largest, so it matters.
            let largest = (0..grads.len())
                .max_by(|&i, &j| grads[i].abs().total_cmp(&grads[j].abs()))
                .unwrap();
            let mut wrong = grads.clone();
            wrong[largest] *= 2.0;
            let (_, planted) = deep::gradient_check(&model, &p, &x, &y, &wrong, EPSILON);
            assert!(planted > 1e-3, "{activation:?} {features:?}: {planted:e}");
        }
    }
}

/// A step allocates nothing for deep networks either: see no_alloc.rs; here,
/// the readable path trains: a wider deeper network fits the flower better
/// than the tutorial's in the same number of iterations.
#[test]
fn deeper_networks_learn_the_flower() {
    let points = planar::data::flower(400, 1).unwrap();
    let model = Model::parse("x1,x2", "8,8", "tanh", "xavier").unwrap();
    let x = deep::feature_matrix(model.features, &points.x, &points.y);
    let y = Matrix::from_vec(1, 400, points.label.clone());
    let (p, costs) = deep::l_layer_model(&x, &y, &model, 2000, 0.3, 2);
    assert!(
        costs[1999] < costs[0] * 0.5,
        "{} -> {}",
        costs[0],
        costs[1999]
    );
    assert!(deep::accuracy(&p, &model, &x, &y).unwrap() > 85.0);
}
