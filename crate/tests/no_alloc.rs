//! A training step allocates nothing: this test binary counts every allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use planar::matrix::Matrix;
use planar::model::Model;
use planar::network::{self, Cache, Gradients, N_X};
use planar::optim::{Optimizer, Training};
use planar::trainer::Trainer;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn steps_allocate_nothing() {
    // One test function: the counter is global, and tests run in parallel.
    let mut trainer = Trainer::tutorial();
    trainer.step(1); // the history's first buffer
    let history_growth = allocations_during(|| {
        trainer.step(2000);
    });
    // The cost histories (training and test) double their buffers as they
    // grow: a handful of reallocations in 2000 steps, never one per step.
    assert!(
        history_growth <= 48,
        "{history_growth} allocations in 2000 steps"
    );
    assert_eq!(
        allocations_during(|| {
            trainer.step(1);
        }),
        0
    );
    assert_eq!(
        allocations_during(|| {
            trainer.evaluation();
        }),
        0
    );

    // A deep network with every feature, trained by Adam on regularised
    // mini-batches: its step allocates nothing either.
    let points = planar::data::flower(400, 1).unwrap();
    let model = Model::parse(
        "x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2",
        "8,8,8",
        "relu,tanh,sigmoid",
        "he",
    )
    .unwrap();
    let mut deep = Trainer::with_model(points.clone(), model, 3).unwrap();
    deep.set_training(Training {
        optimizer: Optimizer::Adam {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        },
        l2: 0.1,
        l1: 0.01,
        batch: 64,
        shuffle_seed: 3,
    })
    .unwrap();
    // A third of the points held out: each step also measures the test cost.
    deep.set_split(planar::trainer::Split {
        share: 0.7,
        seed: 4,
    })
    .unwrap();
    deep.step(1);
    assert_eq!(
        allocations_during(|| {
            deep.step(1);
            deep.evaluation();
            deep.test_evaluation();
            deep.predicted();
        }),
        0,
        "a deep network's step allocates"
    );

    let x = Matrix::from_vec(N_X, 400, [points.x, points.y].concat());
    let y = Matrix::from_vec(1, 400, points.label);
    let mut p = network::initialize_parameters(4, 2);
    let mut cache = Cache::new(4, 400);
    let mut grads = Gradients::new(4, 400);
    let tutorial_step = allocations_during(|| {
        for _ in 0..10 {
            network::forward_propagation(&x, &p, &mut cache);
            network::compute_cost(&cache, &y);
            network::backward_propagation(&p, &cache, &x, &y, &mut grads);
            network::update_parameters(&mut p, &grads, 1.2);
        }
    });
    assert_eq!(tutorial_step, 0, "the tutorial-shaped step allocates");
}
