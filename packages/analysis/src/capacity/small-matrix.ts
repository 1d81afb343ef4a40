/**
 * Dense linear algebra for the handful of parameters a model fit has (3 for the USL):
 * Gaussian elimination with partial pivoting (Golub & Van Loan, Matrix Computations, §3.4).
 * Matrices are arrays of rows.
 */

/** Solves A·x = b; null when A is singular to working precision. */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  const scale = Math.max(...a.flat().map(Math.abs));
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) <= 1e-14 * scale) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const pr = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / pr[col]!;
      for (let c = col; c <= n; c++) row[c]! -= f * pr[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x;
}

/**
 * Solves A·x = b for a symmetric positive (semi)definite A after Jacobi scaling,
 * D^-½·A·D^-½ with D = diag(A), so that parameters of very different magnitudes (JᵀJ of the
 * USL spans 20 orders of magnitude between κ and λ) do not look singular. Null when singular.
 */
export function solveScaled(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const d = a.map((row, i) => Math.sqrt(row[i]! > 0 ? row[i]! : 1));
  const y = solveLinear(
    a.map((row, i) => row.map((v, j) => v / (d[i]! * d[j]!))),
    b.map((v, i) => v / d[i]!),
  );
  return y && y.map((v, i) => v / d[i]!);
}

/** A⁻¹ of a symmetric positive definite A, column by column with {@link solveScaled}; null when singular. */
export function invert(a: readonly (readonly number[])[]): number[][] | null {
  const n = a.length;
  const cols: number[][] = [];
  for (let j = 0; j < n; j++) {
    const e = Array.from({ length: n }, (_, i) => (i === j ? 1 : 0));
    const x = solveScaled(a, e);
    if (!x) return null;
    cols.push(x);
  }
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
}

/** JᵀJ and Jᵀr for a Jacobian J (rows = observations) and residuals r. */
export function normalEquations(j: readonly (readonly number[])[], r: readonly number[]): { jtj: number[][]; jtr: number[] } {
  const p = j[0]?.length ?? 0;
  const jtj = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const jtr = new Array<number>(p).fill(0);
  j.forEach((row, i) => {
    for (let a = 0; a < p; a++) {
      jtr[a]! += row[a]! * r[i]!;
      for (let b = 0; b < p; b++) jtj[a]![b]! += row[a]! * row[b]!;
    }
  });
  return { jtj, jtr };
}
