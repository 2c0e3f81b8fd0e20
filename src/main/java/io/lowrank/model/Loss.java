package io.lowrank.model;

import java.io.Serializable;

/**
 * A pointwise loss on the residuals r_i of a pass, as a small value the pass calls per measurement: ρ(r) and its
 * derivative ψ(r) = ρ'(r) (a subgradient where ρ has a kink). The pass never knows which loss it folds: it adds
 * ρ(r_i) and uses ψ(r_i) where the ℓ2 pass used r_i, so every loss costs the same memory and BLAS work, and a new
 * loss is one more record here, not a new kernel.
 *
 * <p><b>Normalisation (matrix sensing).</b> With r_i = ⟨A_i, XX^T⟩ − y_i on the operator's scale (the Gaussian
 * operator's A_i have entries of variance 1/m, so that E‖A(M)‖² = ‖M‖_F²), every loss is
 * <pre>
 *   f(X) = (1/2) Σ_i ρ(r_i),   G = Σ_i ψ(r_i) A_i,   ∇f(X) = G X   (A_i symmetric)
 * </pre>
 * The 1/2 is the one that makes ∇f = G X (∂⟨A_i, XX^T⟩/∂X = 2 A_i X), and with ρ(r) = r²/2 it gives today's
 * ℓ2 loss f = (1/4) Σ r_i² bit for bit. For ℓ1 this is f = (1/2) Σ |r_i|, which is √m/2 times the (1/m) Σ |r̄_i|
 * of DESIGN §4 written with unnormalised A_i (entries of variance 1, r̄_i = √m r_i): the same minimisers and the same
 * subgradient directions; the constant is absorbed by SubGM's step η_0, which is derived from the data in the same
 * units (see {@code solve.sensing.SubGradientMethod}).
 */
public sealed interface Loss extends Serializable {
  /** ρ(r). */
  double value(double r);

  /** ψ(r) = ρ'(r); at a kink, the subgradient the methods use (ℓ1: sign(r) with sign(0) = 0). */
  double derivative(double r);

  /** The name in configs and summaries: l2, l1, lq, huber. */
  String id();

  /**
   * The pass's one call per block: replaces r_i by ψ(r_i), i &lt; n, in place (the weights of G = Σ ψ(r_i) A_i) and
   * returns Σ ρ(r_i). Each loss implements the loop itself, so that ρ and ψ are bound statically inside it: a pass costs
   * one virtual call per block whatever the number of losses a JVM has seen, not two per measurement.
   */
  double toWeights(double[] r, int n);

  /** The name with its parameter, e.g. huber(delta=0.1), for reports. */
  default String describe() {
    return id();
  }

  /** ℓ2 (least squares): ρ(r) = r²/2, ψ(r) = r. The loss of every ScaledGD-family solver. */
  record L2() implements Loss {
    @Override
    public double value(double r) {
      return 0.5 * r * r;
    }

    @Override
    public double derivative(double r) {
      return r;
    }

    /** ψ(r) = r: the residuals are the weights already (bit for bit today's pass); Σ r_i²/2. */
    @Override
    public double toWeights(double[] r, int n) {
      double f = 0;
      for (int i = 0; i < n; i++) {
        f += value(r[i]);
      }
      return f;
    }

    @Override
    public String id() {
      return "l2";
    }
  }

  /** ℓ1 (least absolute deviations): ρ(r) = |r|, ψ(r) = sign(r), sign(0) = 0. Robust to gross outliers. */
  record L1() implements Loss {
    @Override
    public double value(double r) {
      return Math.abs(r);
    }

    @Override
    public double derivative(double r) {
      return Math.signum(r);
    }

    @Override
    public double toWeights(double[] r, int n) {
      double f = 0;
      for (int i = 0; i < n; i++) {
        double ri = r[i];
        f += value(ri);
        r[i] = derivative(ri);
      }
      return f;
    }

    @Override
    public String id() {
      return "l1";
    }
  }

  /**
   * ℓq, 1 &lt; q ≤ 2: ρ(r) = |r|^q / q, ψ(r) = sign(r) |r|^{q−1} (q = 2 is ℓ2). Between least squares and ℓ1.
   *
   * @param q the exponent, 1 &lt; q ≤ 2
   */
  record Lq(double q) implements Loss {
    public Lq {
      if (!(q > 1 && q <= 2)) {
        throw new IllegalArgumentException("q (the exponent of the lq loss) must be in (1, 2], got " + q);
      }
    }

    @Override
    public double value(double r) {
      return Math.pow(Math.abs(r), q) / q;
    }

    @Override
    public double derivative(double r) {
      return Math.signum(r) * Math.pow(Math.abs(r), q - 1);
    }

    @Override
    public double toWeights(double[] r, int n) {
      double f = 0;
      for (int i = 0; i < n; i++) {
        double ri = r[i];
        f += value(ri);
        r[i] = derivative(ri);
      }
      return f;
    }

    @Override
    public String id() {
      return "lq";
    }

    @Override
    public String describe() {
      return "lq(q=" + q + ")";
    }
  }

  /**
   * Huber: ρ(r) = r²/2 for |r| ≤ δ, δ|r| − δ²/2 beyond; ψ(r) = clip(r, −δ, δ). Quadratic on small residuals, linear
   * (ℓ1-like) on large ones.
   *
   * @param delta the threshold δ &gt; 0, in the units of the residuals r_i the pass sees (the run layer converts a
   *     δ given in the units of the responses y with the operator's response scale)
   */
  record Huber(double delta) implements Loss {
    public Huber {
      if (!(delta > 0) || Double.isInfinite(delta)) {
        throw new IllegalArgumentException("huber-delta (the Huber threshold δ) must be finite and > 0, got " + delta);
      }
    }

    @Override
    public double value(double r) {
      double a = Math.abs(r);
      return a <= delta ? 0.5 * r * r : delta * a - 0.5 * delta * delta;
    }

    @Override
    public double derivative(double r) {
      return Math.max(-delta, Math.min(delta, r));
    }

    @Override
    public double toWeights(double[] r, int n) {
      double f = 0;
      for (int i = 0; i < n; i++) {
        double ri = r[i];
        f += value(ri);
        r[i] = derivative(ri);
      }
      return f;
    }

    @Override
    public String id() {
      return "huber";
    }

    @Override
    public String describe() {
      return "huber(delta=" + delta + ")";
    }
  }

  /**
   * Trimmed least squares: ρ(r) = r²/2 for |r| ≤ τ, τ²/2 beyond; ψ(r) = r for |r| ≤ τ, 0 beyond. Not a training
   * loss of the CLI: at X = 0 (r_i = −y_i) its G is −Σ_{|y_i| ≤ τ} y_i A_i, the trimmed spectral matrix of the
   * scaled sub-gradient method's start, which leaves out the measurements with the largest |y_i|.
   *
   * @param tau the threshold τ &gt; 0 on |r_i| (the residuals' units)
   */
  record Trimmed(double tau) implements Loss {
    public Trimmed {
      if (!(tau > 0) || Double.isInfinite(tau)) {
        throw new IllegalArgumentException("the trimming threshold τ must be finite and > 0, got " + tau);
      }
    }

    @Override
    public double value(double r) {
      return Math.abs(r) <= tau ? 0.5 * r * r : 0.5 * tau * tau;
    }

    @Override
    public double derivative(double r) {
      return Math.abs(r) <= tau ? r : 0;
    }

    @Override
    public double toWeights(double[] r, int n) {
      double f = 0;
      for (int i = 0; i < n; i++) {
        double ri = r[i];
        f += value(ri);
        r[i] = derivative(ri);
      }
      return f;
    }

    @Override
    public String id() {
      return "trimmed";
    }

    @Override
    public String describe() {
      return "trimmed(tau=" + tau + ")";
    }
  }

  /** The ℓ2 loss (a shared instance is fine: records are immutable). */
  static Loss l2() {
    return new L2();
  }

  /**
   * The loss a name gives: l2, l1, lq (with q), huber (with δ).
   *
   * @param q the exponent of lq (read only for lq)
   * @param delta Huber's δ in the residuals' units (read only for huber)
   */
  static Loss of(String id, double q, double delta) {
    return switch (id) {
      case "l2" -> new L2();
      case "l1" -> new L1();
      case "lq" -> new Lq(q);
      case "huber" -> new Huber(delta);
      default -> throw new IllegalArgumentException("unknown loss '" + id + "' (expected one of: l2, l1, lq, huber)");
    };
  }
}
