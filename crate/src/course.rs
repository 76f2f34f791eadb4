//! The reference's command line (`course_numpy.py`): the same flags, the
//! same defaults (the tutorial's run) and the same printed lines, through
//! the [`Trainer`] the page runs. `cargo run --release --example train --
//! FLAGS` prints these lines; the tests hold them to the reference's.

use crate::data;
use crate::model::Model;
use crate::optim::{Optimizer, Training};
use crate::trainer::Trainer;

/// Every setting the reference takes that Planar's trainer has.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub points: usize,
    pub data_seed: u32,
    pub noise: f64,
    pub features: String,
    pub layers: String,
    pub activation: String,
    pub init: String,
    pub seed: u32,
    pub lr: f64,
    pub iters: u64,
    pub print_every: u64,
    pub l2: f64,
    pub l1: f64,
    pub batch: usize,
    pub shuffle_seed: u32,
    pub optimizer: String,
    pub beta: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            points: 400,
            data_seed: 1,
            noise: data::FLOWER_NOISE,
            features: "x1,x2".into(),
            layers: "4".into(),
            activation: "tanh".into(),
            init: "tutorial".into(),
            seed: 2,
            lr: 1.2,
            iters: 10_000,
            print_every: 1000,
            l2: 0.0,
            l1: 0.0,
            batch: 0,
            shuffle_seed: 10,
            optimizer: "gd".into(),
            beta: Optimizer::DEFAULT_BETA,
            beta1: Optimizer::DEFAULT_BETA1,
            beta2: Optimizer::DEFAULT_BETA2,
            epsilon: Optimizer::DEFAULT_EPSILON,
        }
    }
}

/// The usage line, for errors.
pub const USAGE: &str = "flags: --points N --data-seed S --noise F --features x1,x2,... \
--layers 8,8 --activation tanh[,relu...] --init tutorial|xavier|he --seed S --lr F \
--iters N --print-every N --l2 F --l1 F --batch N (0: full) --shuffle-seed S \
--optimizer gd|momentum|adam --beta F --beta1 F --beta2 F --epsilon F";

impl Options {
    /// Reads `--flag value` pairs; a flag's value may be empty (`--layers ""`).
    pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut rest = args.iter().map(AsRef::as_ref);
        while let Some(flag) = rest.next() {
            let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = |what: &str| -> Result<f64, String> {
                value
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| format!("{what} takes a number, not \"{value}\""))
            };
            let whole = |what: &str| -> Result<u64, String> {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{what} takes a whole number, not \"{value}\""))
            };
            let seed = |what: &str| -> Result<u32, String> {
                value.parse::<u32>().map_err(|_| {
                    format!("{what} takes a seed from 0 to 4294967295, not \"{value}\"")
                })
            };
            match flag {
                "--points" => o.points = whole(flag)? as usize,
                "--data-seed" => o.data_seed = seed(flag)?,
                "--noise" => o.noise = number(flag)?,
                "--features" => o.features = value.into(),
                "--layers" => o.layers = value.into(),
                "--activation" => o.activation = value.into(),
                "--init" => o.init = value.into(),
                "--seed" => o.seed = seed(flag)?,
                "--lr" => o.lr = number(flag)?,
                "--iters" => o.iters = whole(flag)?,
                "--print-every" => o.print_every = whole(flag)?,
                "--l2" => o.l2 = number(flag)?,
                "--l1" => o.l1 = number(flag)?,
                "--batch" => o.batch = whole(flag)? as usize,
                "--shuffle-seed" => o.shuffle_seed = seed(flag)?,
                "--optimizer" => o.optimizer = value.into(),
                "--beta" => o.beta = number(flag)?,
                "--beta1" => o.beta1 = number(flag)?,
                "--beta2" => o.beta2 = number(flag)?,
                "--epsilon" => o.epsilon = number(flag)?,
                _ => return Err(format!("unknown flag {flag}; {USAGE}")),
            }
        }
        Ok(o)
    }

    /// The training settings these flags name.
    pub fn training(&self) -> Result<Training, String> {
        let optimizer = match self.optimizer.as_str() {
            "gd" => Optimizer::GradientDescent,
            "momentum" => Optimizer::Momentum { beta: self.beta },
            "adam" => Optimizer::Adam {
                beta1: self.beta1,
                beta2: self.beta2,
                epsilon: self.epsilon,
            },
            other => {
                return Err(format!(
                    "--optimizer takes {}, not \"{other}\"",
                    Optimizer::NAMES.join(", ")
                ));
            }
        };
        Ok(Training {
            optimizer,
            l2: self.l2,
            l1: self.l1,
            batch: self.batch,
            shuffle_seed: self.shuffle_seed,
        })
    }

    /// Trains as the reference does and returns what it prints: "Cost after
    /// iteration k: J" every `print_every` iterations, then "Accuracy: A%".
    pub fn run(&self) -> Result<Vec<String>, String> {
        let points = data::flower_with_noise(self.points, self.data_seed, self.noise)
            .map_err(|e| e.to_string())?;
        let model = Model::parse(&self.features, &self.layers, &self.activation, &self.init)
            .map_err(|e| e.to_string())?;
        let mut trainer =
            Trainer::with_model(points, model, self.seed).map_err(|e| e.to_string())?;
        trainer
            .set_learning_rate(self.lr)
            .map_err(|e| e.to_string())?;
        trainer
            .set_training(self.training()?)
            .map_err(|e| e.to_string())?;
        let mut lines = Vec::new();
        for iteration in 0..self.iters {
            trainer.step(1);
            if self.print_every > 0 && iteration % self.print_every == 0 {
                let cost = trainer
                    .history()
                    .span(iteration, iteration + 1)
                    .map_or(f64::NAN, |s| s.low);
                lines.push(format!("Cost after iteration {iteration}: {cost:.6}"));
            }
        }
        let accuracy = trainer.accuracy().unwrap_or(f64::NAN);
        lines.push(format!("Accuracy: {accuracy:.2}%"));
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_read_as_the_reference_reads_them() {
        let o = Options::parse(&["--layers", "", "--lr", "0.5", "--features", "x1,sinx2"]).unwrap();
        assert_eq!(
            o,
            Options {
                layers: String::new(),
                lr: 0.5,
                features: "x1,sinx2".into(),
                ..Options::default()
            }
        );
        assert!(
            Options::parse(&["--lr"])
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            Options::parse(&["--lr", "fast"])
                .unwrap_err()
                .contains("\"fast\"")
        );
        assert!(
            Options::parse(&["--depth", "3"])
                .unwrap_err()
                .contains("--depth")
        );
        assert!(
            Options::parse(&["--seed", "-1"])
                .unwrap_err()
                .contains("\"-1\"")
        );
    }

    #[test]
    fn the_default_is_the_tutorials_run() {
        let lines = Options {
            iters: 1001,
            ..Options::default()
        }
        .run()
        .unwrap();
        assert_eq!(
            lines[..2],
            [
                "Cost after iteration 0: 0.693048",
                "Cost after iteration 1000: 0.288083"
            ]
        );
    }
}
