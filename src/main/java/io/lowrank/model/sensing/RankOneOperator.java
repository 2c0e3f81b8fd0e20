package io.lowrank.model.sensing;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Loss;

/**
 * Rank-one sensing A_i = a_i a_i^T / √(2m) on blocks of raw sensing vectors (the phase-retrieval layout, Block.d =
 * d) with raw y_i ≈ a_i^T M* a_i, scaled by the same 1/√(2m). The scaling makes A*A(Δ) ≈ Δ + tr(Δ) I/2, i.e. an
 * isometry off the identity direction, so the same step sizes as the Gaussian operator apply. Per block:
 * Z = A X (one gemm, O(d r) per measurement), r_i = (‖Z_i‖² − y_i)/√(2m), then G += Σ ψ(r_i) A_i by one weighted
 * A^T diag(w) A gemm (O(d²) per measurement, only to aggregate the d×d G); ψ the pass's loss (ψ(r) = r for ℓ2).
 */
public final class RankOneOperator implements SensingOperator {
  private static final long serialVersionUID = 1L;
  private final int d;
  private final long m;
  private final double scale;

  public RankOneOperator(int d, long m) {
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1, got " + d);
    }
    if (m < 1) {
      throw new IllegalArgumentException("m must be >= 1, got " + m);
    }
    this.d = d;
    this.m = m;
    this.scale = 1.0 / Math.sqrt(2.0 * m);
  }

  @Override
  public String name() {
    return "rank-one";
  }

  @Override
  public int d() {
    return d;
  }

  @Override
  public long m() {
    return m;
  }

  @Override
  public int aggregateLength() {
    return d * d;
  }

  @Override
  public double[] prepare(double[] x, int r) {
    return null;
  }

  @Override
  public void accumulate(SensingStats acc, Block block, double[] x, int r, double[] prepared, Loss loss) {
    if (block.d != d) {
      throw new IllegalArgumentException("block " + block.id + " has dimension " + block.d + ", expected d = " + d);
    }
    int rows = block.rows;
    double[] z = new double[rows * r];
    Linalg.multiply(block.a, rows, d, x, r, z);
    double[] w = new double[rows];
    double ss = 0;
    double s = 0;
    for (int i = 0; i < rows; i++) {
      double q = 0;
      for (int k = 0; k < r; k++) {
        double v = z[i + k * rows];
        q += v * v;
      }
      double ri = scale * (q - block.y[i]);
      ss += ri * ri;
      s += ri;
      w[i] = ri;
    }
    acc.sumLoss += loss.toWeights(w, rows);
    for (int i = 0; i < rows; i++) {
      w[i] *= scale; // ψ(r_i) A_i with A_i = a_i a_i^T/√(2m)
    }
    Linalg.addWeightedGram(1.0, block.a, rows, d, w, acc.sum);
    acc.sumSquares += ss;
    acc.sumResiduals += s;
    acc.rows += rows;
  }

  /** 1/√(2m): r_i = (a_i^T XX^T a_i − y_i)/√(2m). */
  @Override
  public double responseScale() {
    return scale;
  }

  @Override
  public double[] symmetricMatrix(SensingStats stats) {
    double[] g = stats.sum.clone();
    for (int j = 0; j < d; j++) {
      for (int i = j + 1; i < d; i++) {
        double v = 0.5 * (g[i + j * d] + g[j + i * d]);
        g[i + j * d] = v;
        g[j + i * d] = v;
      }
    }
    return g;
  }

  /**
   * G = (1/2m) Σ (a_i^T Δ a_i) a_i a_i^T has mean Δ + tr(Δ) I/2 (Gaussian fourth moments); tr(Δ) is estimated by
   * the mean raw residual Σ r_i / (rows·scale), so D = G − tr(Δ)/2 · I. At X = 0 this gives the spectral
   * estimate −D = (1/2m) Σ y_i a_i a_i^T − mean(y)/2 · I of M*.
   */
  @Override
  public double[] stepMatrix(SensingStats stats) {
    double[] g = symmetricMatrix(stats);
    double trace = stats.sumResiduals / (scale * stats.rows);
    for (int j = 0; j < d; j++) {
      g[j + j * d] -= 0.5 * trace;
    }
    return g;
  }

  @Override
  public long bytesPerMeasurement() {
    return 8L * d;
  }
}
