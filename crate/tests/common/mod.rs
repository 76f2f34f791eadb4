//! Test-only helpers shared by the integration tests: a minimal JSON reader
//! (there is no serde here) and access to the golden numpy reference.
#![allow(dead_code)]

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// Parses a whole document; panics on malformed input (tests only).
    pub fn parse(text: &str) -> Json {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let v = p.value();
        p.ws();
        assert_eq!(p.i, p.s.len(), "trailing characters in JSON");
        v
    }

    /// The value at a dotted path such as `checkpoints.10.W1` (object keys,
    /// or array indices for arrays).
    pub fn at(&self, path: &str) -> &Json {
        path.split('.')
            .filter(|k| !k.is_empty())
            .fold(self, |v, k| match v {
                Json::Obj(kv) => {
                    &kv.iter()
                        .find(|(key, _)| key == k)
                        .unwrap_or_else(|| panic!("no key {k:?} in {path}"))
                        .1
                }
                Json::Arr(a) => {
                    &a[k.parse::<usize>()
                        .unwrap_or_else(|_| panic!("bad index {k:?} in {path}"))]
                }
                _ => panic!("{path}: {k:?} indexes a scalar"),
            })
    }

    /// A number (panics otherwise).
    pub fn num(&self) -> f64 {
        match self {
            Json::Num(x) => *x,
            other => panic!("not a number: {other:?}"),
        }
    }

    /// All numbers of a (nested) array in row-major order; a number gives one.
    pub fn flat(&self) -> Vec<f64> {
        match self {
            Json::Num(x) => vec![*x],
            Json::Arr(a) => a.iter().flat_map(Json::flat).collect(),
            other => panic!("not numeric: {other:?}"),
        }
    }

    /// The shape of a nested array: `[2, 400]` for X, `[]` for a number.
    pub fn shape(&self) -> Vec<usize> {
        match self {
            Json::Arr(a) => {
                let mut s = vec![a.len()];
                s.extend(a.first().map(Json::shape).unwrap_or_default());
                s
            }
            _ => vec![],
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.s.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    /// Comma-separated items up to `close`, each read by `item`.
    fn list<T>(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let mut out = Vec::new();
        if self.eat(close) {
            return out;
        }
        loop {
            out.push(item(self));
            if self.eat(close) {
                return out;
            }
            assert!(self.eat(b','), "expected ',' at byte {}", self.i);
        }
    }

    fn string(&mut self) -> String {
        assert!(self.eat(b'"'), "expected a string at byte {}", self.i);
        let mut out = String::new();
        loop {
            let c = self.s[self.i];
            self.i += 1;
            match c {
                b'"' => return out,
                b'\\' => {
                    let e = self.s[self.i];
                    self.i += 1;
                    match e {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hex = std::str::from_utf8(&self.s[self.i..self.i + 4]).unwrap();
                            out.push(
                                char::from_u32(u32::from_str_radix(hex, 16).unwrap())
                                    .unwrap_or('?'),
                            );
                            self.i += 4;
                        }
                        other => out.push(char::from(other)),
                    }
                }
                _ => {
                    // Copy a whole UTF-8 sequence at once.
                    let start = self.i - 1;
                    while self.i < self.s.len() && self.s[self.i] & 0xC0 == 0x80 {
                        self.i += 1;
                    }
                    out.push_str(std::str::from_utf8(&self.s[start..self.i]).unwrap());
                }
            }
        }
    }

    fn value(&mut self) -> Json {
        self.ws();
        match self.s[self.i] {
            b'{' => {
                self.i += 1;
                Json::Obj(self.list(b'}', |p| {
                    let k = p.string();
                    assert!(p.eat(b':'), "expected ':' at byte {}", p.i);
                    (k, p.value())
                }))
            }
            b'[' => {
                self.i += 1;
                Json::Arr(self.list(b']', Self::value))
            }
            b'"' => Json::Str(self.string()),
            _ => {
                let start = self.i;
                while self.i < self.s.len() && !b",]} \t\r\n".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                match std::str::from_utf8(&self.s[start..self.i]).unwrap() {
                    "null" => Json::Null,
                    "true" => Json::Bool(true),
                    "false" => Json::Bool(false),
                    "NaN" => Json::Num(f64::NAN),
                    "Infinity" => Json::Num(f64::INFINITY),
                    "-Infinity" => Json::Num(f64::NEG_INFINITY),
                    // Rust's parse is correctly rounded, and Python writes the
                    // shortest round-tripping repr, so numbers come back exact.
                    t => Json::Num(t.parse().unwrap_or_else(|_| panic!("bad token {t:?}"))),
                }
            }
        }
    }
}

/// Path of the golden numpy run (flower, n_h = 4).
pub const GOLDEN_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/golden_flower_nh4.json"
);

/// The golden reference, parsed once per test process.
pub fn golden() -> &'static Json {
    static GOLDEN: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    GOLDEN.get_or_init(|| {
        Json::parse(&std::fs::read_to_string(GOLDEN_PATH).expect("read golden JSON"))
    })
}

/// A golden array flattened row-major, e.g. `golden_array("initial.W1")`,
/// `golden_array("checkpoints.10.W1")`, `golden_array("X")`.
pub fn golden_array(path: &str) -> Vec<f64> {
    golden().at(path).flat()
}

/// A golden scalar, e.g. `golden_f64("cost_at.1000")`, `golden_f64("accuracy")`.
pub fn golden_f64(path: &str) -> f64 {
    golden().at(path).num()
}

/// The shape of a golden array, e.g. `[2, 400]` for `X`.
pub fn golden_shape(path: &str) -> Vec<usize> {
    golden().at(path).shape()
}
