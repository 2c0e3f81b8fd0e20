package io.lowrank.solve.escape;

/**
 * The simulated lifted truncated projected gradient descent in closed form. In the l-fold lifted space the iterate
 * stays on w(t) = a^{⊗l} + β̃(t) b^{⊗l} + γ̃(t) c^{⊗l}, and the recurrence
 * <pre>
 *   β̃(0) = ρ,  γ̃(0) = 0,   β̃(t+1) = ν β̃(t),   γ̃(t+1) = γ̃(t) − η κ β̃(t),   ν = 1 − η λ_n^l,  κ = σ_r^l / 2^{l−1}
 * </pre>
 * solves to β̃(t) = ρ ν^t and γ̃(t) = −η ρ κ Σ_{τ<t} ν^τ. With l odd and λ_n &lt; 0, ν − 1 = −η λ_n^l is positive
 * and tiny (5·10⁻⁸ for the paper's n = 3 run), so ν^t and the geometric sum are formed in the log domain from
 * log ν = log1p(ν − 1) and expm1, never from 1 − ν (which would cancel) nor ν^t (which overflows at large t).
 *
 * @param lambda λ_n, the most negative eigenvalue of G
 * @param sigma σ_r, the smallest singular value of X̂
 * @param power l (odd)
 * @param rho ρ, the size of the first step along b
 * @param eta η, the lifted step
 */
public record LiftedDynamics(double lambda, double sigma, int power, double rho, double eta) {
  public LiftedDynamics {
    if (power < 1 || power % 2 == 0) {
      throw new IllegalArgumentException("escape.l must be an odd integer >= 1, got " + power);
    }
    if (!(rho > 0) || !(eta > 0) || !Double.isFinite(rho) || !Double.isFinite(eta)) {
      throw new IllegalArgumentException("escape.rho and escape.eta must be finite and > 0, got rho = " + rho
          + ", eta = " + eta);
    }
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("sigma_r must be > 0 (X-hat has full column rank), got " + sigma);
    }
  }

  /** ν − 1 = −η λ_n^l, computed exactly (no cancellation). */
  public double nuMinusOne() {
    return -eta * powSigned(lambda, power);
  }

  /** log ν = log1p(ν − 1). */
  public double logNu() {
    return Math.log1p(nuMinusOne());
  }

  /** log κ = l log σ_r − (l − 1) log 2. */
  public double logKappa() {
    return power * Math.log(sigma) - (power - 1) * Math.log(2);
  }

  /** β̃(t) = ρ ν^t (positive). */
  public double beta(double t) {
    return Math.exp(logBeta(t));
  }

  /** log β̃(t) = log ρ + t log ν. */
  public double logBeta(double t) {
    return Math.log(rho) + t * logNu();
  }

  /** γ̃(t) = −η ρ κ Σ_{τ<t} ν^τ (≤ 0). */
  public double gamma(double t) {
    return t == 0 ? 0 : -Math.exp(logAbsGamma(t));
  }

  /** log |γ̃(t)| = log(η ρ κ) + log Σ_{τ<t} ν^τ. */
  public double logAbsGamma(double t) {
    return Math.log(eta) + Math.log(rho) + logKappa() + logGeometricSum(t);
  }

  /**
   * log Σ_{τ<t} ν^τ = log((ν^t − 1)/(ν − 1)) (−∞ at t = 0): for ν &gt; 1, t log ν + log(−expm1(−t log ν)) − log(ν − 1); for ν &lt; 1,
   * log(−expm1(t log ν)) − log(1 − ν); log t at ν = 1.
   */
  public double logGeometricSum(double t) {
    if (!(t >= 0)) {
      throw new IllegalArgumentException("the geometric sum needs t >= 0, got " + t);
    }
    if (t == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double e = nuMinusOne();
    double a = logNu();
    if (e == 0 || a == 0) {
      return Math.log(t);
    }
    if (e > 0) {
      return t * a + Math.log(-Math.expm1(-t * a)) - Math.log(e);
    }
    return Math.log(-Math.expm1(t * a)) - Math.log(-e);
  }

  /**
   * The smallest number of steps T ≥ 0 at which a dominant term overtakes the a-term by the factor θ: |γ̃(T)|·‖c‖^l ≥
   * θ‖a‖^l (the γ-target {@code logGammaTarget} = log(θ‖a‖^l/‖c‖^l)) or β̃(T)·‖b‖^l ≥ θ‖a‖^l ({@code logBetaTarget}),
   * by inverting the closed forms (ν^T = 1 + S(ν − 1) for the needed geometric sum S; ν^T = target/ρ); capped at
   * {@code maxSteps}. T = 0 is the ρb step alone (its β-term already dominates: the one-step escape).
   */
  public long stepsFor(double logGammaTarget, double logBetaTarget, long maxSteps) {
    double a = logNu();
    double tBeta;
    double needBeta = logBetaTarget - Math.log(rho);
    if (needBeta <= 0) {
      tBeta = 0;
    } else {
      tBeta = a > 0 ? needBeta / a : Double.POSITIVE_INFINITY;
    }
    double t = Math.min(tBeta, gammaSteps(logGammaTarget));
    if (!(t < maxSteps)) {
      return maxSteps;
    }
    return Math.max(0, (long) Math.ceil(t));
  }

  /** The real t at which log |γ̃(t)| reaches {@code logTarget} (+∞ when it never does). */
  private double gammaSteps(double logTarget) {
    double logSum = logTarget - (Math.log(eta) + Math.log(rho) + logKappa());
    double e = nuMinusOne();
    double a = logNu();
    if (e == 0 || a == 0) {
      return Math.exp(logSum);
    }
    if (e > 0) {
      double x = logSum + Math.log(e); // log(S (ν − 1))
      return (x > 700 ? x : Math.log1p(Math.exp(x))) / a;
    }
    double x = Math.exp(logSum + Math.log(-e)); // S (1 − ν), must stay below 1
    return x >= 1 ? Double.POSITIVE_INFINITY : Math.log1p(-x) / a;
  }

  /** x^l with the sign of x for odd l. */
  static double powSigned(double x, int l) {
    double v = Math.pow(Math.abs(x), l);
    return x < 0 && l % 2 == 1 ? -v : v;
  }
}
