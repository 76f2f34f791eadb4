//! The held-out test set, the update count and the presets' noise.

use planar::data::{self, Points, Preset};
use planar::deep::{self, Caches};
use planar::matrix::Matrix;
use planar::model::Model;
use planar::optim::Training;
use planar::trainer::{Split, Trainer};

fn subset(points: &Points, keep: impl Fn(usize) -> bool) -> Points {
    let mut out = Points::new();
    for i in (0..points.len()).filter(|&i| keep(i)) {
        out.push(points.x[i], points.y[i], points.label[i]).unwrap();
    }
    out
}

/// The readable path's cost and predictions for `points`.
fn readable(model: &Model, t: &Trainer, points: &Points) -> (f64, Vec<u8>) {
    let x = deep::feature_matrix(model.features, &points.x, &points.y);
    let y = Matrix::from_vec(1, points.len(), points.label.clone());
    let mut caches = Caches::new(model, points.len());
    caches.a[0] = x.clone();
    deep::l_model_forward(t.params(), model, &mut caches);
    let cost = deep::compute_cost(&caches, &y).unwrap();
    (cost, deep::predict(t.params(), model, &x))
}

#[test]
fn a_split_is_reproducible_from_its_seed() {
    let mut t = Trainer::tutorial();
    assert_eq!(t.test_count(), 0);
    t.set_split(Split {
        share: 0.7,
        seed: 5,
    })
    .unwrap();
    assert_eq!(t.test_count(), 120);
    let first = t.held_out().to_vec();
    t.set_split(Split {
        share: 1.0,
        seed: 5,
    })
    .unwrap();
    assert_eq!(t.test_count(), 0);
    t.set_split(Split {
        share: 0.7,
        seed: 5,
    })
    .unwrap();
    assert_eq!(t.held_out(), &first[..]);
    t.set_split(Split {
        share: 0.7,
        seed: 6,
    })
    .unwrap();
    assert_ne!(t.held_out(), &first[..]);
    // Both classes are held out, not a block of the points.
    let labels = &t.points().label;
    let held = |class: f64| {
        (0..400)
            .filter(|&i| first[i] == 1 && labels[i] == class)
            .count()
    };
    assert!(
        held(0.0) > 40 && held(1.0) > 40,
        "{} {}",
        held(0.0),
        held(1.0)
    );
    for share in [0.0, 0.09, 1.01, f64::NAN] {
        assert!(t.set_split(Split { share, seed: 5 }).is_err(), "{share}");
    }
    assert_eq!(
        t.split(),
        Split {
            share: 0.7,
            seed: 6
        }
    );
}

#[test]
fn held_out_points_do_not_train_and_are_measured() {
    let mut t = Trainer::tutorial();
    t.set_split(Split {
        share: 0.7,
        seed: 3,
    })
    .unwrap();
    let held_out = t.held_out().to_vec();
    let all = t.points().clone();
    let train = subset(&all, |i| held_out[i] == 0);
    let test = subset(&all, |i| held_out[i] == 1);
    let mut alone = Trainer::new(train.clone(), 4, 2).unwrap();
    t.step(300);
    alone.step(300);
    assert_eq!(
        t.params(),
        alone.params(),
        "the test points took part in training"
    );
    assert_eq!(t.cost(), alone.cost());

    let model = t.model().clone();
    let (test_cost, test_predicted) = readable(&model, &t, &test);
    let measured = t.test_evaluation().unwrap();
    assert!(
        (measured.cost - test_cost).abs() < 1e-12,
        "{} vs {test_cost}",
        measured.cost
    );
    let correct = test_predicted
        .iter()
        .zip(&test.label)
        .filter(|&(&p, &y)| f64::from(p) == y)
        .count();
    let expected = 100.0 * correct as f64 / test.len() as f64;
    assert!(
        (measured.accuracy - expected).abs() < 1e-9,
        "{}",
        measured.accuracy
    );
    assert_eq!(t.test_history().len(), 300);
    let last = t.test_history().span(299, 300).unwrap();
    assert!((last.low - test_cost).abs() < 1e-12);

    // Every point's class, in point order, test points included.
    let (_, all_predicted) = readable(&model, &t, &all);
    assert_eq!(t.predicted(), &all_predicted[..]);
}

#[test]
fn without_a_test_set_the_test_history_is_empty_of_values() {
    let mut t = Trainer::tutorial();
    t.step(5);
    assert!(t.test_evaluation().is_none());
    assert_eq!(t.test_history().len(), 5);
    assert!(t.test_history().span(0, 5).unwrap().low.is_nan());
}

#[test]
fn added_points_join_the_set_asked_for() {
    let mut t = Trainer::tutorial();
    t.set_split(Split {
        share: 0.5,
        seed: 1,
    })
    .unwrap();
    assert_eq!(t.test_count(), 200);
    let index = t.add_point(4.9, 4.9, 1.0, true).unwrap();
    assert_eq!((index, t.test_count()), (400, 201));
    t.add_point(-4.9, -4.9, 0.0, false).unwrap();
    assert_eq!((t.held_out()[401], t.test_count()), (0, 201));
    assert_eq!(t.remove_nearest(4.9, 4.9, 0.01), Some(400));
    assert_eq!(t.held_out().len(), 401);
    assert_eq!((t.held_out()[400], t.test_count()), (0, 200));
    // Saved sets come back as they were; a wrong length changes nothing.
    let saved = t.held_out().to_vec();
    assert!(t.set_held_out(&saved[1..]).is_err());
    assert!(t.set_held_out(&vec![2; 401]).is_err());
    assert_eq!(t.held_out(), &saved[..]);
    t.set_held_out(&vec![0; 401]).unwrap();
    assert_eq!(t.test_count(), 0);
}

#[test]
fn every_point_held_out_trains_nothing() {
    let mut t = Trainer::tutorial();
    t.set_held_out(&[1; 400]).unwrap();
    assert_eq!(t.step(10), 0);
    assert!(t.cost().is_none());
    assert!(t.test_evaluation().is_some());
    assert_eq!(t.predicted().len(), 400);
}

#[test]
fn updates_count_batches() {
    let mut t = Trainer::tutorial();
    t.step(3);
    assert_eq!(t.updates(), 3);
    t.set_training(Training {
        batch: 64,
        ..Training::default()
    })
    .unwrap();
    t.step(2);
    // 400 points in batches of 64: six full and one of 16 per epoch.
    assert_eq!((t.iteration(), t.updates()), (5, 3 + 2 * 7));
    let values = t.params().to_vec();
    t.restore(&values, 5, 17).unwrap();
    assert_eq!((t.iteration(), t.updates()), (5, 17));
    // The test cost's history covers the restored iterations, unknown, and goes on.
    assert_eq!(t.test_history().len(), 5);
    t.set_split(Split {
        share: 0.5,
        seed: 2,
    })
    .unwrap();
    t.step(1);
    assert_eq!(t.test_history().len(), 6);
    assert!(t.test_history().span(0, 5).unwrap().low.is_nan());
    assert!(t.test_history().span(5, 6).unwrap().low.is_finite());
    let long = planar::history::CostHistory::unknown(1 << 20);
    assert_eq!((long.len(), long.envelope(4).len()), (1 << 20, 8));
}

#[test]
fn presets_keep_their_points_at_their_own_noise() {
    for preset in Preset::ALL {
        assert_eq!(
            preset.generate(300, 4),
            preset.generate_with_noise(300, 4, preset.default_noise()),
            "{}",
            preset.name()
        );
    }
    assert_eq!(
        Preset::Flower.generate_with_noise(400, 1, 0.2),
        data::flower(400, 1).unwrap()
    );
    assert_eq!(Preset::Flower.default_noise(), data::FLOWER_NOISE);
}

#[test]
fn noise_spreads_the_points() {
    // Mean distance of XOR's points from their cluster centres (±2.2, ±2.2).
    let spread = |noise: f64| {
        let p = Preset::Xor.generate_with_noise(2000, 7, noise);
        let total: f64 =
            p.x.iter()
                .zip(&p.y)
                .map(|(&x, &y)| (x.abs() - 2.2).hypot(y.abs() - 2.2))
                .sum();
        total / p.len() as f64
    };
    let (quiet, loud) = (spread(0.1), spread(0.75));
    assert!(quiet < 0.2 && loud > 0.7, "{quiet} {loud}");
    for preset in Preset::ALL {
        let a = preset.generate_with_noise(200, 2, 0.5);
        assert_eq!(
            a,
            preset.generate_with_noise(200, 2, 0.5),
            "{}",
            preset.name()
        );
        // Out-of-range noise is clamped, never NaN points.
        let b = preset.generate_with_noise(200, 2, f64::NAN);
        assert!(b.x.iter().chain(&b.y).all(|v| v.is_finite()));
        assert_eq!(
            preset.generate_with_noise(200, 2, 50.0),
            preset.generate_with_noise(200, 2, data::MAX_NOISE)
        );
    }
    // The flower at 0 noise lies exactly on r = 4 sin 4t.
    let clean = Preset::Flower.generate_with_noise(100, 3, 0.0);
    assert!(
        clean
            .x
            .iter()
            .zip(&clean.y)
            .all(|(&x, &y)| x.hypot(y) <= 4.0 + 1e-12)
    );
}
