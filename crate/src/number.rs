//! Numbers in messages. std's float printing (shortest and fixed-precision
//! digits, with big-number arithmetic) is a large part of a small wasm, so
//! there the messages ask JS's `Number.prototype.toString`, which prints the
//! shortest text that reads back as the same number (`0.5`, `1e-7`, `NaN`,
//! `Infinity`); natively std prints it.

use std::fmt;

/// `f64` shown in a message: `format!("{}", Number(x))`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number(pub f64);

impl fmt::Display for Number {
    #[cfg(target_arch = "wasm32")]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = js_sys::Number::from(self.0)
            .to_string_with_radix(10)
            .map_err(|_| fmt::Error)?;
        f.write_str(&String::from(text))
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Number;

    #[test]
    fn numbers_read_back_as_the_same_value() {
        for x in [0.5, -1.5, 1e-6, 1e3, 0.1 + 0.2, 123_456.789] {
            let text = Number(x).to_string();
            assert_eq!(text.parse::<f64>().unwrap(), x, "{text}");
        }
        assert_eq!(Number(f64::NAN).to_string(), "NaN");
    }
}
