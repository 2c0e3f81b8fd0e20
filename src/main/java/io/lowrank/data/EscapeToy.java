package io.lowrank.data;

/**
 * The SOD paper's two-dimensional example (Shen, Yang, He, Gao and Ma, arXiv 2602.05887): n = 2, m = 3,
 * A₁ = [[1, 0], [0, ½]], A₂ = [[0, √3/2], [√3/2, 0]], A₃ = [[0, 0], [0, √3/2]], truth z = (1, 0), y_i = ⟨A_i, z z^T⟩.
 * x̂ = (0, 1/√2) is a spurious local minimum; the operator's restricted isometry constant is ½ (‖A(M)‖² / ‖M‖_F² spans
 * [½, 3/2] over symmetric M). One dense block (rows vec(A_i), column-major) for {@code model.factor.DenseOperator}.
 */
public final class EscapeToy implements BlockSource {
  private static final long serialVersionUID = 1L;
  private static final double H = Math.sqrt(3) / 2;

  /** vec(A_i), column-major, one row each (a fresh array: no shared mutable state). */
  private static double[][] rows() {
    return new double[][] {{1, 0, 0, 0.5}, {0, H, H, 0}, {0, 0, 0, H}};
  }

  /** The spurious local minimum x̂ = (0, 1/√2). */
  public static double[] spuriousPoint() {
    return new double[] {0, Math.sqrt(0.5)};
  }

  /** The truth z = (1, 0). */
  public static double[] truth() {
    return new double[] {1, 0};
  }

  /** The restricted isometry constant ½. */
  public static double delta() {
    return 0.5;
  }

  @Override
  public int blockCount() {
    return 1;
  }

  @Override
  public Block block(int b) {
    if (b != 0) {
      throw new IllegalArgumentException("block index " + b + " outside [0, 1)");
    }
    double[][] rows = rows();
    int m = rows.length;
    double[] a = new double[m * 4];
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < 4; k++) {
        a[i + k * m] = rows[i][k];
      }
      y[i] = rows[i][0]; // ⟨A_i, e_1 e_1^T⟩
    }
    return new Block(0, m, 4, a, y);
  }
}
