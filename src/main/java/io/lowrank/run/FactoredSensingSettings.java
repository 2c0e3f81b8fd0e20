package io.lowrank.run;

import io.lowrank.data.MatrixCompletion;
import io.lowrank.model.Loss;
import java.util.List;

/**
 * The keys of the {@code sensing} section that factored runs ({@code sensing.operator} = completion or asymmetric,
 * {@link FactoredSensingRun}) read beyond {@link SensingSettings}: the shape d1 × d2, the sampling probability q of
 * completion, whether completion is symmetric (W W^T), how the asymmetric Gaussian operator is held, and the passes of
 * the spectral scale estimate. A checked view over the same configuration.
 */
public final class FactoredSensingSettings {
  /** The operators a factored run takes. */
  public static final List<String> OPERATORS = List.of("completion", "asymmetric");
  /** The solvers a factored run takes. */
  public static final List<String> SOLVERS = List.of("subgm", "gd");

  private final SensingSettings s;

  private FactoredSensingSettings(SensingSettings s) {
    this.s = s;
    if (!factored(s.operator())) {
      throw new IllegalArgumentException("sensing.operator = " + s.operator() + " is not factored (completion, "
          + "asymmetric)");
    }
    if (!SOLVERS.contains(s.solver())) {
      throw new IllegalArgumentException("--operator " + s.operator() + " takes --solver subgm (robust, any loss) or "
          + "gd (l2), got " + s.solver());
    }
    if (symmetric() && !s.operator().equals("completion")) {
      throw new IllegalArgumentException("sensing.symmetric (W W^T) is for --operator completion; asymmetric sensing "
          + "is W1 W2^T");
    }
    if (symmetric() && d1() != d2()) {
      throw new IllegalArgumentException("sensing.symmetric completion needs a square matrix, got d1 = " + d1()
          + ", d2 = " + d2());
    }
    double q = sampling();
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("sensing.sampling (the probability q that an entry is observed) must be in "
          + "(0, 1] (0 = from sensing.m), got " + q);
    }
    if (s.rstar() > Math.min(d1(), d2())) {
      throw new IllegalArgumentException("sensing.rstar must be <= min(d1, d2) = " + Math.min(d1(), d2()) + ", got "
          + s.rstar());
    }
    s.values().oneOf("sensing.asymmetric-storage", "stored", "generated");
    spectralPasses();
  }

  /** The factored view of {@code s} (checked). */
  public static FactoredSensingSettings of(SensingSettings s) {
    return new FactoredSensingSettings(s);
  }

  /** Whether {@code operator} is run by {@link FactoredSensingRun}. */
  public static boolean factored(String operator) {
    return OPERATORS.contains(operator);
  }

  public SensingSettings sensing() {
    return s;
  }

  /** Rows d1 of M* (sensing.d1; 0 = sensing.d). */
  public int d1() {
    int d1 = s.values().nonNegativeInt("sensing.d1");
    return d1 == 0 ? s.d() : d1;
  }

  /** Columns d2 of M* (sensing.d2; 0 = d1). */
  public int d2() {
    int d2 = s.values().nonNegativeInt("sensing.d2");
    return d2 == 0 ? d1() : d2;
  }

  /** Completion modelled as W W^T (entries i ≤ j of a PSD M* = X* X*^T). */
  public boolean symmetric() {
    return s.values().bool("sensing.symmetric");
  }

  /** sensing.sampling as set (0 = from m). */
  public double sampling() {
    return s.values().finiteDouble("sensing.sampling");
  }

  /** Measurements: sensing.m, or 5 r* (d1 + d2) when 0 (10 d r* for a square matrix, as symmetric sensing). */
  public long m() {
    long m = s.values().longValue("sensing.m");
    return m > 0 ? m : 5L * s.rstar() * (d1() + (long) d2());
  }

  /** Completion's q: sensing.sampling, or the q that observes m entries in expectation. */
  public double completionSampling() {
    return sampling() > 0 ? sampling() : MatrixCompletion.samplingFor(m(), d1(), d2(), symmetric());
  }

  /** Whether the asymmetric Gaussian operator is regenerated in every pass (else stored). */
  public boolean generatedOperator() {
    return s.values().string("sensing.asymmetric-storage").trim().equals("generated");
  }

  /** Power-iteration passes of the spectral scale estimate. */
  public int spectralPasses() {
    return s.values().positiveInt("sensing.spectral-passes");
  }

  /** The loss (auto: l1 for subgm, l2 for gd); Huber's δ in the units of y as given. */
  public Loss loss() {
    return Loss.of(s.loss(), s.q(), s.huberDelta());
  }
}
