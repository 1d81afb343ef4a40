import { describe, expect, it } from 'vitest';
import { invert, solveLinear, solveScaled } from './small-matrix.ts';

describe('small-matrix', () => {
  it('solves a system by elimination with pivoting', () => {
    // x = 1, y = 2, z = 3 by construction
    expect(
      solveLinear(
        [
          [0, 2, 1],
          [1, 1, 1],
          [2, 0, 3],
        ],
        [7, 6, 11],
      )!.map((v) => Math.round(v * 1e12) / 1e12),
    ).toEqual([1, 2, 3]);
    expect(
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeNull();
  });

  it('solves and inverts a well-posed but badly scaled symmetric matrix that an unscaled pivot test calls singular', () => {
    // diag(1e18, 1) + small coupling: positive definite, condition fine after Jacobi scaling
    const a = [
      [1e18, 1e8],
      [1e8, 1],
    ];
    expect(solveLinear(a, [1e18, 1])).toBeNull();
    const x = solveScaled(a, [1e18 + 1e8, 1e8 + 1])!; // x = (1, 1)
    expect(x[0]).toBeCloseTo(1, 9);
    expect(x[1]).toBeCloseTo(1, 6);
    const inv = invert([
      [4, 2],
      [2, 3],
    ])!; // 1/8·[[3, −2], [−2, 4]]
    expect(inv.flat().map((v) => v * 8)).toEqual([3, -2, -2, 4].map((v) => expect.closeTo(v, 12)));
  });
});
