//! numpy's RandomState and the data sets, checked against numbers numpy
//! printed and against the golden reference run.

mod common;

use common::{Json, golden_array, golden_shape};
use planar::data::{self, MAX_POINTS, PLANE_HALF_WIDTH, PointError, Points, Preset};
use planar::rng::RandomState;
use proptest::prelude::*;

// python3 -c "import numpy as np; rs=np.random.RandomState(s);
//   print([int(v) for v in rs._bit_generator.random_raw(5)])"
const RAW: [(u32, [u32; 5]); 5] = [
    (
        0,
        [2357136044, 2546248239, 3071714933, 3626093760, 2588848963],
    ),
    (1, [1791095845, 4282876139, 3093770124, 4005303368, 491263]),
    (
        2,
        [1872583848, 794921487, 111352301, 4000937544, 2360782358],
    ),
    (
        42,
        [1608637542, 3421126067, 4083286876, 787846414, 3143890026],
    ),
    (
        u32::MAX,
        [419326371, 479346978, 3918654476, 2416749639, 3388880820],
    ),
];

// python3 -c "import numpy as np; np.random.seed(s);
//   print([repr(float(np.random.random_sample())) for _ in range(3)])"
const SAMPLE: [(u32, [f64; 3]); 5] = [
    (
        0,
        [0.5488135039273248, 0.7151893663724195, 0.6027633760716439],
    ),
    (
        1,
        [
            0.417022004702574,
            0.7203244934421581,
            0.00011437481734488664,
        ],
    ),
    (
        2,
        [
            0.43599490214200376,
            0.025926231827891333,
            0.5496624778787091,
        ],
    ),
    (
        42,
        [0.3745401188473625, 0.9507143064099162, 0.7319939418114051],
    ),
    (
        u32::MAX,
        [0.0976320289940138, 0.9123828453026218, 0.78903530185164],
    ),
];

// python3 -c "import numpy as np; np.random.seed(s);
//   print([repr(float(np.random.randn())) for _ in range(5)])"
const RANDN: [(u32, [f64; 5]); 5] = [
    (
        0,
        [
            1.764052345967664,
            0.4001572083672233,
            0.9787379841057392,
            2.240893199201458,
            1.8675579901499675,
        ],
    ),
    (
        1,
        [
            1.6243453636632417,
            -0.6117564136500754,
            -0.5281717522634557,
            -1.0729686221561705,
            0.8654076293246785,
        ],
    ),
    (
        2,
        [
            -0.4167578474054706,
            -0.056266827226329474,
            -2.136196095668454,
            1.6402708084049886,
            -1.7934355851948631,
        ],
    ),
    (
        42,
        [
            0.4967141530112327,
            -0.13826430117118466,
            0.6476885381006925,
            1.5230298564080254,
            -0.23415337472333597,
        ],
    ),
    (
        u32::MAX,
        [
            0.6484086742306527,
            0.6693235306338161,
            -1.0805437227474493,
            0.2845010447986309,
            0.11388773652167104,
        ],
    ),
];

// python3 -c "import numpy as np; np.random.seed(s);
//   print([repr(float(np.random.uniform(-3, 2))) for _ in range(2)])"
const UNIFORM: [(u32, [f64; 2]); 5] = [
    (0, [-0.25593248036337624, 0.5759468318620975]),
    (1, [-0.9148899764871299, 0.6016224672107904]),
    (2, [-0.8200254892899812, -2.8703688408605434]),
    (42, [-1.1272994057631875, 1.7535715320495804]),
    (u32::MAX, [-2.511839855029931, 1.5619142265131094]),
];

#[test]
fn next_u32_matches_numpy() {
    for (seed, want) in RAW {
        let mut rs = RandomState::new(seed);
        let got: Vec<u32> = (0..5).map(|_| rs.next_u32()).collect();
        assert_eq!(got, want, "seed {seed}");
    }
}

#[test]
fn next_u32_crosses_the_regeneration_boundary() {
    // python3 -c "import numpy as np; rs=np.random.RandomState(1);
    //   print([int(v) for v in rs._bit_generator.random_raw(1250)[622:627]])"
    let mut rs = RandomState::new(1);
    let got: Vec<u32> = (0..1250).map(|_| rs.next_u32()).collect();
    assert_eq!(
        &got[622..627],
        &[3906854836, 2006116153, 1104314680, 939235918, 476274519]
    );
}

#[test]
fn random_sample_matches_numpy() {
    for (seed, want) in SAMPLE {
        let mut rs = RandomState::new(seed);
        for w in want {
            assert_eq!(rs.random_sample().to_bits(), w.to_bits(), "seed {seed}");
        }
    }
}

#[test]
fn randn_matches_numpy() {
    for (seed, want) in RANDN {
        let mut rs = RandomState::new(seed);
        for w in want {
            assert_eq!(rs.randn().to_bits(), w.to_bits(), "seed {seed}");
        }
    }
}

#[test]
fn uniform_matches_numpy() {
    for (seed, want) in UNIFORM {
        let mut rs = RandomState::new(seed);
        for w in want {
            assert_eq!(rs.uniform(-3.0, 2.0).to_bits(), w.to_bits(), "seed {seed}");
        }
    }
}

#[test]
fn same_seed_same_sequence() {
    for seed in [0, 7, 123_456, u32::MAX] {
        let (mut a, mut b) = (RandomState::new(seed), RandomState::new(seed));
        for _ in 0..2000 {
            assert_eq!(a.randn().to_bits(), b.randn().to_bits());
            assert_eq!(a.next_u32(), b.next_u32());
            assert_eq!(a.random_sample().to_bits(), b.random_sample().to_bits());
        }
    }
    // Different seeds differ at once.
    assert_ne!(
        RandomState::new(1).next_u32(),
        RandomState::new(2).next_u32()
    );
}

#[test]
fn entropy_seed_runs() {
    // Nothing to pin: only that it returns without panicking.
    let _ = planar::rng::entropy_seed();
}

#[test]
fn initial_parameters_match_golden_bit_for_bit() {
    // initialize_parameters: seed 2; W1 = randn(n_h, 2)*0.01, W2 = randn(1, n_h)*0.01.
    let w1 = golden_array("initial.W1");
    let w2 = golden_array("initial.W2");
    assert_eq!(golden_shape("initial.W1"), [4, 2]);
    assert_eq!(golden_shape("initial.W2"), [1, 4]);
    let mut rs = RandomState::new(2);
    for (i, w) in w1.iter().chain(&w2).enumerate() {
        assert_eq!((rs.randn() * 0.01).to_bits(), w.to_bits(), "draw {i}");
    }
}

#[test]
fn flower_matches_golden() {
    let x = golden_array("X");
    let y = golden_array("Y");
    assert_eq!(golden_shape("X"), [2, 400]);
    let p = data::flower(400, 1).unwrap();
    assert_eq!(p.len(), 400);
    let mut worst = 0.0f64;
    for i in 0..400 {
        worst = worst
            .max((p.x[i] - x[i]).abs())
            .max((p.y[i] - x[400 + i]).abs());
    }
    assert!(worst <= 1e-12, "flower differs from numpy by {worst:e}");
    assert_eq!(p.label, y);
}

#[test]
fn flower_count_is_checked() {
    assert_eq!(data::flower(3, 1), Err(PointError::BadCount(3)));
    assert_eq!(data::flower(0, 1), Err(PointError::BadCount(0)));
    assert_eq!(
        Preset::Flower.generate(399, 1),
        data::flower(400, 1).unwrap()
    );
}

fn assert_in_plane(p: &Points, what: &str) {
    for i in 0..p.len() {
        assert!(
            p.x[i].abs() <= PLANE_HALF_WIDTH && p.y[i].abs() <= PLANE_HALF_WIDTH,
            "{what}: point {i} ({}, {}) outside the plane",
            p.x[i],
            p.y[i]
        );
    }
}

#[test]
fn presets_are_reproducible_balanced_and_in_plane() {
    for preset in Preset::ALL {
        for seed in [0, 1, 99, u32::MAX] {
            let what = format!("{} seed {seed}", preset.name());
            let a = preset.generate(1000, seed);
            let b = preset.generate(1000, seed);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a.x), bits(&b.x), "{what}");
            assert_eq!(bits(&a.y), bits(&b.y), "{what}");
            assert_eq!(a.label, b.label, "{what}");
            assert_eq!(a.x.len(), a.label.len());
            assert_eq!(a.y.len(), a.label.len());
            assert_in_plane(&a, &what);
            if preset == Preset::Empty {
                assert!(a.is_empty());
            } else {
                assert_eq!(a.len(), 1000, "{what}");
                assert_eq!(a.count(0.0), 500, "{what}");
                assert_eq!(a.count(1.0), 500, "{what}");
                assert_ne!(
                    preset.generate(1000, seed ^ 1).x,
                    a.x,
                    "{what}: seed ignored"
                );
            }
        }
    }
}

#[test]
fn presets_fill_the_plane() {
    // Roughly radius 4: the farthest point is between 3 and 5 from the centre.
    for preset in Preset::ALL.into_iter().filter(|&p| p != Preset::Empty) {
        let p = preset.generate(2000, 5);
        let r = (0..p.len())
            .map(|i| p.x[i].hypot(p.y[i]))
            .fold(0.0, f64::max);
        assert!(
            (3.0..=5.0 * std::f64::consts::SQRT_2).contains(&r),
            "{}: {r}",
            preset.name()
        );
    }
}

#[test]
fn presets_cap_at_max_points() {
    assert_eq!(
        Preset::Circles.generate(MAX_POINTS + 5, 1).len(),
        MAX_POINTS
    );
    assert_eq!(Preset::Flower.generate(usize::MAX, 1).len(), MAX_POINTS);
}

#[test]
fn points_reject_bad_input_unchanged() {
    let mut p = Points::new();
    p.push(1.0, 2.0, 0.0).unwrap();
    p.push(-1.0, 0.5, 1.0).unwrap();
    let before = p.clone();
    let bad = [
        (f64::NAN, 0.0, 0.0),
        (0.0, f64::INFINITY, 1.0),
        (2e6, 0.0, 0.0),
        (0.0, -1.5e6, 1.0),
        (0.0, 0.0, 0.5),
        (0.0, 0.0, 2.0),
        (0.0, 0.0, f64::NAN),
    ];
    for (x, y, l) in bad {
        let e = p.push(x, y, l).unwrap_err();
        assert!(!e.to_string().is_empty());
        assert_eq!(p, before);
    }
    assert!(matches!(
        p.push(f64::NAN, 0.0, 0.0),
        Err(PointError::NonFinite { .. })
    ));
    assert!(matches!(
        p.push(2e6, 0.0, 0.0),
        Err(PointError::OutOfRange { .. })
    ));
    assert!(matches!(
        p.push(0.0, 0.0, 0.5),
        Err(PointError::BadLabel(_))
    ));
    assert!(matches!(
        p.move_point(0, f64::NAN, 0.0),
        Err(PointError::NonFinite { .. })
    ));
    assert!(matches!(
        p.move_point(5, 0.0, 0.0),
        Err(PointError::NoSuchPoint { index: 5, len: 2 })
    ));
    assert!(matches!(p.remove(2), Err(PointError::NoSuchPoint { .. })));
    assert_eq!(p, before);
    assert!(PointError::Full.to_string().contains("100000"));
}

#[test]
fn points_full_at_max() {
    let mut p = Preset::Moons.generate(MAX_POINTS, 3);
    assert_eq!(p.len(), MAX_POINTS);
    let before = p.clone();
    assert_eq!(p.push(0.0, 0.0, 1.0), Err(PointError::Full));
    assert_eq!(p, before);
    p.remove(0).unwrap();
    assert_eq!(p.push(0.0, 0.0, 1.0), Ok(MAX_POINTS - 1));
}

#[test]
fn points_edit() {
    let mut p = Points::new();
    assert!(p.is_empty());
    assert_eq!(p.nearest(0.0, 0.0), None);
    assert_eq!(p.push(0.0, 0.0, 0.0), Ok(0));
    assert_eq!(p.push(3.0, 4.0, 1.0), Ok(1));
    assert_eq!(p.push(-1.0, 0.0, 1.0), Ok(2));
    assert_eq!(p.nearest(3.0, 3.0), Some((1, 1.0)));
    assert_eq!(p.nearest(f64::NAN, 3.0), None);
    // Ties go to the lowest index.
    assert_eq!(p.nearest(-0.5, 0.0), Some((0, 0.5)));
    assert_eq!(p.count(1.0), 2);
    assert_eq!(p.remove_nearest(3.0, 3.0, 0.5), None);
    assert_eq!(p.remove_nearest(3.0, 3.0, 1.0), Some(1));
    assert_eq!(
        (p.x.as_slice(), p.y.as_slice(), p.label.as_slice()),
        (&[0.0, -1.0][..], &[0.0, 0.0][..], &[0.0, 1.0][..])
    );
    p.move_point(1, 2.0, 2.0).unwrap();
    assert_eq!((p.x[1], p.y[1], p.label[1]), (2.0, 2.0, 1.0));
    assert_eq!(p.remove(0), Ok((0.0, 0.0, 0.0)));
    p.clear();
    assert!(p.is_empty() && p.y.is_empty() && p.label.is_empty());
}

#[test]
fn from_vecs_validates() {
    assert!(Points::from_vecs(vec![1.0], vec![2.0], vec![1.0]).is_ok());
    assert!(matches!(
        Points::from_vecs(vec![1.0], vec![], vec![1.0]),
        Err(PointError::LengthMismatch {
            x: 1,
            y: 0,
            label: 1
        })
    ));
    assert!(Points::from_vecs(vec![f64::NAN], vec![0.0], vec![1.0]).is_err());
    assert!(Points::from_vecs(vec![0.0], vec![0.0], vec![3.0]).is_err());
}

#[test]
fn json_helper_reads_the_golden_shapes() {
    let j = Json::parse(r#"{"a": [[1, -2.5e-3], [3, 4]], "b": {"c": "x\"y"}, "d": [true, null]}"#);
    assert_eq!(j.at("a").flat(), [1.0, -2.5e-3, 3.0, 4.0]);
    assert_eq!(j.at("a").shape(), [2, 2]);
    assert_eq!(j.at("b.c"), &Json::Str("x\"y".into()));
    assert_eq!(j.at("d.1"), &Json::Null);
    assert_eq!(golden_shape("Y"), [1, 400]);
    assert_eq!(golden_shape("predictions"), [1, 400]);
    assert!(common::golden_f64("cost_at.1000").is_finite());
    assert_eq!(golden_array("checkpoints.10.W1").len(), 8);
    assert_eq!(golden_array("initial_grads.dW1").len(), 8);
    assert!((0.0..=100.0).contains(&common::golden_f64("accuracy")));
}

#[derive(Debug, Clone)]
enum Op {
    Push(f64, f64, f64),
    Remove(usize),
    Move(usize, f64, f64),
    RemoveNearest(f64, f64, f64),
    Clear,
}

fn coord() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -6.0..6.0f64,
        1 => any::<f64>(),
        1 => prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-2e6), Just(1e6)],
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (coord(), coord(), prop_oneof![Just(0.0), Just(1.0), any::<f64>()]).prop_map(|(x, y, l)| Op::Push(x, y, l)),
        2 => (0..20usize).prop_map(Op::Remove),
        2 => (0..20usize, coord(), coord()).prop_map(|(i, x, y)| Op::Move(i, x, y)),
        2 => (coord(), coord(), 0.0..3.0f64).prop_map(|(x, y, r)| Op::RemoveNearest(x, y, r)),
        1 => Just(Op::Clear),
    ]
}

proptest! {
    #[test]
    fn edits_keep_points_consistent(ops in prop::collection::vec(op(), 0..60)) {
        let mut p = Points::new();
        for op in ops {
            let before = p.clone();
            let ok = match op {
                Op::Push(x, y, l) => p.push(x, y, l).is_ok(),
                Op::Remove(i) => p.remove(i).is_ok(),
                Op::Move(i, x, y) => p.move_point(i, x, y).is_ok(),
                Op::RemoveNearest(x, y, r) => p.remove_nearest(x, y, r).is_some(),
                Op::Clear => { p.clear(); true }
            };
            if !ok {
                prop_assert_eq!(&p, &before);
            }
            prop_assert_eq!(p.x.len(), p.len());
            prop_assert_eq!(p.y.len(), p.len());
            prop_assert_eq!(p.label.len(), p.len());
            prop_assert!(p.x.iter().chain(&p.y).all(|v| v.is_finite() && v.abs() <= 1e6));
            prop_assert!(p.label.iter().all(|&l| l == 0.0 || l == 1.0));
        }
    }
}

/// `np.random.RandomState(seed).permutation(n)`, pinned from numpy: the
/// first eight and the last three entries.
#[test]
fn permutations_are_numpys() {
    let cases: [(u32, usize, [usize; 8], [usize; 3]); 3] = [
        (11, 10, [7, 8, 2, 6, 4, 5, 1, 3], [3, 0, 9]),
        (
            12,
            400,
            [280, 387, 313, 1, 35, 210, 39, 52],
            [390, 155, 331],
        ),
        (
            3,
            100_000,
            [79528, 53876, 9777, 6167, 22020, 85042, 14758, 65017],
            [77049, 67224, 71530],
        ),
    ];
    for (seed, n, first, last) in cases {
        let mut p = vec![0; n];
        planar::rng::RandomState::new(seed).permutation(&mut p);
        assert_eq!(p[..8], first, "seed {seed}");
        assert_eq!(p[n - 3..], last, "seed {seed}");
        let mut sorted = p.clone();
        sorted.sort_unstable();
        assert!(sorted.iter().enumerate().all(|(i, &v)| i == v));
    }
    let mut two = [9, 9];
    planar::rng::RandomState::new(5).permutation(&mut two);
    assert_eq!(two, [0, 1]);
}
