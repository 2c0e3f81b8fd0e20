package io.lowrank.solve.phase;

import io.lowrank.engine.Engine;
import io.lowrank.linalg.Cholesky;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.AmplitudeKernel;
import io.lowrank.model.CurvatureKernel;
import io.lowrank.model.GramKernel;
import io.lowrank.model.IntensityKernel;
import io.lowrank.model.SpectralKernel;
import io.lowrank.model.SpectralWeight;
import io.lowrank.solve.IterationLoop;

/**
 * A phase-retrieval instance as the solvers see it: the engine's passes wrapped as the quantities of the
 * math (amplitude loss and b(x), Hessian-vector products, spectral products), plus Ŝ = (1/n) Σ a_i a_i^T,
 * formed in one set-up pass and Cholesky-factored once here on the driver.
 */
public final class PhaseRetrievalProblem {
  private static final AmplitudeKernel AMPLITUDE = new AmplitudeKernel();
  private static final CurvatureKernel CURVATURE = new CurvatureKernel();
  private static final SpectralKernel SPECTRAL = new SpectralKernel();
  private static final IntensityKernel INTENSITY = new IntensityKernel();

  private final Engine engine;
  private final int d;
  private final long n;
  private final double[] sHat;
  private final Cholesky sHatFactor;
  private final double meanY;
  private final double[] truth;
  private IterationLoop.Listener listener = IterationLoop.Listener.NONE;
  private String label = "solve";

  private PhaseRetrievalProblem(Engine engine, double[] sHat, double meanY, double[] truth) {
    this.engine = engine;
    this.d = engine.dimension();
    this.n = engine.rows();
    this.sHat = sHat;
    this.meanY = meanY;
    this.truth = truth == null ? null : truth.clone();
    try {
      this.sHatFactor = Cholesky.factor(sHat, d);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the sensing vectors do not span R^" + d
          + " (their Gram matrix is singular): more or less degenerate measurements are needed");
    }
  }

  /**
   * Runs the set-up pass (Ŝ and mean y) and factors Ŝ.
   *
   * @param truth x* when known (enables the distance metric), else null
   */
  public static PhaseRetrievalProblem setUp(Engine engine, double[] truth) {
    int d = engine.dimension();
    if (engine.rows() < d) {
      throw new IllegalArgumentException("fewer measurements than dimensions: n = " + engine.rows() + " < d = " + d);
    }
    if (truth != null && truth.length != d) {
      throw new IllegalArgumentException("truth has length " + truth.length + ", expected d = " + d);
    }
    GramKernel.Stats g = engine.pass("set-up: Gram matrix", d, new GramKernel()).finish();
    double[] sHat = Linalg.scaled(1.0 / g.rows, g.gram);
    double meanY = g.sumY / g.rows;
    if (!(meanY > 0)) {
      throw new IllegalArgumentException("all intensities y are 0: nothing to recover");
    }
    return new PhaseRetrievalProblem(engine, sHat, meanY, truth);
  }

  /** Names the passes that follow in the Spark UI, e.g. "smoothing-newton iter 3". */
  public void label(String label) {
    this.label = label;
  }

  /** Tells {@code listener} every row its solvers' loops record (a run's progress). */
  public void listen(IterationLoop.Listener listener) {
    this.listener = listener;
  }

  /** Who hears the rows of loops over this problem ({@link IterationLoop.Listener#NONE} by default). */
  public IterationLoop.Listener listener() {
    return listener;
  }

  /** The amplitude pass at x with smoothing μ; {@code sketchK > 0} also sketches |r_i|. */
  public AmplitudeKernel.Stats amplitude(double[] x, double mu, int sketchK) {
    return amplitude(x, mu, sketchK, false);
  }

  /** As {@link #amplitude(double[], double, int)}, with b_0 beside b_μ when {@code withSign} and μ &gt; 0. */
  public AmplitudeKernel.Stats amplitude(double[] x, double mu, int sketchK, boolean withSign) {
    return engine.pass(label + ": amplitude pass", new AmplitudeKernel.State(x, mu, sketchK, withSign), AMPLITUDE);
  }

  /**
   * The trace row at x from its amplitude pass: loss f(x), the norm of the (smoothed) gradient, μ (or η), the
   * relative step, and the distance to the truth when known.
   */
  public IterationLoop.Row row(double[] x, AmplitudeKernel.Stats s, double mu, double step) {
    return new IterationLoop.Row(loss(s), Linalg.norm(gradient(x, s)), mu, step, distance(x));
  }

  /** Amplitude loss f(x) = (1/2n) Σ r_i² from a pass. */
  public double loss(AmplitudeKernel.Stats s) {
    return 0.5 * s.sumSquaredResiduals / n;
  }

  /** b_μ(x) = (1/n) Σ √y_i ψ_μ(a_i^T x) a_i from a pass. */
  public double[] b(AmplitudeKernel.Stats s) {
    return Linalg.scaled(1.0 / n, s.b);
  }

  /** b_0(x) = (1/n) Σ √y_i sign(a_i^T x) a_i from a pass that computed it (μ = 0, or with the sign column). */
  public double[] bSign(AmplitudeKernel.Stats s) {
    double[] sum = s.signSum();
    if (sum == null) {
      throw new IllegalStateException("a smoothed pass without the sign column has no b_0");
    }
    return Linalg.scaled(1.0 / n, sum);
  }

  /**
   * A bound on the loss at any x from the pass at another point x_t, with s_i = sign(a_i^T x_t): since
   * (|z| − √y)² ≤ (s z − √y)² for either sign, f(x) ≤ ½(x^T Ŝ x − 2 x^T b_0(x_t) + ȳ), with equality while the sign
   * pattern stays x_t's. Rounding: about 1e-16·ȳ (the value may come out that much below 0). NaN when the pass has no b_0 (a smoothed pass without the sign
   * column).
   */
  public double lossBound(double[] x, AmplitudeKernel.Stats atT) {
    if (atT.signSum() == null) {
      return Double.NaN;
    }
    double[] sx = Linalg.times(sHat, d, x);
    return 0.5 * (Linalg.dot(x, sx) - 2 * Linalg.dot(x, bSign(atT)) + meanY);
  }

  /** ‖Ŝx − b_0(x_t)‖: the gradient at x if its sign pattern is x_t's (the pass at x_t must have b_0). */
  public double gradientNormWithSigns(double[] x, AmplitudeKernel.Stats atT) {
    return Linalg.norm(Linalg.minus(Linalg.times(sHat, d, x), bSign(atT)));
  }

  /** Gradient of the (smoothed) amplitude loss, Ŝx − b_μ(x). */
  public double[] gradient(double[] x, AmplitudeKernel.Stats s) {
    return Linalg.minus(Linalg.times(sHat, d, x), b(s));
  }

  /** The intensity-loss pass at x (Wirtinger-flow family). */
  public IntensityKernel.Stats intensity(double[] x) {
    return engine.pass(label + ": intensity pass", new IntensityKernel.State(x), INTENSITY);
  }

  /** ∇f_I(x) = (1/n) Σ ((a_i^T x)² − y_i)(a_i^T x) a_i from an intensity pass. */
  public double[] intensityGradient(IntensityKernel.Stats s) {
    return Linalg.scaled(1.0 / n, s.gradientSum);
  }

  /** H v for the smoothed loss: Ŝv − (1/n) Σ √y_i μ²/φ_μ(z_i)³ (a_i^T v) a_i (one pass). */
  public double[] hessianTimes(double[] x, double mu, double[] v) {
    double[] correction = engine.pass(label + ": Hessian-vector pass", new CurvatureKernel.State(x, v, mu), CURVATURE).sum;
    double[] hv = Linalg.times(sHat, d, v);
    Linalg.axpy(-1.0 / n, correction, hv);
    return hv;
  }

  /** Y V = (1/n) Σ T(y_i) a_i (a_i^T V) for c vectors V (d×c), in one pass. */
  public double[] spectralTimes(double[] v, int c, SpectralWeight weight) {
    double[] s = engine.pass(label + ": spectral pass", new SpectralKernel.State(v, c, weight), SPECTRAL).sum;
    Linalg.scale(1.0 / n, s);
    return s;
  }

  /** n/d, the sampling ratio δ. */
  public double ratio() {
    return (double) n / d;
  }

  /** Ŝ^{-1} v. */
  public double[] solveSHat(double[] v) {
    return sHatFactor.solve(v);
  }

  /** dist(x, x*) = min(‖x − x*‖, ‖x + x*‖)/‖x*‖, or NaN when the truth is unknown. */
  public double distance(double[] x) {
    if (truth == null) {
      return Double.NaN;
    }
    double minus = 0;
    double plus = 0;
    for (int j = 0; j < d; j++) {
      minus += (x[j] - truth[j]) * (x[j] - truth[j]);
      plus += (x[j] + truth[j]) * (x[j] + truth[j]);
    }
    return Math.sqrt(Math.min(minus, plus)) / Linalg.norm(truth);
  }

  public boolean hasTruth() {
    return truth != null;
  }

  public double meanY() {
    return meanY;
  }

  public int d() {
    return d;
  }

  public long n() {
    return n;
  }

  /** Passes the engine has run so far. */
  public long passes() {
    return engine.passes();
  }

  /** Ŝ (a copy). */
  public double[] sHat() {
    return sHat.clone();
  }
}
