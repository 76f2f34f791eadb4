//! Native training speed for `npm run bench`: the fused step on the flower
//! set, as ns per point-iteration, the median of several timed runs.
//!
//!     cargo run --release --example bench -- 400 4000 40000

use planar::trainer::Trainer;
use std::time::Instant;

const RUNS: usize = 7;
/// Point-iterations per timed run: long enough to time, short enough to repeat.
const WORK: u64 = 8_000_000;

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
        let points = planar::data::flower(m, 1).expect("an even point count");
        let mut trainer = Trainer::new(points, 4, 2).expect("defaults");
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
        println!(
            "{{\"m\": {m}, \"ns_per_point_iteration\": {:.3}, \"runs\": {RUNS}}}",
            runs[RUNS / 2]
        );
    }
}
