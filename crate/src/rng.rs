//! numpy's legacy `RandomState`, bit for bit.
//!
//! The tutorial's data set and initial weights come from `np.random.seed(s)`
//! followed by `randn`; to reproduce them exactly we need the same MT19937
//! stream, the same integer seeding, the same 53-bit doubles and the same
//! polar Box–Muller with its cached second value.
//!
//! `log` note: numpy's `legacy_gauss` calls the C library's `log`. On native
//! targets `f64::ln` is that same function, so `randn` matches numpy on the
//! same machine bit for bit. On wasm32, `f64::ln` is Rust's own libm port,
//! which differs from glibc by one ulp for about 3 % of Box–Muller radii; a
//! correctly rounded `log` (private module `cr_log`) differs from glibc for
//! only about 0.09 % (where glibc itself misrounds), so wasm32 uses that.
//!
//! Seeding note: for an integer seed, numpy's `_legacy_seeding` calls
//! `mt19937_seed` (the reference `init_genrand`), *not* `init_by_array`; this
//! was checked against `np.random.get_state()` for seeds 0, 1, 2, 42 and
//! 2**32 - 1.

/// Words of MT19937 state.
const N: usize = 624;
/// MT19937's middle offset.
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// Seed used when the operating system's entropy source fails.
const FALLBACK_SEED: u32 = 1;

/// numpy's legacy `RandomState`: MT19937 plus the cached Gaussian.
#[derive(Clone)]
pub struct RandomState {
    key: [u32; N],
    pos: usize,
    /// Second value of the last polar Box–Muller pair, as numpy keeps it.
    gauss: Option<f64>,
}

impl std::fmt::Debug for RandomState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The 624-word key is noise in debug output.
        f.debug_struct("RandomState")
            .field("pos", &self.pos)
            .field("gauss", &self.gauss)
            .finish_non_exhaustive()
    }
}

impl RandomState {
    /// The state after `np.random.seed(seed)` (numpy's `mt19937_seed`).
    pub fn new(seed: u32) -> Self {
        let mut key = [0u32; N];
        let mut s = seed;
        for (pos, word) in key.iter_mut().enumerate() {
            *word = s;
            // pos + 1 < 625, so the cast is lossless.
            s = 1_812_433_253u32
                .wrapping_mul(s ^ (s >> 30))
                .wrapping_add(pos as u32 + 1);
        }
        RandomState {
            key,
            pos: N,
            gauss: None,
        }
    }

    /// Regenerates all 624 words (numpy's `mt19937_gen`).
    fn generate(&mut self) {
        let mix = |a: u32, b: u32, c: u32| {
            let y = (a & UPPER_MASK) | (b & LOWER_MASK);
            c ^ (y >> 1) ^ (if y & 1 == 1 { MATRIX_A } else { 0 })
        };
        for i in 0..N - M {
            self.key[i] = mix(self.key[i], self.key[i + 1], self.key[i + M]);
        }
        for i in N - M..N - 1 {
            self.key[i] = mix(self.key[i], self.key[i + 1], self.key[i + M - N]);
        }
        self.key[N - 1] = mix(self.key[N - 1], self.key[0], self.key[M - 1]);
        self.pos = 0;
    }

    /// The next raw tempered 32-bit output (numpy's `mt19937_next32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.pos == N {
            self.generate();
        }
        let mut y = self.key[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A uniform double in [0, 1) from 53 random bits, as
    /// `np.random.random_sample()`.
    pub fn random_sample(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A standard normal draw, as `np.random.randn()` (numpy's
    /// `legacy_gauss`): polar Box–Muller, returning the second value of each
    /// pair on the next call.
    pub fn randn(&mut self) -> f64 {
        if let Some(g) = self.gauss.take() {
            return g;
        }
        loop {
            let x1 = 2.0 * self.random_sample() - 1.0;
            let x2 = 2.0 * self.random_sample() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 >= 1.0 || r2 == 0.0 {
                continue;
            }
            let f = (-2.0 * c_log(r2) / r2).sqrt();
            self.gauss = Some(f * x1);
            return f * x2;
        }
    }

    /// A uniform whole number in [0, max], as numpy's legacy
    /// `random_interval`: masked 32-bit draws, rejected above `max`.
    pub fn interval(&mut self, max: u32) -> u32 {
        if max == 0 {
            return 0;
        }
        let mask = u32::MAX >> max.leading_zeros();
        loop {
            let value = self.next_u32() & mask;
            if value <= max {
                return value;
            }
        }
    }

    /// `np.random.RandomState(seed).permutation(len(out))` into `out`: 0..n
    /// shuffled as numpy's legacy `shuffle` does, swapping each position i
    /// from the last down to 1 with `interval(i)`.
    pub fn permutation(&mut self, out: &mut [usize]) {
        for (i, v) in out.iter_mut().enumerate() {
            *v = i;
        }
        for i in (1..out.len()).rev() {
            let j = self.interval(i as u32) as usize;
            out.swap(i, j);
        }
    }

    /// A uniform draw in [low, high), as `np.random.uniform(low, high)`.
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.random_sample()
    }
}

/// The `log` numpy would get from the C library: on native targets it is
/// the C library's; on wasm32 see the module docs.
#[cfg(not(target_arch = "wasm32"))]
fn c_log(x: f64) -> f64 {
    x.ln()
}

#[cfg(target_arch = "wasm32")]
fn c_log(x: f64) -> f64 {
    cr_log::ln(x)
}

/// A correctly rounded natural logarithm in double-double arithmetic, for
/// targets whose `f64::ln` is not the C library's (wasm32).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod cr_log {
    /// A double-double number `hi + lo` with `|lo| <= ulp(hi) / 2`: about 106
    /// bits, enough to round a logarithm correctly. Only +, -, * and / of f64 are
    /// used (no FMA), so the results are the same on every IEEE target.
    #[derive(Clone, Copy, Debug)]
    struct Dd(f64, f64);

    const fn two_sum(a: f64, b: f64) -> Dd {
        let s = a + b;
        let bb = s - a;
        Dd(s, (a - (s - bb)) + (b - bb))
    }

    const fn fast_two_sum(a: f64, b: f64) -> Dd {
        let s = a + b;
        Dd(s, b - (s - a))
    }

    /// Veltkamp split into two 26-bit halves (for |a| well below 2^996).
    const fn split(a: f64) -> (f64, f64) {
        let c = 134_217_729.0 * a;
        let hi = c - (c - a);
        (hi, a - hi)
    }

    /// Dekker's exact product.
    const fn two_prod(a: f64, b: f64) -> Dd {
        let p = a * b;
        let (ah, al) = split(a);
        let (bh, bl) = split(b);
        Dd(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
    }

    const fn dd_add(a: Dd, b: Dd) -> Dd {
        let s = two_sum(a.0, b.0);
        let t = two_sum(a.1, b.1);
        let u = fast_two_sum(s.0, s.1 + t.0);
        fast_two_sum(u.0, u.1 + t.1)
    }

    const fn dd_mul(a: Dd, b: Dd) -> Dd {
        let p = two_prod(a.0, b.0);
        fast_two_sum(p.0, p.1 + (a.0 * b.1 + a.1 * b.0))
    }

    const fn dd_div(a: Dd, b: Dd) -> Dd {
        let q1 = a.0 / b.0;
        let r = dd_add(a, dd_mul(Dd(-q1, 0.0), b));
        let q2 = r.0 / b.0;
        let r = dd_add(r, dd_mul(Dd(-q2, 0.0), b));
        let q3 = r.0 / b.0;
        dd_add(fast_two_sum(q1, q2), Dd(q3, 0.0))
    }

    /// ln 2 to 106 bits.
    const LN2: Dd = Dd(std::f64::consts::LN_2, 2.319_046_813_846_299_6e-17);

    /// Terms of ln m = 2 s Σ s^(2k) / (2k + 1), s = (m - 1)/(m + 1): with
    /// |s| <= 0.1716, s^46 / 47 < 2^-120.
    const ATANH_TERMS: usize = 23;

    /// 1 / (2k + 1) in double-double, computed at compile time.
    const ATANH_COEFFS: [Dd; ATANH_TERMS] = {
        let mut c = [Dd(0.0, 0.0); ATANH_TERMS];
        let mut k = 0;
        while k < ATANH_TERMS {
            c[k] = dd_div(Dd(1.0, 0.0), Dd((2 * k + 1) as f64, 0.0));
            k += 1;
        }
        c
    };

    /// The natural logarithm, correctly rounded (to nearest) except when the
    /// true value lies within ~2^-100 relative of a rounding midpoint: computed
    /// in double-double as e ln 2 + 2 atanh((m - 1)/(m + 1)). Slow (about a
    /// hundred flops), which does not matter for one call per two normals.
    /// Non-positive, infinite and NaN inputs defer to `f64::ln`.
    pub(super) fn ln(x: f64) -> f64 {
        if !(x > 0.0 && x.is_finite()) {
            return x.ln();
        }
        let (x, mut e) = if x < f64::MIN_POSITIVE {
            (x * 18_014_398_509_481_984.0, -54) // 2^54: subnormal to normal
        } else {
            (x, 0)
        };
        let bits = x.to_bits();
        e += ((bits >> 52) & 0x7ff) as i32 - 1023;
        let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | (1023 << 52));
        if m > std::f64::consts::SQRT_2 {
            m *= 0.5;
            e += 1;
        }
        // m in [0.707, 1.415): m - 1 is exact (Sterbenz), m + 1 kept exactly.
        let s = dd_div(Dd(m - 1.0, 0.0), two_sum(m, 1.0));
        let z = dd_mul(s, s);
        let mut poly = ATANH_COEFFS[ATANH_TERMS - 1];
        for c in ATANH_COEFFS[..ATANH_TERMS - 1].iter().rev() {
            poly = dd_add(dd_mul(poly, z), *c);
        }
        let ln_m = dd_mul(Dd(2.0 * s.0, 2.0 * s.1), poly);
        let r = dd_add(dd_mul(Dd(f64::from(e), 0.0), LN2), ln_m);
        r.0 + r.1
    }

    #[cfg(test)]
    mod tests {
        use super::ln;

        #[test]
        fn exact_cases() {
            assert_eq!(ln(1.0), 0.0);
            assert_eq!(ln(2.0), std::f64::consts::LN_2);
            assert_eq!(ln(0.5), -std::f64::consts::LN_2);
            assert_eq!(ln(std::f64::consts::E), 1.0);
            assert_eq!(ln(10.0), std::f64::consts::LN_10);
            assert_eq!(ln(f64::MAX), 709.782712893384);
            // python3 -c "import math; print(repr(math.log(5e-324)), repr(math.log(1e-300)))"
            assert_eq!(ln(5e-324), -744.4400719213812);
            assert_eq!(ln(1e-300), -690.7755278982137);
            assert!(ln(0.0) == f64::NEG_INFINITY && ln(-1.0).is_nan());
        }

        #[test]
        fn rounds_where_glibc_does_not() {
            // glibc's log(0.5381786477889788) is -0.6195647148524486; the
            // true value (python3 Decimal(x).ln(), 50 digits) is
            // -0.619564714852448516930..., nearer -0.6195647148524485.
            assert_eq!(ln(0.5381786477889788), -0.6195647148524485);
        }

        #[test]
        fn within_an_ulp_of_std() {
            // Bit equality with the platform's log would test the platform.
            let mut rs = crate::rng::RandomState::new(3);
            for _ in 0..100_000 {
                let x = rs.random_sample() * 2f64.powi(rs.uniform(-60.0, 60.0) as i32);
                let (a, b) = (ln(x), x.ln());
                assert!(
                    (a - b).abs() <= f64::EPSILON * b.abs().max(f64::MIN_POSITIVE),
                    "{x:e}"
                );
            }
        }
    }
}

/// A seed from the operating system (or the browser's `crypto`), for when the
/// user gives none; a fixed seed if that source fails, so that callers never
/// have to handle an error for something this unimportant.
pub fn entropy_seed() -> u32 {
    getrandom::u32().unwrap_or(FALLBACK_SEED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_matches_init_genrand() {
        // python3 -c "import numpy as np; np.random.seed(1);
        //   print(np.random.get_state()[1][:3])"  -> [1 1812433254 3713160357]
        let rs = RandomState::new(1);
        assert_eq!(&rs.key[..3], &[1, 1_812_433_254, 3_713_160_357]);
        assert_eq!(rs.pos, N);
    }

    #[test]
    fn gauss_cache_is_used_then_cleared() {
        let mut rs = RandomState::new(7);
        let _ = rs.randn();
        assert!(rs.gauss.is_some());
        let _ = rs.randn();
        assert!(rs.gauss.is_none());
    }
}
