//! Row-major `f64` matrices on one flat array, and the few operations the
//! tutorial's algorithm needs, written by hand.
//!
//! Every operation writes into an output the caller owns, so a training step
//! that reuses its outputs allocates nothing. Shapes are checked with
//! `assert!`: a shape mismatch is a bug in the caller, not bad user input.

/// A `rows x cols` matrix; element (i, j) lives at `data[i * cols + j]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    /// A `rows x cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// A matrix from row-major values; panics unless `data.len() == rows * cols`.
    pub fn from_vec(rows: usize, cols: usize, data: Vec<f64>) -> Self {
        assert_eq!(
            data.len(),
            rows * cols,
            "{rows}x{cols} needs {} values",
            rows * cols
        );
        Matrix { rows, cols, data }
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    pub fn set(&mut self, i: usize, j: usize, value: f64) {
        self.data[i * self.cols + j] = value;
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// Changes the shape, keeping the allocation when it is large enough.
    /// The values are unspecified afterwards: callers overwrite them.
    pub fn resize(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.resize(rows * cols, 0.0);
    }

    pub fn fill(&mut self, value: f64) {
        self.data.fill(value);
    }
}

/// `out = a · b`, with a `n x k`, b `k x m`, out `n x m`.
pub fn matmul(a: &Matrix, b: &Matrix, out: &mut Matrix) {
    assert_eq!(a.cols, b.rows, "a·b: inner dimensions differ");
    assert_eq!(out.shape(), (a.rows, b.cols), "a·b: output shape");
    out.fill(0.0);
    for i in 0..a.rows {
        let out_row = &mut out.data[i * b.cols..(i + 1) * b.cols];
        for (p, &a_ip) in a.row(i).iter().enumerate() {
            // i-p-j order: the inner loop walks both b and out contiguously.
            // A fused multiply-add, as numpy's BLAS computes W1·X: the same
            // rounding keeps the run on the reference's side of its late
            // oscillation (see the golden test).
            for (o, &b_pj) in out_row.iter_mut().zip(b.row(p)) {
                *o = a_ip.mul_add(b_pj, *o);
            }
        }
    }
}

/// `out = a · bᵀ`, with a `n x k`, b `m x k`, out `n x m`: dot products of rows.
pub fn matmul_transpose_b(a: &Matrix, b: &Matrix, out: &mut Matrix) {
    assert_eq!(a.cols, b.cols, "a·bᵀ: inner dimensions differ");
    assert_eq!(out.shape(), (a.rows, b.rows), "a·bᵀ: output shape");
    for i in 0..a.rows {
        for j in 0..b.rows {
            let dot = a.row(i).iter().zip(b.row(j)).map(|(x, y)| x * y).sum();
            out.set(i, j, dot);
        }
    }
}

/// `out = aᵀ · b`, with a `k x n`, b `k x m`, out `n x m`.
pub fn matmul_transpose_a(a: &Matrix, b: &Matrix, out: &mut Matrix) {
    assert_eq!(a.rows, b.rows, "aᵀ·b: inner dimensions differ");
    assert_eq!(out.shape(), (a.cols, b.cols), "aᵀ·b: output shape");
    out.fill(0.0);
    for p in 0..a.rows {
        for (i, &a_pi) in a.row(p).iter().enumerate() {
            let out_row = &mut out.data[i * b.cols..(i + 1) * b.cols];
            for (o, &b_pj) in out_row.iter_mut().zip(b.row(p)) {
                *o += a_pi * b_pj;
            }
        }
    }
}

/// `m += v` for every column of `m`: numpy's broadcast of an `n x 1` column.
pub fn add_column(m: &mut Matrix, v: &Matrix) {
    assert_eq!(v.shape(), (m.rows, 1), "column vector shape");
    let cols = m.cols;
    if cols == 0 {
        return;
    }
    for (row, &vi) in m.data.chunks_exact_mut(cols).zip(&v.data) {
        for x in row {
            *x += vi;
        }
    }
}

/// `out[i] = f(a[i])` for every element.
pub fn map(a: &Matrix, out: &mut Matrix, f: impl Fn(f64) -> f64) {
    assert_eq!(a.shape(), out.shape(), "map: shapes differ");
    for (o, &x) in out.data.iter_mut().zip(&a.data) {
        *o = f(x);
    }
}

/// `out[i] = f(a[i], b[i])` for every element.
pub fn zip_map(a: &Matrix, b: &Matrix, out: &mut Matrix, f: impl Fn(f64, f64) -> f64) {
    assert_eq!(a.shape(), b.shape(), "zip_map: shapes differ");
    assert_eq!(a.shape(), out.shape(), "zip_map: output shape");
    for ((o, &x), &y) in out.data.iter_mut().zip(&a.data).zip(&b.data) {
        *o = f(x, y);
    }
}

/// `out = sum of each row of a`, an `n x 1` column: `np.sum(a, axis=1, keepdims=True)`.
pub fn row_sums(a: &Matrix, out: &mut Matrix) {
    assert_eq!(out.shape(), (a.rows, 1), "row_sums: output shape");
    if a.cols == 0 {
        out.fill(0.0);
        return;
    }
    for (o, row) in out.data.iter_mut().zip(a.data.chunks_exact(a.cols)) {
        *o = row.iter().sum();
    }
}

/// `a -= scale * b`, elementwise: the gradient-descent update.
pub fn sub_scaled(a: &mut Matrix, scale: f64, b: &Matrix) {
    assert_eq!(a.shape(), b.shape(), "sub_scaled: shapes differ");
    for (x, &y) in a.data.iter_mut().zip(&b.data) {
        *x -= scale * y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive_product(a: &Matrix, b: &Matrix) -> Matrix {
        let mut out = Matrix::zeros(a.rows, b.cols);
        for i in 0..a.rows {
            for j in 0..b.cols {
                let mut s = 0.0;
                for p in 0..a.cols {
                    s += a.get(i, p) * b.get(p, j);
                }
                out.set(i, j, s);
            }
        }
        out
    }

    fn transpose(a: &Matrix) -> Matrix {
        let mut t = Matrix::zeros(a.cols, a.rows);
        for i in 0..a.rows {
            for j in 0..a.cols {
                t.set(j, i, a.get(i, j));
            }
        }
        t
    }

    fn matrix(rows: usize, cols: usize) -> impl Strategy<Value = Matrix> {
        prop::collection::vec(-100.0..100.0f64, rows * cols)
            .prop_map(move |data| Matrix::from_vec(rows, cols, data))
    }

    /// Two matrices whose shapes fit `a · b`.
    fn product_pair() -> impl Strategy<Value = (Matrix, Matrix)> {
        (1..7usize, 0..7usize, 1..9usize).prop_flat_map(|(n, k, m)| (matrix(n, k), matrix(k, m)))
    }

    fn assert_close(a: &Matrix, b: &Matrix) {
        assert_eq!(a.shape(), b.shape());
        for (x, y) in a.data.iter().zip(&b.data) {
            assert!((x - y).abs() <= 1e-9 * (1.0 + y.abs()), "{x} != {y}");
        }
    }

    proptest! {
        #[test]
        fn matmul_is_the_naive_product((a, b) in product_pair()) {
            let mut out = Matrix::from_vec(a.rows, b.cols, vec![7.0; a.rows * b.cols]);
            matmul(&a, &b, &mut out);
            assert_close(&out, &naive_product(&a, &b));
        }

        #[test]
        fn matmul_transpose_b_is_a_times_b_transposed((a, b) in product_pair()) {
            let bt = transpose(&b);
            let mut out = Matrix::from_vec(a.rows, b.cols, vec![7.0; a.rows * b.cols]);
            matmul_transpose_b(&a, &bt, &mut out);
            assert_close(&out, &naive_product(&a, &b));
        }

        #[test]
        fn matmul_transpose_a_is_a_transposed_times_b((a, b) in product_pair()) {
            let at = transpose(&a);
            let mut out = Matrix::from_vec(a.rows, b.cols, vec![7.0; a.rows * b.cols]);
            matmul_transpose_a(&at, &b, &mut out);
            assert_close(&out, &naive_product(&a, &b));
        }

        #[test]
        fn add_column_broadcasts(m in (1..6usize, 0..9usize).prop_flat_map(|(r, c)| (matrix(r, c), matrix(r, 1)))) {
            let (a, v) = m;
            let mut out = a.clone();
            add_column(&mut out, &v);
            for i in 0..a.rows {
                for j in 0..a.cols {
                    prop_assert_eq!(out.get(i, j), a.get(i, j) + v.get(i, 0));
                }
            }
        }

        #[test]
        fn map_and_zip_map_are_elementwise(m in (1..6usize, 1..9usize).prop_flat_map(|(r, c)| (matrix(r, c), matrix(r, c)))) {
            let (a, b) = m;
            let mut out = Matrix::zeros(a.rows, a.cols);
            map(&a, &mut out, |x| x * x - 1.0);
            for (o, x) in out.data.iter().zip(&a.data) {
                prop_assert_eq!(*o, x * x - 1.0);
            }
            zip_map(&a, &b, &mut out, |x, y| x - 2.0 * y);
            for ((o, x), y) in out.data.iter().zip(&a.data).zip(&b.data) {
                prop_assert_eq!(*o, x - 2.0 * y);
            }
        }

        #[test]
        fn row_sums_sum_each_row(a in (1..6usize, 0..9usize).prop_flat_map(|(r, c)| matrix(r, c))) {
            let mut out = Matrix::from_vec(a.rows, 1, vec![7.0; a.rows]);
            row_sums(&a, &mut out);
            for i in 0..a.rows {
                let expected: f64 = (0..a.cols).map(|j| a.get(i, j)).sum();
                prop_assert!((out.get(i, 0) - expected).abs() <= 1e-9 * (1.0 + expected.abs()));
            }
        }

        #[test]
        fn sub_scaled_is_a_minus_scale_b(m in (1..6usize, 1..9usize).prop_flat_map(|(r, c)| (matrix(r, c), matrix(r, c))), scale in -10.0..10.0f64) {
            let (a, b) = m;
            let mut out = a.clone();
            sub_scaled(&mut out, scale, &b);
            for ((o, x), y) in out.data.iter().zip(&a.data).zip(&b.data) {
                prop_assert_eq!(*o, x - scale * y);
            }
        }
    }

    #[test]
    #[should_panic(expected = "inner dimensions")]
    fn mismatched_shapes_panic() {
        let mut out = Matrix::zeros(2, 2);
        matmul(&Matrix::zeros(2, 3), &Matrix::zeros(2, 2), &mut out);
    }
}
