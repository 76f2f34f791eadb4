//! The time of one full-batch training step, per point: `cargo bench`.
//! Criterion reports the time per step and, as throughput, points per second;
//! ns per point-iteration = time per step / m.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use planar::data;
use planar::field::{Field, View};
use planar::matrix::Matrix;
use planar::network::{self, Cache, Gradients, N_X};
use planar::trainer::Trainer;
use std::hint::black_box;

fn training_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("training step");
    for m in [400, 4000, 40_000] {
        group.throughput(Throughput::Elements(m as u64));
        let points = data::flower(m, 1).expect("even m");

        let mut trainer = Trainer::new(points.clone(), 4, 2).expect("defaults");
        group.bench_with_input(BenchmarkId::new("fused", m), &m, |b, _| {
            b.iter(|| black_box(trainer.step(1)))
        });

        let x = Matrix::from_vec(N_X, m, [points.x.clone(), points.y.clone()].concat());
        let y = Matrix::from_vec(1, m, points.label.clone());
        let mut p = network::initialize_parameters(4, 2);
        let mut cache = Cache::new(4, m);
        let mut grads = Gradients::new(4, m);
        group.bench_with_input(BenchmarkId::new("tutorial-shaped", m), &m, |b, _| {
            b.iter(|| {
                network::forward_propagation(&x, &p, &mut cache);
                black_box(network::compute_cost(&cache, &y));
                network::backward_propagation(&p, &cache, &x, &y, &mut grads);
                network::update_parameters(&mut p, &grads, 1.2);
            })
        });
    }
    group.finish();
}

fn probability_field(c: &mut Criterion) {
    let mut group = c.benchmark_group("probability field");
    let mut trainer = Trainer::tutorial();
    trainer.step(3000);
    let mut field = Field::new();
    let view = View::centred(data::PLANE_HALF_WIDTH);
    for size in [256, 512, 1024] {
        group.throughput(Throughput::Elements((size * size) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, &size| {
            b.iter(|| {
                black_box(
                    field
                        .render(trainer.model(), trainer.params(), view, size, size)
                        .len(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, training_step, probability_field);
criterion_main!(benches);
