//! The tutorial's run, from its own seeds: the flower set from seed 1, the
//! weights from seed 2, then "Cost after iteration k" every 1000 iterations
//! and the training accuracy.
//!
//!     cargo run --release --example tutorial -- [--n-h 4] [--lr 1.2] [--iters 10000]

use planar::data;
use planar::matrix::Matrix;
use planar::network::{self, Cache, Gradients, N_X};

fn main() {
    let (mut n_h, mut lr, mut iters) = (
        network::DEFAULT_HIDDEN,
        network::DEFAULT_LEARNING_RATE,
        10_000usize,
    );
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        match flag.as_str() {
            "--n-h" => n_h = parse(&flag, &value),
            "--lr" => lr = parse(&flag, &value),
            "--iters" => iters = parse(&flag, &value),
            _ => usage(&format!("unknown option {flag}")),
        }
    }
    if !(network::MIN_HIDDEN..=network::MAX_HIDDEN).contains(&n_h) {
        usage("--n-h must be 1 to 8");
    }
    if !(lr.is_finite() && lr > 0.0) {
        usage("--lr must be a positive number");
    }

    let points = data::flower(400, 1).expect("400 is even");
    let m = points.len();
    let x = Matrix::from_vec(N_X, m, [points.x, points.y].concat());
    let y = Matrix::from_vec(1, m, points.label);

    let mut p = network::initialize_parameters(n_h, network::TUTORIAL_WEIGHT_SEED);
    let mut cache = Cache::new(n_h, m);
    let mut grads = Gradients::new(n_h, m);
    for i in 0..iters {
        network::forward_propagation(&x, &p, &mut cache);
        let cost = network::compute_cost(&cache, &y).expect("400 points");
        network::backward_propagation(&p, &cache, &x, &y, &mut grads);
        network::update_parameters(&mut p, &grads, lr);
        if i % 1000 == 0 {
            println!("Cost after iteration {i}: {cost:.6}");
        }
    }
    let accuracy = network::accuracy(&p, &x, &y).expect("400 points");
    println!("Accuracy: {accuracy}%");
}

fn parse<T: std::str::FromStr>(flag: &str, value: &str) -> T {
    value
        .parse()
        .unwrap_or_else(|_| usage(&format!("{flag}: cannot read \"{value}\"")))
}

fn usage(problem: &str) -> ! {
    eprintln!("{problem}\nusage: tutorial [--n-h 1..8] [--lr RATE] [--iters N]");
    std::process::exit(2);
}
