//! Native training speed for `npm run bench`: the fused step on the flower
//! set, as ns per point-iteration, the median of several timed runs. The
//! tutorial's network at each size given, then deeper networks at m = 400.
//!
//!     cargo run --release --example bench -- 400 4000 40000

use planar::model::Model;
use planar::trainer::Trainer;
use std::time::Instant;

const RUNS: usize = 7;
/// Point-iterations per timed run: long enough to time, short enough to repeat.
const WORK: u64 = 8_000_000;

/// The deeper networks of the bench table (as bench/run.mjs names them):
/// (label, features, layers, activation, init).
const NETWORKS: [(&str, &str, &str, &str, &str); 2] = [
    ("2-8-8-1 tanh", "x1,x2", "8,8", "tanh", "xavier"),
    (
        "7-8-8-8-1 ReLU, all seven features",
        "x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2",
        "8,8,8",
        "relu",
        "he",
    ),
];

/// The median ns per point-iteration of `model` on `m` flower points.
fn measure(model: Model, m: usize) -> f64 {
    let points = planar::data::flower(m, 1).expect("an even point count");
    let mut trainer = Trainer::with_model(points, model, 2).expect("a valid model");
    trainer.set_learning_rate(0.01).expect("a valid rate");
    let iterations = (WORK / m as u64).max(10);
    trainer.step(iterations / 10); // warm-up
    let mut runs: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            trainer.step(iterations);
            start.elapsed().as_secs_f64() * 1e9 / (iterations as f64 * m as f64)
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[RUNS / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("a point count"))
        .collect();
    for m in if sizes.is_empty() {
        vec![400, 4000, 40_000]
    } else {
        sizes
    } {
        let ns = measure(Model::default(), m);
        println!("{{\"m\": {m}, \"ns_per_point_iteration\": {ns:.3}, \"runs\": {RUNS}}}");
    }
    for (label, features, layers, activation, init) in NETWORKS {
        let model = Model::parse(features, layers, activation, init).expect("a valid model");
        let parameters = model.parameter_count();
        let ns = measure(model, 400);
        println!(
            "{{\"network\": \"{label}\", \"m\": 400, \"parameters\": {parameters}, \"ns_per_point_iteration\": {ns:.3}, \"runs\": {RUNS}}}"
        );
    }
}
