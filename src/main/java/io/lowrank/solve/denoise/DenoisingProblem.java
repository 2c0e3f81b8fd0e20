package io.lowrank.solve.denoise;

import io.lowrank.data.Seeds;
import io.lowrank.engine.Engine;
import io.lowrank.linalg.Linalg;
import io.lowrank.model.DenoisingKernel;
import io.lowrank.solve.IterationLoop;
import java.util.SplittableRandom;

/**
 * A denoising instance as the solver sees it: the engine's row blocks of Y (N × M; {@code engine.rows()} = N,
 * {@code engine.dimension()} = M) times a scale, and the spikes (u, v) when known.
 *
 * <p><b>Scale.</b> The theory assumes W_ij ~ N(0, 1/M). Raw data Y_raw = θ_raw u v^T + σ Z with Z_ij ~ N(0, 1)
 * are brought to that convention by Y = Y_raw / (σ√M), i.e. {@code scale = 1/(σ√M)} and θ = θ_raw/(σ√M); the
 * scale is applied to the products on the driver, so the cached data stay as read. Generated instances already
 * follow the convention (scale 1).
 */
public final class DenoisingProblem {
  private static final DenoisingKernel KERNEL = new DenoisingKernel();

  /** The products of one pass at (x, y), already scaled. */
  public record Products(double[] yy, double[] ytx, double xYy) {}

  private final Engine engine;
  private final int n;
  private final int m;
  private final double scale;
  private final double[] u;
  private final double[] v;
  private IterationLoop.Listener listener = IterationLoop.Listener.NONE;
  private String label = "denoise";

  /**
   * @param scale multiplies Y (1 for data in the N(0, 1/M) convention; 1/(σ√M) for raw data with noise σ)
   * @param u left spike (unit), or null when unknown
   * @param v right spike (unit), or null when unknown
   */
  public DenoisingProblem(Engine engine, double scale, double[] u, double[] v) {
    if (engine.rows() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("N = " + engine.rows() + " rows is more than the driver vectors can hold");
    }
    this.engine = engine;
    this.n = (int) engine.rows();
    this.m = engine.dimension();
    if (n < 2) {
      throw new IllegalArgumentException("N must be >= 2, got " + n);
    }
    if (m < 2) {
      throw new IllegalArgumentException("M must be >= 2, got " + m);
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be a finite number > 0, got " + scale);
    }
    if ((u == null) != (v == null)) {
      throw new IllegalArgumentException("give both spikes u and v, or neither");
    }
    if (u != null && (u.length != n || v.length != m)) {
      throw new IllegalArgumentException("spikes have lengths " + u.length + " and " + v.length + ", expected N = " + n
          + " and M = " + m);
    }
    this.scale = scale;
    this.u = u == null ? null : u.clone();
    this.v = v == null ? null : v.clone();
  }

  /** The scale 1/(σ√M) for raw data with entrywise noise σ &gt; 0. */
  public static double rawScale(double sigma, int m) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("sigma must be a finite number > 0, got " + sigma);
    }
    return 1 / (sigma * Math.sqrt(m));
  }

  /** Names the passes that follow in the Spark UI. */
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

  public int n() {
    return n;
  }

  public int m() {
    return m;
  }

  /** c = N/M. */
  public double aspectRatio() {
    return (double) n / m;
  }

  public boolean hasSpikes() {
    return u != null;
  }

  /** ⟨x, u⟩ (NaN when u is unknown). */
  public double overlapU(double[] x) {
    return u == null ? Double.NaN : Linalg.dot(x, u);
  }

  /** ⟨y, v⟩ (NaN when v is unknown). */
  public double overlapV(double[] y) {
    return v == null ? Double.NaN : Linalg.dot(y, v);
  }

  /** The engine's passes so far. */
  public long passes() {
    return engine.passes();
  }

  /** One pass: Y y, Y^T x and x^T Y y. */
  public Products products(double[] x, double[] y) {
    if (x.length != n || y.length != m) {
      throw new IllegalArgumentException("x and y have lengths " + x.length + " and " + y.length + ", expected N = " + n
          + " and M = " + m);
    }
    DenoisingKernel.Products p = engine.pass(label + ": Yy and Y^T x", new DenoisingKernel.State(x, y), KERNEL);
    double[] yy = p.yTimesY(n);
    double[] ytx = p.yTx;
    if (scale != 1) {
      Linalg.scale(scale, yy);
      Linalg.scale(scale, ytx);
    }
    return new Products(yy, ytx, scale * p.xYy);
  }

  /**
   * One denoising pass on {@code engine} (row blocks of an N × M matrix) at random unit (x, y), the driver-side
   * assembly of Y y included, to be timed by a benchmark.
   */
  public static Runnable benchPass(Engine engine) {
    DenoisingProblem p = new DenoisingProblem(engine, 1, null, null);
    p.label("bench");
    SplittableRandom rng = new SplittableRandom(42);
    double[] x = Seeds.unitVector(p.n, rng);
    double[] y = Seeds.unitVector(p.m, rng);
    return () -> p.products(x, y);
  }

}
