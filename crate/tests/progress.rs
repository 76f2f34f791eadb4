//! A run handed from one trainer to another: what training in another
//! thread and replaying history rely on.

use planar::model::{Activation, Init, Layer, Model};
use planar::optim::{Optimizer, Training};
use planar::trainer::{Split, Trainer};

/// The flower with 30 % held out, a 2-hidden-layer ReLU network, Adam on batches of 64 with L2.
fn run() -> Trainer {
    let points = planar::data::flower(400, 1).unwrap();
    let model = Model::tutorial(4);
    let model = Model::new(
        model.features,
        vec![
            Layer {
                units: 8,
                activation: Activation::Relu,
            },
            Layer {
                units: 8,
                activation: Activation::Tanh,
            },
        ],
        Init::He,
    )
    .unwrap();
    let mut t = Trainer::with_model(points, model, 3).unwrap();
    t.set_split(Split {
        share: 0.7,
        seed: 5,
    })
    .unwrap();
    t.set_learning_rate(0.01).unwrap();
    t.set_training(Training {
        optimizer: Optimizer::Adam {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        },
        l2: 0.1,
        batch: 64,
        ..Training::default()
    })
    .unwrap();
    t
}

#[test]
fn a_copy_given_the_progress_goes_on_bit_for_bit() {
    let mut original = run();
    original.step(40);
    let mut copy = run();
    copy.record_costs(true);
    copy.set_progress(&original.progress()).unwrap();
    original.record_costs(true);
    original.step(60);
    copy.step(60);
    assert_eq!(copy.progress(), original.progress());
    assert_eq!(copy.params().to_vec(), original.params().to_vec());
    assert_eq!((copy.iteration(), copy.updates()), (100, 100 * 5));
    let (ran, seen) = (original.take_costs(), copy.take_costs());
    assert_eq!(ran.len(), 120);
    assert_eq!(
        ran.iter().map(|c| c.to_bits()).collect::<Vec<_>>(),
        seen.iter().map(|c| c.to_bits()).collect::<Vec<_>>()
    );
    assert!(original.take_costs().is_empty(), "taken once");
}

#[test]
fn pushed_costs_make_the_same_history() {
    let mut original = run();
    original.step(30);
    let mut follower = run();
    follower.step(30);
    original.record_costs(true);
    original.step(25);
    follower.push_costs(&original.take_costs());
    follower.set_progress(&original.progress()).unwrap();
    assert_eq!(
        follower.history().envelope(55),
        original.history().envelope(55)
    );
    assert_eq!(
        follower.test_history().envelope(55),
        original.test_history().envelope(55)
    );
    assert_eq!(follower.cost(), original.cost());
}

#[test]
fn a_bad_progress_changes_nothing() {
    let mut t = run();
    t.step(5);
    let before = t.progress();
    let mut wrong = before.clone();
    wrong.pop();
    assert!(t.set_progress(&wrong).is_err());
    let mut wrong = before.clone();
    let last = wrong.len() - 1;
    wrong[last] = f64::INFINITY;
    assert!(t.set_progress(&wrong).is_err());
    let mut wrong = before.clone();
    wrong[0] = 2.5;
    assert!(t.set_progress(&wrong).is_err());
    assert_eq!(t.progress().len(), before.len());
    assert_eq!(
        t.progress().iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        before.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
}

#[test]
fn a_run_taken_back_and_cut_goes_on_as_a_fresh_run_stopped_there() {
    let mut fresh = run();
    fresh.step(50);
    let mut taken = run();
    taken.step(50);
    let at_50 = taken.progress();
    taken.step(70);
    taken.set_learning_rate(0.02).unwrap();
    taken.step(10);
    taken.set_progress(&at_50).unwrap();
    taken.set_learning_rate(0.01).unwrap();
    taken.cut_histories();
    assert_eq!(taken.history(), fresh.history());
    assert_eq!(taken.test_history(), fresh.test_history());
    assert_eq!(taken.rate_changes(), fresh.rate_changes());
    fresh.step(30);
    taken.step(30);
    assert_eq!(taken.progress(), fresh.progress());
    assert_eq!(taken.history(), fresh.history());
}

#[test]
fn a_cut_marks_the_rate_in_force() {
    let mut t = run();
    t.step(20);
    let at_20 = t.progress();
    t.step(20);
    t.set_progress(&at_20).unwrap();
    t.set_learning_rate(0.05).unwrap();
    t.cut_histories();
    assert_eq!(t.rate_changes(), &[(0, 0.01), (20, 0.05)]);
    assert_eq!(t.history().len(), 20);
}

#[test]
fn an_adopted_evaluation_is_the_one_computed() {
    let mut original = run();
    original.step(20);
    let mut follower = run();
    follower.set_progress(&original.progress()).unwrap();
    let (training, test, all) = original.evaluated();
    assert!(training.is_some() && test.is_some());
    assert_eq!(all.len(), 400);
    // Wrong lengths and classes are refused.
    assert!(!follower.adopt_evaluation(training, test, &all[1..]));
    let mut bad = all.clone();
    bad[7] = 2;
    assert!(!follower.adopt_evaluation(training, test, &bad));
    assert!(follower.adopt_evaluation(training, test, &all));
    assert_eq!(follower.predicted(), &all[..]);
    assert_eq!(follower.evaluation(), training);
    assert_eq!(follower.test_evaluation(), test);
    // The same as the follower computing them itself.
    let mut computed = run();
    computed.set_progress(&original.progress()).unwrap();
    assert_eq!(computed.evaluation(), training);
    assert_eq!(computed.test_evaluation(), test);
    assert_eq!(computed.predicted(), &all[..]);
}

/// The costs of `n` more iterations, as bits.
fn next_costs(t: &mut Trainer, n: u64) -> Vec<u64> {
    t.record_costs(true);
    t.step(n);
    t.take_costs().iter().map(|c| c.to_bits()).collect()
}

#[test]
fn a_run_restored_from_its_parameters_and_moments_goes_on_exactly() {
    let mut original = run();
    original.step(40);
    let moments = original.moments();
    let (t, v, s) = (moments.t, moments.v.to_vec(), moments.s.to_vec());
    assert_eq!(t, 40 * 5, "Adam counted every update");
    assert!(v.iter().any(|&x| x != 0.0) && s.iter().any(|&x| x > 0.0));

    // What a saved document holds: parameters, iteration, updates, moments.
    let restore = |with_moments: bool| {
        let mut copy = run();
        copy.restore(
            &original.params().to_vec(),
            original.iteration(),
            original.updates(),
        )
        .unwrap();
        if with_moments {
            copy.set_moments(t, &v, &s).unwrap();
        }
        copy
    };
    let mut exact = restore(true);
    let mut restarted = restore(false);
    let ahead = next_costs(&mut original, 30);
    assert_eq!(next_costs(&mut exact, 30), ahead);
    assert_eq!(exact.params().to_vec(), original.params().to_vec());
    // Without them Adam starts again (t = 0): another run from here on.
    assert_ne!(next_costs(&mut restarted, 30), ahead);
}

#[test]
fn bad_moments_change_nothing() {
    let mut t = run();
    t.step(10);
    let moments = t.moments();
    let (count, v, s) = (moments.t, moments.v.to_vec(), moments.s.to_vec());
    let bits = |values: Vec<f64>| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    let before = bits(t.progress());
    let mut negative = s.clone();
    negative[3] = -1e-9;
    let mut infinite = v.clone();
    infinite[0] = f64::INFINITY;
    for (n, v, s) in [
        (count + 1, &v, &s),
        (count, &v[1..].to_vec(), &s),
        (count, &v, &negative),
        (count, &infinite, &s),
    ] {
        assert!(t.set_moments(n, v, s).is_err());
        assert_eq!(bits(t.progress()), before);
    }
    t.set_moments(count, &v, &s).unwrap();
    assert_eq!(bits(t.progress()), before, "the same state again");
}
