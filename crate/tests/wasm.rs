//! The core compiled to wasm, in Node and in headless Chromium: the golden
//! run through the fast path (simd128), and the facade the page calls.
//! Run by `scripts/test.sh`; natively this file is empty.
#![cfg(target_arch = "wasm32")]

mod common;

use common::Json;
use planar::facade::Planar;
use planar::trainer::Trainer;
use wasm_bindgen_test::wasm_bindgen_test;

fn golden() -> Json {
    Json::parse(include_str!("data/golden_flower_nh4.json"))
}

#[wasm_bindgen_test]
fn the_tutorials_seeds_give_its_data_and_weights() {
    let g = golden();
    let flower = planar::data::flower(400, 1).unwrap();
    // wasm's sin, cos and log may differ from glibc's in the last bit.
    for (a, b) in flower.x.iter().chain(&flower.y).zip(g.at("X").flat()) {
        assert!((a - b).abs() <= 1e-12, "{a} vs {b}");
    }
    assert_eq!(flower.label, g.at("Y").flat());
    let p = planar::network::initialize_parameters(4, 2);
    assert_eq!(p.w1.data, g.at("initial.W1").flat());
    assert_eq!(p.w2.data, g.at("initial.W2").flat());
}

#[wasm_bindgen_test]
fn the_trainer_matches_the_reference_through_7000() {
    let g = golden();
    let mut trainer = Trainer::tutorial();
    let mut done = 0;
    for k in (0..=7000).step_by(1000) {
        trainer.step(k - done);
        done = k;
        let expected = g.at(&format!("cost_at.{k}")).num();
        let cost = trainer.cost().unwrap();
        // The flower's coordinates may differ by 1e-15 here: allow 1e-11.
        assert!(
            ((cost - expected) / expected).abs() < 1e-11,
            "cost at {k}: {cost} vs {expected}"
        );
    }
    trainer.step(3000);
    let cost = trainer.cost().unwrap();
    assert!(
        (cost - g.at("cost_at.10000").num()).abs() < 1e-3,
        "final cost {cost}"
    );
    let accuracy = trainer.accuracy().unwrap();
    // The late 2-cycle alternates 90.75 % and 90.5 %; rounding picks the phase.
    assert!([90.5, 90.75].contains(&accuracy), "accuracy {accuracy}");
}

#[wasm_bindgen_test]
fn the_facade_starts_with_the_tutorials_run() {
    let mut planar = Planar::new();
    assert_eq!(planar.point_count(), 400);
    assert_eq!(format!("{:.6}", planar.cost().unwrap()), "0.693048");
    assert_eq!((planar.learning_rate(), planar.seed()), (1.2, 2));
    let model = planar.model();
    assert!(model.starts_with(r#"{"features":["x1","x2"],"layers":[{"units":4,"activation":"tanh"}],"init":"tutorial""#), "{model}");
    assert_eq!(planar.step(5), 5);
    assert_eq!(planar.iteration(), 5.0);
    assert_eq!(planar.parameters().len(), 4 * 2 + 4 + 4 + 1);
    assert!(planar.gradients().iter().any(|&g| g != 0.0));
}

#[wasm_bindgen_test]
fn bad_input_through_the_facade_changes_nothing() {
    let mut planar = Planar::new();
    planar.step(3);
    let before = (
        planar.point_count(),
        planar.parameters(),
        planar.iteration(),
    );
    assert!(planar.add_point(f64::NAN, 0.0, 1.0, None).is_err());
    assert!(planar.add_point(0.0, 0.0, 2.0, None).is_err());
    assert!(planar.set_learning_rate(-1.0).is_err());
    assert!(planar.set_model("x1,x2", "0", "tanh", "tutorial").is_err());
    assert!(planar.set_model("x1,x9", "4", "tanh", "tutorial").is_err());
    assert!(planar.set_parameter(17, 1.0).is_err());
    assert!(planar.set_parameter(0, 1e300).is_err());
    assert!(planar.render_node(3, 0, 8, None, None, None).is_err());
    assert!(
        planar
            .render_field(8, 8, Some(0.0), Some(0.0), Some(0.0))
            .is_err()
    );
    assert!(planar.load_preset("nonsense", 10, 1, None).is_err());
    assert!(planar.set_points(vec![1.0], vec![], vec![0.0]).is_err());
    assert!(planar.set_parameters(vec![0.0; 3], 0.0, None).is_err());
    assert!(
        planar
            .set_parameters(vec![f64::INFINITY; 17], 0.0, None)
            .is_err()
    );
    assert!(planar.move_point(400, 0.0, 0.0).is_err());
    assert!(
        planar
            .set_training("rmsprop", 0.9, 0.9, 0.999, 0.0, 0.0, 0)
            .is_err()
    );
    assert!(
        planar
            .set_training("adam", 0.9, 1.0, 0.999, 0.0, 0.0, 0)
            .is_err()
    );
    assert!(
        planar
            .set_training("gd", 0.9, 0.9, 0.999, -1.0, 0.0, 0)
            .is_err()
    );
    assert!(planar.set_split(0.05, 1).is_err());
    assert!(planar.set_held_out(vec![1; 3]).is_err());
    assert_eq!(planar.test_count(), 0);
    assert_eq!(
        before,
        (
            planar.point_count(),
            planar.parameters(),
            planar.iteration()
        )
    );
}

#[wasm_bindgen_test]
fn parameters_round_trip_through_the_facade() {
    let mut a = Planar::new();
    a.set_learning_rate(0.5).unwrap();
    a.step(250);
    let mut b = Planar::new();
    b.set_parameters(a.parameters(), a.iteration(), None)
        .unwrap();
    assert!(b.restore_history(a.history_snapshot(64)));
    assert_eq!(
        (b.parameters(), b.iteration(), b.cost()),
        (a.parameters(), 250.0, a.cost())
    );
    assert_eq!(b.cost_span(0.0, 250.0), a.cost_span(0.0, 250.0));
    let (w, h) = (64, 48);
    let pa = a.render_field(w, h, None, None, None).unwrap();
    let pixels_a = unsafe { std::slice::from_raw_parts(pa, (w * h) as usize) }.to_vec();
    let pb = b.render_field(w, h, None, None, None).unwrap();
    let pixels_b = unsafe { std::slice::from_raw_parts(pb, (w * h) as usize) };
    assert_eq!(pixels_a, pixels_b);
}

#[wasm_bindgen_test]
fn any_model_crosses_the_boundary_with_its_layout() {
    let mut planar = Planar::new();
    let tutorial = planar.model();
    assert!(tutorial.contains(r#""dims":[2,4,1]"#), "{tutorial}");
    assert!(tutorial.contains(r#"{"name":"b2","layer":2,"rows":1,"cols":1,"offset":16}"#));
    planar
        .set_model("x1,x2,sinx1", "8,3", "relu,tanh", "xavier")
        .unwrap();
    let json = planar.model();
    assert!(json.contains(r#""dims":[3,8,3,1]"#), "{json}");
    assert!(json.contains(r#""parameter_count":63"#), "{json}");
    assert_eq!(planar.parameters().len(), 63);
    assert_eq!(planar.iteration(), 0.0);
    planar.step(20);
    assert_eq!(planar.gradients().len(), 63);
    // X (3), Z1 A1 (8 each), Z2 A2 (3 each), Z3 A3, two cost terms.
    let detail = planar.point_detail(1.0, -2.0);
    assert_eq!(detail.len(), 3 + 16 + 6 + 2 + 2);
    assert_eq!(&detail[..3], &[1.0, -2.0, 1f64.sin()]);
    planar.set_parameter(5, 0.25).unwrap();
    assert_eq!(planar.parameters()[5], 0.25);
    for (layer, units) in [(0, 3), (1, 8), (2, 3), (3, 1)] {
        for unit in 0..units {
            assert!(planar.render_node(layer, unit, 8, None, None, None).is_ok());
        }
        assert!(
            planar
                .render_node(layer, units, 8, Some(1.0), Some(2.0), Some(3.0))
                .is_err()
        );
    }
}
