//! The network against the numpy reference (`tests/data/golden_flower_nh4.json`,
//! written by `bench/seed_numpy.py --golden`), through both the tutorial-shaped
//! functions and the fused fast path the trainer runs.

mod common;

use common::{golden_array, golden_f64};
use planar::data::Points;
use planar::fused::{self, Batch};
use planar::matrix::Matrix;
use planar::network::{self, Cache, Gradients, N_X, Parameters};
use planar::trainer::Trainer;

const LR: f64 = 1.2;

fn golden_data() -> (Matrix, Matrix) {
    let x = golden_array("X");
    let m = x.len() / 2;
    (
        Matrix::from_vec(N_X, m, x),
        Matrix::from_vec(1, m, golden_array("Y")),
    )
}

fn golden_params(prefix: &str) -> Parameters {
    let n_h = golden_f64("n_h") as usize;
    Parameters {
        w1: Matrix::from_vec(n_h, N_X, golden_array(&format!("{prefix}.W1"))),
        b1: Matrix::from_vec(n_h, 1, golden_array(&format!("{prefix}.b1"))),
        w2: Matrix::from_vec(1, n_h, golden_array(&format!("{prefix}.W2"))),
        b2: Matrix::from_vec(1, 1, golden_array(&format!("{prefix}.b2"))),
    }
}

fn batch_of(x: &Matrix, y: &Matrix) -> Batch {
    let mut batch = Batch::default();
    batch.load(x.row(0), x.row(1), &y.data);
    batch
}

fn relative_error(actual: f64, expected: f64) -> f64 {
    (actual - expected).abs() / expected.abs().max(1e-300)
}

fn assert_relative(actual: &[f64], expected: &[f64], tolerance: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (i, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            relative_error(a, e) <= tolerance || (a - e).abs() <= tolerance * 1e-3,
            "{what}[{i}]: {a} vs {e} (relative {:e})",
            relative_error(a, e)
        );
    }
}

/// The cost before each update from `cost_at`'s iterations through `last`.
fn checkpoint_costs(last: usize) -> Vec<(usize, f64)> {
    (0..=last)
        .step_by(1000)
        .map(|k| (k, golden_f64(&format!("cost_at.{k}"))))
        .collect()
}

#[test]
fn initial_cost_and_gradients_match_the_reference() {
    let (x, y) = golden_data();
    let p = golden_params("initial");
    let mut cache = Cache::new(p.n_h(), x.cols);
    network::forward_propagation(&x, &p, &mut cache);
    let cost = network::compute_cost(&cache, &y).unwrap();
    assert!(
        relative_error(cost, golden_f64("initial_cost")) < 1e-12,
        "cost {cost}"
    );
    let mut grads = Gradients::new(p.n_h(), x.cols);
    network::backward_propagation(&p, &cache, &x, &y, &mut grads);

    // The fast path's gradients, from a step at learning rate 0.
    let mut fast_grads = Gradients::new(p.n_h(), 0);
    let eval = fused::train_step(&mut p.clone(), &batch_of(&x, &y), 0.0, &mut fast_grads).unwrap();
    assert!(
        relative_error(eval.cost, golden_f64("initial_cost")) < 1e-12,
        "fused cost {}",
        eval.cost
    );

    for (name, reference, fast) in [
        ("dW1", &grads.dw1, &fast_grads.dw1),
        ("db1", &grads.db1, &fast_grads.db1),
        ("dW2", &grads.dw2, &fast_grads.dw2),
        ("db2", &grads.db2, &fast_grads.db2),
    ] {
        let expected = golden_array(&format!("initial_grads.{name}"));
        assert_relative(&reference.data, &expected, 1e-12, name);
        assert_relative(&fast.data, &expected, 1e-12, &format!("fused {name}"));
    }
}

#[test]
fn the_tutorial_shaped_run_matches_through_7000_and_ends_at_90_75() {
    let (x, y) = golden_data();
    let p0 = golden_params("initial");
    assert_eq!(
        p0,
        network::initialize_parameters(4, 2),
        "seed 2 draws the reference's weights"
    );
    let (p, costs) = network::nn_model(&x, &y, 4, 10_000, LR, 2);
    for (k, expected) in checkpoint_costs(7000) {
        assert!(
            relative_error(costs[k], expected) < 1e-12,
            "cost at {k}: {} vs {expected}",
            costs[k]
        );
    }
    for k in [1, 2, 10, 100, 1000] {
        let (early, _) = network::nn_model(&x, &y, 4, k, LR, 2);
        for (name, m) in [
            ("W1", &early.w1),
            ("b1", &early.b1),
            ("W2", &early.w2),
            ("b2", &early.b2),
        ] {
            assert_relative(
                &m.data,
                &golden_array(&format!("checkpoints.{k}.{name}")),
                1e-11,
                name,
            );
        }
    }
    // Past ~7840 the run oscillates and rounding grows: compare loosely.
    let mut cache = Cache::new(4, x.cols);
    network::forward_propagation(&x, &p, &mut cache);
    let final_cost = network::compute_cost(&cache, &y).unwrap();
    assert!(
        (final_cost - golden_f64("cost_at.10000")).abs() < 1e-3,
        "final cost {final_cost}"
    );
    assert_eq!(network::accuracy(&p, &x, &y), Some(golden_f64("accuracy")));
    let predictions: Vec<f64> = network::predict(&p, &x)
        .into_iter()
        .map(f64::from)
        .collect();
    let differing = predictions
        .iter()
        .zip(golden_array("predictions"))
        .filter(|(a, b)| **a != *b)
        .count();
    assert_eq!(differing, 0, "predictions differ from the reference's");
}

#[test]
fn the_trainer_matches_through_7000_and_ends_at_90_75() {
    let (x, y) = golden_data();
    let points = Points::from_vecs(x.row(0).to_vec(), x.row(1).to_vec(), y.data.clone()).unwrap();
    let mut trainer = Trainer::new(points, 4, 2).unwrap();
    assert_eq!(trainer.learning_rate(), LR);
    let mut last = 0;
    for (k, expected) in checkpoint_costs(7000) {
        trainer.step((k - last) as u64);
        last = k;
        let cost = trainer.cost().unwrap();
        assert!(
            relative_error(cost, expected) < 1e-12,
            "cost at {k}: {cost} vs {expected}"
        );
    }
    trainer.step(10_000 - 7000);
    assert_eq!(trainer.iteration(), 10_000);
    assert!((trainer.cost().unwrap() - golden_f64("cost_at.10000")).abs() < 1e-3);
    assert_eq!(trainer.accuracy(), Some(golden_f64("accuracy")));
    // The history holds the cost before each update: cost_at[k] for k < 10000.
    let span = trainer.history().span(1000, 1001).unwrap();
    assert!(relative_error(span.low, golden_f64("cost_at.1000")) < 1e-12);
}

#[test]
fn the_fast_path_matches_the_tutorial_functions_on_random_data() {
    // A small deterministic generator: the data only need to be varied.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for trial in 0..40 {
        let n_h = 1 + trial % 8;
        let m = 1 + (next() * 300.0) as usize;
        let x = Matrix::from_vec(N_X, m, (0..2 * m).map(|_| next() * 10.0 - 5.0).collect());
        let y = Matrix::from_vec(1, m, (0..m).map(|_| (next() > 0.5) as u8 as f64).collect());
        let mut p = network::initialize_parameters(n_h, trial as u32);
        for v in [&mut p.w1, &mut p.b1, &mut p.w2, &mut p.b2] {
            v.data.iter_mut().for_each(|w| *w = next() * 4.0 - 2.0);
        }
        let mut cache = Cache::new(n_h, m);
        let mut grads = Gradients::new(n_h, m);
        network::forward_propagation(&x, &p, &mut cache);
        let cost = network::compute_cost(&cache, &y).unwrap();
        network::backward_propagation(&p, &cache, &x, &y, &mut grads);
        let mut expected = p.clone();
        network::update_parameters(&mut expected, &grads, 0.5);

        let mut fast = p.clone();
        let mut fast_grads = Gradients::new(n_h, 0);
        let eval = fused::train_step(&mut fast, &batch_of(&x, &y), 0.5, &mut fast_grads).unwrap();
        assert!(
            relative_error(eval.cost, cost) < 1e-12,
            "trial {trial}: cost {} vs {cost}",
            eval.cost
        );
        let tolerance = |g: &Matrix| 1e-12 * g.data.iter().fold(1.0f64, |a, v| a.max(v.abs()));
        for (f, r) in [
            (&fast_grads.dw1, &grads.dw1),
            (&fast_grads.db1, &grads.db1),
            (&fast_grads.dw2, &grads.dw2),
            (&fast_grads.db2, &grads.db2),
            (&fast.w1, &expected.w1),
            (&fast.w2, &expected.w2),
        ] {
            for (a, b) in f.data.iter().zip(&r.data) {
                assert!((a - b).abs() <= tolerance(r), "trial {trial}: {a} vs {b}");
            }
        }
        let accuracy = network::accuracy(&p, &x, &y).unwrap();
        assert!(
            (eval.accuracy - accuracy).abs() <= 100.0 / m as f64,
            "trial {trial}: accuracy"
        );
        let mut predicted = Vec::new();
        let again = fused::evaluate(&p, &batch_of(&x, &y), &mut predicted).unwrap();
        assert!(
            relative_error(again.cost, cost) < 1e-12,
            "trial {trial}: evaluate's cost"
        );
        let reference = network::predict(&p, &x);
        let differing = predicted
            .iter()
            .zip(&reference)
            .filter(|(a, b)| a != b)
            .count();
        assert!(
            predicted.len() == m && differing <= 1,
            "trial {trial}: {differing} predictions differ"
        );
    }
}

#[test]
fn the_cpu_specific_path_equals_the_baseline_bit_for_bit() {
    let (x, y) = golden_data();
    let batch = batch_of(&x, &y);
    for n_h in 1..=8 {
        let (mut fast, mut base) = (
            network::initialize_parameters(n_h, 3),
            network::initialize_parameters(n_h, 3),
        );
        let (mut fast_grads, mut base_grads) = (Gradients::new(n_h, 0), Gradients::new(n_h, 0));
        for _ in 0..50 {
            let a = fused::train_step(&mut fast, &batch, 1.2, &mut fast_grads);
            let b = fused::train_step_baseline(&mut base, &batch, 1.2, &mut base_grads);
            assert_eq!(a, b);
        }
        assert_eq!((fast.clone(), fast_grads), (base.clone(), base_grads));
        let (mut p1, mut p2) = (Vec::new(), Vec::new());
        assert_eq!(
            fused::evaluate(&fast, &batch, &mut p1),
            fused::evaluate_baseline(&base, &batch, &mut p2)
        );
        assert_eq!(p1, p2);
    }
}

#[test]
fn the_tutorials_seeds_give_its_data_and_weights() {
    let flower = planar::data::flower(400, 1).unwrap();
    let (x, y) = golden_data();
    for (a, b) in flower.x.iter().chain(&flower.y).zip(&x.data) {
        assert!((a - b).abs() <= 1e-12, "{a} vs {b}");
    }
    assert_eq!(flower.label, y.data);
    assert_eq!(
        network::initialize_parameters(4, 2),
        golden_params("initial")
    );
}
