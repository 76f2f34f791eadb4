//! Hostile numbers: the cost, the gradients and the step stay finite.

use planar::data::Points;
use planar::matrix::Matrix;
use planar::model::{Activation, Init, Layer, Model};
use planar::network::{self, Cache, Gradients, N_X, Parameters};
use planar::trainer::Trainer;

fn trainer(points: &[(f64, f64, f64)]) -> Trainer {
    let mut p = Points::new();
    for &(x, y, label) in points {
        p.push(x, y, label).unwrap();
    }
    Trainer::new(p, 4, 2).unwrap()
}

fn assert_finite(t: &mut Trainer) {
    assert!(t.params().is_finite(), "parameters {:?}", t.params());
    let cost = t.cost().expect("points exist");
    assert!(cost.is_finite() && cost >= 0.0, "cost {cost}");
    assert!(t.grads().iter().all(|v| v.is_finite()));
}

#[test]
fn huge_pre_activations_give_a_finite_cost() {
    for z2 in [1000.0, -1000.0, 1e300, -1e300] {
        for y in [0.0, 1.0] {
            let c = network::point_cost(z2, y);
            assert!(c.is_finite(), "z2 {z2} y {y}: {c}");
        }
    }
    // Where the plain formula is finite, the stable one equals it.
    // (Beyond |z2| ~ 5 the plain formula loses digits to 1 - A2 rounding.)
    for z2 in [-5.0, -2.5, -0.1, 0.0, 0.3, 4.0, 5.0] {
        let a2 = network::sigmoid(z2);
        let plain = [-(1.0 - a2).ln(), -a2.ln()];
        for y in [0, 1] {
            let stable = network::point_cost(z2, y as f64);
            assert!(
                (stable - plain[y]).abs() <= 1e-12 * plain[y].max(1e-3),
                "z2 {z2} y {y}: {stable} vs {}",
                plain[y]
            );
        }
    }
    // Through the network and the fast path: Z2 = ±1000 for every point.
    for b2 in [1000.0, -1000.0] {
        let mut t = trainer(&[(0.5, 0.5, 1.0), (-0.5, 0.2, 0.0)]);
        let mut p = t.params().clone();
        p.b[1].data[0] = b2;
        t.restore(&p.to_vec(), 0, 0).unwrap();
        let cost = t.cost().unwrap();
        assert!(
            (cost - 500.0).abs() < 1.0,
            "Z2 = {b2}: one point costs ~1000: {cost}"
        );
        t.step(10);
        assert_finite(&mut t);
    }
}

#[test]
fn a_learning_rate_of_1000_stays_finite() {
    let mut t = Trainer::tutorial();
    t.set_learning_rate(1000.0).unwrap();
    t.step(2000);
    assert_finite(&mut t);
    assert!(t.diverging(), "a learning rate of 1000 is flagged");
}

#[test]
fn the_tutorial_run_is_not_flagged_as_diverging() {
    let mut t = Trainer::tutorial();
    for _ in 0..100 {
        t.step(100);
        assert!(!t.diverging(), "flagged at iteration {}", t.iteration());
    }
}

#[test]
fn degenerate_data_sets_train_finitely() {
    let cases: [&[(f64, f64, f64)]; 4] = [
        &[(1.0, 2.0, 1.0)],
        &[(1.0, 2.0, 1.0), (-3.0, 0.5, 1.0), (2.0, -2.0, 1.0)],
        &[
            (0.3, 0.3, 0.0),
            (0.3, 0.3, 1.0),
            (0.3, 0.3, 0.0),
            (0.3, 0.3, 1.0),
        ],
        &[(1e6, -1e6, 0.0), (-1e6, 1e6, 1.0), (1e6, 1e6, 1.0)],
    ];
    for points in cases {
        for lr in [1.2, 1000.0] {
            let mut t = trainer(points);
            t.set_learning_rate(lr).unwrap();
            assert_eq!(t.step(500), 500);
            assert_finite(&mut t);
        }
    }
}

#[test]
fn one_class_only_drives_the_cost_toward_zero() {
    let mut t = trainer(&[(1.0, 2.0, 1.0), (-3.0, 0.5, 1.0), (2.0, -2.0, 1.0)]);
    let start = t.cost().unwrap();
    t.step(500);
    let end = t.cost().unwrap();
    assert!(end < start / 10.0, "{start} -> {end}");
    assert_eq!(t.accuracy(), Some(100.0));
}

#[test]
fn an_empty_data_set_makes_step_a_no_op() {
    let mut t = trainer(&[]);
    let before = t.params().clone();
    assert_eq!(t.step(100), 0);
    assert_eq!(t.iteration(), 0);
    assert_eq!(t.cost(), None);
    assert_eq!(t.accuracy(), None);
    assert_eq!(t.params(), &before);
    assert!(!t.diverging());
    // The tutorial-shaped functions agree: no cost, zero gradients.
    let x = Matrix::zeros(N_X, 0);
    let y = Matrix::zeros(1, 0);
    let mut cache = Cache::new(4, 0);
    let p: Parameters = network::initialize_parameters(4, 2);
    network::forward_propagation(&x, &p, &mut cache);
    assert_eq!(network::compute_cost(&cache, &y), None);
    let mut grads = Gradients::new(4, 0);
    network::backward_propagation(&p, &cache, &x, &y, &mut grads);
    assert!(
        grads
            .dw1
            .data
            .iter()
            .chain(&grads.db2.data)
            .all(|&g| g == 0.0)
    );
    assert_eq!(network::accuracy(&p, &x, &y), None);
}

#[test]
fn settings_out_of_range_are_refused_and_change_nothing() {
    let mut t = Trainer::tutorial();
    t.step(3);
    for lr in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
        assert!(t.set_learning_rate(lr).is_err(), "{lr}");
    }
    let params = t.params().clone();
    for (features, layers, activation, init) in [
        ("x1", "0", "tanh", "tutorial"),
        ("x1", "9", "tanh", "tutorial"),
        ("x1", "1,1,1,1,1,1,1", "tanh", "tutorial"),
        ("", "4", "tanh", "tutorial"),
        ("x1", "4", "swish", "tutorial"),
        ("x1", "4", "tanh", "lecun"),
        ("x1", "4,4", "tanh,relu,tanh", "tutorial"),
    ] {
        assert!(Model::parse(features, layers, activation, init).is_err());
    }
    let too_wide = Model::new(
        Model::default().features,
        vec![Layer {
            units: 9,
            activation: Activation::Tanh,
        }],
        Init::He,
    );
    assert!(too_wide.is_err());
    let mut unchecked = Model::default();
    unchecked.hidden[0].units = 0;
    assert!(t.set_model(unchecked).is_err());
    // Saved weights of the wrong length, or not finite, change nothing.
    assert!(t.restore(&[0.0; 16], 9, 9).is_err());
    assert!(t.restore(&[f64::NAN; 17], 9, 9).is_err());
    assert!(t.set_parameter(17, 1.0).is_err());
    assert!(t.set_parameter(0, f64::INFINITY).is_err());
    assert_eq!(
        (t.learning_rate(), t.model(), t.iteration(), t.params()),
        (1.2, &Model::default(), 3, &params)
    );
}

#[test]
fn the_learning_rate_changes_between_steps_without_a_reset() {
    let mut t = Trainer::tutorial();
    t.step(5);
    let params = t.params().clone();
    t.set_learning_rate(0.01).unwrap();
    assert_eq!((t.iteration(), t.params()), (5, &params));
    t.step(1);
    assert_eq!(t.rate_changes(), &[(0, 1.2), (5, 0.01)]);
    // The step used the new rate: the move is 0.01 times the gradient.
    let moved = t.params().w[1].data[0] - params.w[1].data[0];
    assert!((moved + 0.01 * t.grads().dw[1].data[0]).abs() < 1e-15);
    t.set_model(Model::tutorial(6)).unwrap();
    assert_eq!((t.iteration(), t.params().w[0].rows), (0, 6));
    t.reset(7);
    let tutorial: Vec<f64> = network::initialize_parameters(6, 7)
        .iter()
        .copied()
        .collect();
    assert_eq!(t.params().to_vec(), tutorial);
}
