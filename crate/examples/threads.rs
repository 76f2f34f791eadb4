//! Would splitting one full-batch iteration over two threads pay for large
//! data sets? Times the fused gradients of the whole batch on one thread
//! against two halves on two threads (each half's gradients computed by
//! `fused::gradients`, then combined weighted by its share of the points),
//! two ways: a scoped thread spawned per iteration, and one long-lived
//! worker met at a barrier twice per iteration (what a wasm worker pool
//! would do). Prints ns per point-iteration, the median of runs.
//!
//!     cargo run --release --example threads -- 10000 40000 100000

use planar::deep::{Gradients, Parameters, initialize_parameters_deep};
use planar::fused::{self, Batch};
use planar::model::Model;
use std::sync::Barrier;
use std::time::Instant;

const RUNS: usize = 7;
/// Point-iterations per timed run.
const WORK: usize = 8_000_000;

struct Case {
    model: Model,
    params: Parameters,
    whole: Batch,
    halves: [Batch; 2],
}

fn batch(model: &Model, x: &[f64], y: &[f64], label: &[f64]) -> Batch {
    let mut b = Batch::default();
    b.load_features(model.features, x, y, label);
    b
}

impl Case {
    fn new(model: Model, m: usize) -> Case {
        let points = planar::data::flower(m, 1).expect("an even point count");
        let params = initialize_parameters_deep(&model, 2);
        let half = m / 2;
        let part = |r: std::ops::Range<usize>| {
            batch(
                &model,
                &points.x[r.clone()],
                &points.y[r.clone()],
                &points.label[r],
            )
        };
        Case {
            whole: batch(&model, &points.x, &points.y, &points.label),
            halves: [part(0..half), part(half..m)],
            params,
            model,
        }
    }
}

/// `into` = Σ share_i · g_i over both halves' gradients.
fn combine(into: &mut Gradients, parts: [&Gradients; 2], shares: [f64; 2]) {
    for l in 0..into.dw.len() {
        for (i, v) in into.dw[l].data.iter_mut().enumerate() {
            *v = shares[0] * parts[0].dw[l].data[i] + shares[1] * parts[1].dw[l].data[i];
        }
        for (i, v) in into.db[l].data.iter_mut().enumerate() {
            *v = shares[0] * parts[0].db[l].data[i] + shares[1] * parts[1].db[l].data[i];
        }
    }
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("a point count"))
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 40_000, 100_000]
    } else {
        sizes
    };
    let models = [
        ("2-4-1 tanh", Model::default()),
        (
            "2-8-8-1 tanh",
            Model::parse("x1,x2", "8,8", "tanh", "xavier").expect("a valid model"),
        ),
    ];
    println!("| network | m | one thread | two, spawned per iteration | two, long-lived worker |");
    println!("|---|---|---|---|---|");
    for (label, model) in &models {
        for &m in &sizes {
            let case = Case::new(model.clone(), m);
            let (model, p) = (&case.model, &case.params);
            let iterations = (WORK / m).max(5);
            let per_point = |seconds: f64| seconds * 1e9 / (iterations * m) as f64;
            let shares = [
                case.halves[0].m as f64 / m as f64,
                case.halves[1].m as f64 / m as f64,
            ];

            let mut g = Gradients::new(model, 0);
            let one = median(
                (0..RUNS)
                    .map(|_| {
                        let t = Instant::now();
                        for _ in 0..iterations {
                            fused::gradients(model, p, &case.whole, &mut g);
                        }
                        per_point(t.elapsed().as_secs_f64())
                    })
                    .collect(),
            );

            let (mut g0, mut g1) = (Gradients::new(model, 0), Gradients::new(model, 0));
            let spawned = median(
                (0..RUNS)
                    .map(|_| {
                        let t = Instant::now();
                        for _ in 0..iterations {
                            std::thread::scope(|s| {
                                s.spawn(|| fused::gradients(model, p, &case.halves[1], &mut g1));
                                fused::gradients(model, p, &case.halves[0], &mut g0);
                            });
                            combine(&mut g, [&g0, &g1], shares);
                        }
                        per_point(t.elapsed().as_secs_f64())
                    })
                    .collect(),
            );

            let barrier = Barrier::new(2);
            let mut g1 = Gradients::new(model, 0);
            let worker = median(std::thread::scope(|s| {
                let (barrier, half) = (&barrier, &case.halves[1]);
                let g1 = &mut g1;
                s.spawn(move || {
                    for _ in 0..RUNS * iterations {
                        barrier.wait();
                        fused::gradients(model, p, half, g1);
                        barrier.wait();
                    }
                });
                (0..RUNS)
                    .map(|_| {
                        let t = Instant::now();
                        for _ in 0..iterations {
                            barrier.wait();
                            fused::gradients(model, p, &case.halves[0], &mut g0);
                            barrier.wait();
                            // Combining here reads g1 between the barriers in
                            // a real pool; the copy's cost is what matters.
                            combine(&mut g, [&g0, &g0], shares);
                        }
                        per_point(t.elapsed().as_secs_f64())
                    })
                    .collect()
            }));
            println!(
                "| {label} | {m} | {one:.1} | {spawned:.1} ({:.2}x) | {worker:.1} ({:.2}x) |",
                one / spawned,
                one / worker
            );
        }
    }
}
