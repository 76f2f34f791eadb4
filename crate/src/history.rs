//! The cost at every iteration of a run, in bounded memory.
//!
//! Each bucket covers `width` consecutive iterations and keeps their lowest
//! and highest cost. Up to [`MAX_BUCKETS`] buckets every iteration has its own;
//! past that, neighbouring buckets merge pairwise and `width` doubles. So a
//! long run costs a few megabytes, and a chart drawn from the buckets still
//! shows every iteration's value within its envelope: nothing is dropped.

/// Buckets kept before neighbours merge.
pub const MAX_BUCKETS: usize = 1 << 17;

#[derive(Clone, Debug, PartialEq)]
pub struct CostHistory {
    /// Iterations per bucket: a power of two.
    width: u64,
    /// Iterations recorded.
    len: u64,
    low: Vec<f64>,
    high: Vec<f64>,
}

impl Default for CostHistory {
    fn default() -> Self {
        CostHistory {
            width: 1,
            len: 0,
            low: Vec::new(),
            high: Vec::new(),
        }
    }
}

/// The lowest and highest cost over a range of iterations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub low: f64,
    pub high: f64,
}

impl CostHistory {
    pub fn new() -> Self {
        Self::default()
    }

    /// `len` iterations whose costs are not known (NaN), in few buckets:
    /// what a restored run has before its saved history, if any, arrives.
    pub fn unknown(len: u64) -> Self {
        const BUCKETS: u64 = 1024;
        let mut width = 1;
        while len.div_ceil(width) > BUCKETS {
            width *= 2;
        }
        let buckets = len.div_ceil(width) as usize;
        CostHistory {
            width,
            len,
            low: vec![f64::NAN; buckets],
            high: vec![f64::NAN; buckets],
        }
    }

    /// Iterations recorded.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Iterations each bucket covers.
    pub fn width(&self) -> u64 {
        self.width
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Records the next iteration's cost.
    pub fn push(&mut self, cost: f64) {
        let starts_bucket = self.len.is_multiple_of(self.width);
        if starts_bucket && self.low.len() == MAX_BUCKETS {
            // Merging halves the buckets and doubles the width; this
            // iteration still starts a bucket, as len is a multiple of both.
            self.merge_pairs();
        }
        if starts_bucket {
            self.low.push(cost);
            self.high.push(cost);
        } else {
            let last = self.low.len() - 1;
            self.low[last] = self.low[last].min(cost);
            self.high[last] = self.high[last].max(cost);
        }
        self.len += 1;
    }

    fn merge_pairs(&mut self) {
        let half = self.low.len() / 2;
        for i in 0..half {
            self.low[i] = self.low[2 * i].min(self.low[2 * i + 1]);
            self.high[i] = self.high[2 * i].max(self.high[2 * i + 1]);
        }
        self.low.truncate(half);
        self.high.truncate(half);
        self.width *= 2;
    }

    /// The cost range over iterations `[start, end)`, or `None` if empty;
    /// NaN costs are passed over (a range of only NaN is NaN).
    pub fn span(&self, start: u64, end: u64) -> Option<Span> {
        let end = end.min(self.len);
        if start >= end {
            return None;
        }
        let first = (start / self.width) as usize;
        let last = ((end - 1) / self.width) as usize;
        let low = self.low[first..=last]
            .iter()
            .copied()
            .fold(f64::NAN, f64::min);
        let high = self.high[first..=last]
            .iter()
            .copied()
            .fold(f64::NAN, f64::max);
        Some(Span { low, high })
    }

    /// The envelope of the whole run in `columns` equal slices of iterations,
    /// as `[low_0, high_0, low_1, high_1, ...]`; an empty slice (more columns
    /// than iterations) repeats its neighbour's values so a chart stays joined.
    pub fn envelope(&self, columns: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(columns * 2);
        let mut previous = Span {
            low: f64::NAN,
            high: f64::NAN,
        };
        for c in 0..columns as u64 {
            let start = c * self.len / columns as u64;
            let end = ((c + 1) * self.len / columns as u64).max(start + 1);
            let span = self.span(start, end).unwrap_or(previous);
            out.extend([span.low, span.high]);
            previous = span;
        }
        out
    }

    /// Keeps the first `len` iterations (all of them when there are fewer):
    /// a run taken back to iteration `len` goes on from there. A bucket cut
    /// in two keeps its whole range: the chart's envelope stays a bound.
    pub fn truncate(&mut self, len: u64) {
        if len >= self.len {
            return;
        }
        let buckets = len.div_ceil(self.width) as usize;
        self.low.truncate(buckets);
        self.high.truncate(buckets);
        self.len = len;
    }

    /// This history with neighbouring buckets merged until at most
    /// `max_buckets` remain (at least 1), for saving a long run compactly.
    pub fn compacted(&self, max_buckets: usize) -> CostHistory {
        let mut compact = self.clone();
        while compact.low.len() > max_buckets.max(1) {
            if compact.low.len() % 2 == 1 {
                // An odd last bucket is partly filled: pad it so pairs line up.
                compact.low.push(f64::INFINITY);
                compact.high.push(f64::NEG_INFINITY);
            }
            compact.merge_pairs();
        }
        compact
    }

    /// The buckets' lows and highs, for saving: `(width, len, low, high)`.
    pub fn parts(&self) -> (u64, u64, &[f64], &[f64]) {
        (self.width, self.len, &self.low, &self.high)
    }

    /// A history from saved parts, or `None` if they do not fit together.
    pub fn from_parts(width: u64, len: u64, low: Vec<f64>, high: Vec<f64>) -> Option<Self> {
        let valid = width.is_power_of_two()
            && low.len() == high.len()
            && low.len() <= MAX_BUCKETS
            && len.div_ceil(width) == low.len() as u64
            && low
                .iter()
                .zip(&high)
                .all(|(l, h)| l.is_finite() && h.is_finite() && l <= h);
        valid.then_some(CostHistory {
            width,
            len,
            low,
            high,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn truncating_keeps_the_first_iterations() {
        let mut h = CostHistory::new();
        for i in 0..10 {
            h.push(i as f64);
        }
        let mut cut = h.clone();
        cut.truncate(4);
        assert_eq!(cut.len(), 4);
        let mut fresh = CostHistory::new();
        for i in 0..4 {
            fresh.push(i as f64);
        }
        assert_eq!(cut, fresh);
        cut.truncate(7);
        assert_eq!(cut.len(), 4, "a longer length keeps every iteration");
    }

    #[test]
    fn each_iteration_is_its_own_bucket_until_full() {
        let mut h = CostHistory::new();
        for i in 0..10 {
            h.push(i as f64);
        }
        assert_eq!(h.width(), 1);
        assert_eq!(
            h.span(3, 4),
            Some(Span {
                low: 3.0,
                high: 3.0
            })
        );
        assert_eq!(
            h.span(2, 8),
            Some(Span {
                low: 2.0,
                high: 7.0
            })
        );
        assert_eq!(h.span(10, 12), None);
    }

    #[test]
    fn merging_keeps_every_extreme() {
        let mut h = CostHistory::new();
        let n = MAX_BUCKETS as u64 * 3 + 5;
        for i in 0..n {
            // One spike, one dip: both must survive the merging.
            let cost = match i {
                12345 => 100.0,
                200_001 => -100.0,
                _ => 1.0,
            };
            h.push(cost);
        }
        assert_eq!(h.len(), n);
        assert_eq!(h.width(), 4);
        assert!(h.parts().2.len() <= MAX_BUCKETS);
        assert_eq!(
            h.span(0, n),
            Some(Span {
                low: -100.0,
                high: 100.0
            })
        );
        let env = h.envelope(100);
        assert_eq!(env.len(), 200);
        assert_eq!(env.iter().copied().fold(f64::MIN, f64::max), 100.0);
        assert_eq!(env.iter().copied().fold(f64::MAX, f64::min), -100.0);
    }

    proptest! {
        #[test]
        fn envelope_bounds_every_cost(costs in prop::collection::vec(0.0..10.0f64, 1..500), columns in 1..64usize) {
            let mut h = CostHistory::new();
            costs.iter().for_each(|&c| h.push(c));
            let env = h.envelope(columns);
            for (c, pair) in env.chunks(2).enumerate() {
                let start = c * costs.len() / columns;
                let end = ((c + 1) * costs.len() / columns).max(start + 1).min(costs.len());
                if start < end {
                    let lo = costs[start..end].iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = costs[start..end].iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    prop_assert_eq!(pair, &[lo, hi][..]);
                }
            }
        }

        #[test]
        fn parts_round_trip(costs in prop::collection::vec(0.0..10.0f64, 0..300)) {
            let mut h = CostHistory::new();
            costs.iter().for_each(|&c| h.push(c));
            let (width, len, low, high) = h.parts();
            let back = CostHistory::from_parts(width, len, low.to_vec(), high.to_vec());
            prop_assert_eq!(back, Some(h));
        }
    }

    #[test]
    fn compacted_keeps_the_envelope_and_fits_from_parts() {
        let mut h = CostHistory::new();
        for i in 0..1001 {
            h.push((i % 7) as f64 + if i == 999 { 50.0 } else { 0.0 });
        }
        let c = h.compacted(100);
        assert!(c.parts().2.len() <= 100);
        assert_eq!(c.len(), 1001);
        assert_eq!(c.span(0, 1001), h.span(0, 1001));
        let (width, len, low, high) = c.parts();
        assert_eq!(
            CostHistory::from_parts(width, len, low.to_vec(), high.to_vec()),
            Some(c.clone())
        );
    }

    #[test]
    fn from_parts_rejects_inconsistent_parts() {
        assert!(CostHistory::from_parts(3, 2, vec![1.0], vec![1.0]).is_none());
        assert!(CostHistory::from_parts(1, 2, vec![1.0], vec![1.0]).is_none());
        assert!(CostHistory::from_parts(1, 1, vec![2.0], vec![1.0]).is_none());
        assert!(CostHistory::from_parts(1, 1, vec![f64::NAN], vec![1.0]).is_none());
    }
}
