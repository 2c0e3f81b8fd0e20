package io.lowrank.model.landscape;

import io.lowrank.data.Block;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.Aggregate;
import io.lowrank.model.BlockKernel;
import io.lowrank.model.Loss;
import io.lowrank.model.factor.FactorOperator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The second pass at the truth, once τ is known: the corrupted count (and how many have s_i &gt; 0), the largest clean
 * and smallest corrupted |r_i*| (how clearly τ separates rounding from outliers), Σ ρ(r_i*),
 * A*(φ) and A*(|φ|) applied to W (φ_i = ψ(r_i*) on corrupted rows, 0 on clean ones: for ℓ1 the fixed part of every
 * subgradient at the truth, for a smooth loss its gradient), and, when asked, the rows of the clean measurements'
 * subgradient: b_i = A_i^sym W (d×r) for each clean i, read as ⟨A_i, E_ab W^T⟩ = (A_i^sym W)_ab, d·r measures per
 * block (the driver-side bounded least squares of dist(0, ∂f) needs them; only for small instances).
 */
public final class TruthSubgradientKernel
    implements BlockKernel<TruthSubgradientKernel.State, TruthSubgradientKernel.Subgradient> {
  private static final long serialVersionUID = 1L;

  /**
   * @param w W_r*, d×r column-major
   * @param tau the corruption threshold on |r_i*|
   * @param loss the loss whose ψ weighs the corrupted rows
   * @param cleanRows whether to collect b_i for the clean rows
   */
  public record State(FactorOperator operator, double[] w, int r, double tau, Loss loss, boolean cleanRows)
      implements Serializable {}

  /** The pass's result. */
  public static final class Subgradient implements Aggregate<Subgradient> {
    private static final long serialVersionUID = 1L;
    /** A*(φ) in the operator's accumulator layout (finish with applyAdjoint at W). */
    public final double[] weighted;
    /** A*(|φ|), the same layout. */
    public final double[] absWeighted;
    /** Σ ρ(r_i*) over all rows. */
    public double sumLoss;
    public long rows;
    public long corrupted;
    /** Corrupted rows with s_i &gt; 0 (r_i* &lt; 0). */
    public long positive;
    /** The largest |r_i*| of a clean row (rounding), 0 when none. */
    public double cleanResidualMax;
    /** The smallest |r_i*| of a corrupted row, +∞ when none: with the above, how far apart τ holds the two. */
    public double corruptedResidualMin = Double.POSITIVE_INFINITY;
    /** Chunks of clean rows b_i (each d·r values, column-major d×r), one chunk per block. */
    public final List<double[]> clean = new ArrayList<>();

    public Subgradient(int length) {
      weighted = new double[length];
      absWeighted = new double[length];
    }

    @Override
    public Subgradient merge(Subgradient o) {
      Linalg.axpy(1.0, o.weighted, weighted);
      Linalg.axpy(1.0, o.absWeighted, absWeighted);
      sumLoss += o.sumLoss;
      rows += o.rows;
      corrupted += o.corrupted;
      positive += o.positive;
      cleanResidualMax = Math.max(cleanResidualMax, o.cleanResidualMax);
      corruptedResidualMin = Math.min(corruptedResidualMin, o.corruptedResidualMin);
      clean.addAll(o.clean);
      return this;
    }
  }

  @Override
  public Subgradient zero(State s) {
    return new Subgradient(s.operator.adjointLength(s.r));
  }

  @Override
  public void add(Subgradient acc, Block block, State s) {
    int n = block.rows;
    double[] res = TruthResiduals.of(s.operator, block, s.w, s.r);
    double[] phi = new double[n];
    double[] abs = new double[n];
    int cleanCount = 0;
    for (int i = 0; i < n; i++) {
      acc.sumLoss += s.loss.value(res[i]);
      if (TruthResiduals.corruptedSign(res[i], s.tau) != 0) {
        phi[i] = s.loss.derivative(res[i]);
        abs[i] = Math.abs(phi[i]);
        acc.corrupted++;
        if (res[i] < 0) {
          acc.positive++;
        }
        acc.corruptedResidualMin = Math.min(acc.corruptedResidualMin, Math.abs(res[i]));
      } else {
        cleanCount++;
        acc.cleanResidualMax = Math.max(acc.cleanResidualMax, Math.abs(res[i]));
      }
    }
    s.operator.addAdjoint(block, phi, s.w, s.w, s.r, acc.weighted);
    s.operator.addAdjoint(block, abs, s.w, s.w, s.r, acc.absWeighted);
    acc.rows += n;
    if (s.cleanRows && cleanCount > 0) {
      acc.clean.add(cleanRows(s, block, res, cleanCount));
    }
  }

  /** b_i = A_i^sym W for the clean rows, row after row (d·r values each, column-major d×r). */
  private static double[] cleanRows(State s, Block block, double[] res, int cleanCount) {
    int d = s.operator.rows();
    int q = d * s.r;
    double[] out = new double[cleanCount * q];
    double[] e = new double[q];
    double[] t = new double[block.rows];
    for (int ab = 0; ab < q; ab++) {
      e[ab] = 1.0;
      s.operator.measure(block, e, s.w, s.r, t);
      e[ab] = 0.0;
      int row = 0;
      for (int i = 0; i < block.rows; i++) {
        if (TruthResiduals.corruptedSign(res[i], s.tau) == 0) {
          // ⟨A_i^sym, E_ab W^T⟩ = (A_i^sym W)_ab
          out[row * q + ab] = t[i];
          row++;
        }
      }
    }
    return out;
  }
}
