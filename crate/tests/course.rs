//! The train example against the reference: for configurations spread over
//! features, depths, activations and initialisations, and over optimizers,
//! mini-batches and regularisation (made by
//! `scripts/course_goldens.py` from `course_numpy.py`), the same printed
//! lines. Each golden keeps only the lines that a 1e-13 nudge of the initial
//! weights does not change; the run is cut after the last of them.

mod common;

use common::Json;
use planar::course::Options;

fn check(file: &str, text: &str) {
    let cases = match Json::parse(text) {
        Json::Arr(cases) => cases,
        _ => panic!("{file}: a list of cases"),
    };
    assert!(cases.len() >= 20, "{file}: {} cases", cases.len());
    let strings = |v: &Json| match v {
        Json::Arr(items) => items
            .iter()
            .map(|s| match s {
                Json::Str(s) => s.clone(),
                other => panic!("{file}: not a string: {other:?}"),
            })
            .collect::<Vec<_>>(),
        other => panic!("{file}: not a list: {other:?}"),
    };
    for case in &cases {
        let args = strings(case.at("args"));
        let expected = strings(case.at("lines"));
        let accuracy = match case.at("accuracy") {
            Json::Str(s) => Some(s.clone()),
            _ => None,
        };
        let mut options = Options::parse(&args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        if accuracy.is_none() {
            // Only the kept lines are compared: stop after the last.
            let last: u64 = expected
                .last()
                .and_then(|l| l.split(' ').nth(3))
                .and_then(|k| k.trim_end_matches(':').parse().ok())
                .unwrap_or_else(|| panic!("{args:?}: no iteration in {expected:?}"));
            options.iters = options.iters.min(last + 1);
        }
        let lines = options.run().unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let (costs, printed_accuracy) = lines.split_at(lines.len() - 1);
        assert_eq!(&costs[..expected.len()], &expected[..], "{file} {args:?}");
        if let Some(accuracy) = accuracy {
            assert_eq!(printed_accuracy[0], accuracy, "{file} {args:?}");
        }
    }
}

#[test]
fn any_network_prints_what_the_reference_prints() {
    check("course_model.json", include_str!("data/course_model.json"));
}

#[test]
fn any_training_prints_what_the_reference_prints() {
    check(
        "course_training.json",
        include_str!("data/course_training.json"),
    );
}
