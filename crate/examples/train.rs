//! Trains any network the page can build, with the flags of the reference
//! (`course_numpy.py`), and prints what it prints: the cost every
//! `--print-every` iterations and the training accuracy.
//!
//!     cargo run --release --example train -- --layers 8,8 --activation relu --init he --seed 4 --lr 0.1 --iters 2001

use planar::course::{Options, USAGE};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lines = Options::parse(&args).and_then(|options| options.run());
    match lines {
        Ok(lines) => lines.iter().for_each(|line| println!("{line}")),
        Err(problem) => {
            eprintln!("{problem}\n{USAGE}");
            std::process::exit(2);
        }
    }
}
