package io.lowrank.solve.phase;

import io.lowrank.data.Seeds;
import io.lowrank.linalg.Linalg;
import io.lowrank.linalg.SymmetricEigen;
import io.lowrank.model.SpectralWeight;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Spectral initialisation: the top eigenvector of Y = (1/n) Σ T(y_i) a_i a_i^T, scaled to norm √(mean y), found by
 * block Lanczos: each pass multiplies a block of {@code block} vectors (one dgemm per data block, about the cost of
 * one product on a memory-bound pass), the Krylov basis is kept orthonormal by full reorthogonalisation, and the
 * Ritz pair comes from Rayleigh–Ritz on the stored products (no extra pass for the residual). Block size 1 is plain
 * Lanczos.
 *
 * @param preprocessing T: {@link Preprocessing#TRIMMED} (y, 0 above truncation · mean y) or {@link
 *     Preprocessing#OPTIMAL} (see {@link SpectralWeight.Optimal})
 * @param truncation multiple of mean y above which measurements are left out (0: keep all); TRIMMED only
 * @param block vectors per pass (≥ 1)
 * @param maxSteps passes at most (the basis is capped at d vectors)
 * @param tol stop when the Ritz residual ‖Y v − θ v‖ ≤ tol·θ
 * @param seed seed of the starting block
 */
public record SpectralInitializer(Preprocessing preprocessing, double truncation, int block, int maxSteps,
    double tol, long seed) implements Serializable {
  /** The function of y the spectral matrix weighs a_i a_i^T with. */
  public enum Preprocessing {
    TRIMMED, OPTIMAL;

    /** The config spelling: trimmed, optimal. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the config spelling. */
    public static Preprocessing of(String key, String id) {
      for (Preprocessing p : values()) {
        if (p.id().equals(id)) {
          return p;
        }
      }
      throw new IllegalArgumentException(key + " must be trimmed or optimal, got '" + id + "'");
    }
  }

  public SpectralInitializer {
    if (preprocessing == null) {
      throw new IllegalArgumentException("spectral.preprocessing must be given");
    }
    if (!(truncation >= 0) || Double.isInfinite(truncation)) {
      throw new IllegalArgumentException("spectral.truncation must be >= 0 (0 = none), got " + truncation);
    }
    if (block < 1) {
      throw new IllegalArgumentException("spectral.block must be >= 1, got " + block);
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("spectral.max-steps must be >= 1, got " + maxSteps);
    }
    if (!(tol > 0)) {
      throw new IllegalArgumentException("spectral.tol must be > 0, got " + tol);
    }
  }

  /** Plain Lanczos on the trimmed matrix (the start before the optimal preprocessing existed). */
  public SpectralInitializer(double truncation, int maxSteps, double tol, long seed) {
    this(Preprocessing.TRIMMED, truncation, 1, maxSteps, tol, seed);
  }

  /**
   * Defaults: the optimal preprocessing, blocks of 2 vectors, up to 60 passes, Ritz tolerance 1e-2. The spectral
   * estimate is itself far from x* (distance 0.39 at n/d = 8, 0.59 at 3, d = 100), so a more accurate eigenvector
   * buys nothing but passes: at d = 100, n/d = 3…8, tolerance 1e-2 moves the start's distance by under 1e-3 against
   * 1e-6 and takes 7–11 passes instead of 14–22 (block 1: 15–25).
   */
  public static SpectralInitializer defaults(long seed) {
    return new SpectralInitializer(Preprocessing.OPTIMAL, 0.0, 2, 60, 1e-2, seed);
  }

  /** The same start with another seed (one per trial instance). */
  public SpectralInitializer withSeed(long newSeed) {
    return new SpectralInitializer(preprocessing, truncation, block, maxSteps, tol, newSeed);
  }

  /** T for this problem (the optimal weight needs n/d &gt; 1; below it the plain matrix is used). */
  public SpectralWeight weight(PhaseRetrievalProblem p) {
    if (preprocessing == Preprocessing.OPTIMAL && p.ratio() > 1) {
      return new SpectralWeight.Optimal(p.meanY(), p.ratio());
    }
    double yMax = truncation > 0 ? truncation * p.meanY() : Double.POSITIVE_INFINITY;
    return new SpectralWeight.Trimmed(yMax);
  }

  /** Returns x_0. */
  public double[] initialize(PhaseRetrievalProblem p) {
    int d = p.d();
    SpectralWeight weight = weight(p);
    int b = Math.min(block, d);
    SplittableRandom rng = Seeds.stream(seed, 0x5EC7L);
    double[] q = new double[d * b];
    for (int j = 0; j < q.length; j++) {
      q[j] = rng.nextGaussian();
    }
    int capacity = (int) Math.min(d, (long) b * (maxSteps + 1));
    double[] basis = new double[d * capacity]; // orthonormal columns, the first `size` in use
    double[] products = new double[d * capacity]; // Y times each basis column
    int size = orthonormalizeInto(q, b, basis, 0, d, capacity);
    int fresh = size; // the newest columns, not yet multiplied by Y
    double[] top = java.util.Arrays.copyOf(basis, d);
    for (int pass = 0; pass < maxSteps && fresh > 0; pass++) {
      int first = size - fresh;
      double[] block = java.util.Arrays.copyOfRange(basis, first * d, size * d);
      double[] yb = p.spectralTimes(block, fresh, weight);
      System.arraycopy(yb, 0, products, first * d, fresh * d);
      // Rayleigh–Ritz on span(basis): T = B^T (Y B), its top eigenpair, the residual from the stored products.
      double[] t = new double[size * size];
      Linalg.gemm(true, false, size, size, d, 1.0, basis, products, 0.0, t);
      Linalg.symmetricPart(t, size);
      SymmetricEigen ritz = SymmetricEigen.of(t, size);
      double theta = ritz.value(size - 1);
      double[] s = ritz.vector(size - 1);
      top = new double[d];
      double[] ytop = new double[d];
      Linalg.gemm(false, false, d, 1, size, 1.0, basis, s, 0.0, top);
      Linalg.gemm(false, false, d, 1, size, 1.0, products, s, 0.0, ytop);
      Linalg.axpy(-theta, top, ytop);
      if (Linalg.norm(ytop) <= tol * Math.abs(theta)) {
        break;
      }
      // The next block: Y times the newest block, orthogonalised against the whole basis.
      fresh = orthonormalizeInto(yb, fresh, basis, size, d, capacity);
      size += fresh;
    }
    Linalg.scale(Math.sqrt(p.meanY()) / Linalg.norm(top), top);
    return top;
  }

  /**
   * Appends the columns of w (d×c) to basis after column {@code size} (up to {@code capacity} columns), each orthogonalised twice against all earlier
   * columns and normalised; columns that vanish (dependent) are dropped. Returns how many were appended.
   */
  private static int orthonormalizeInto(double[] w, int c, double[] basis, int size, int d, int capacity) {
    int added = 0;
    for (int k = 0; k < c && size + added < capacity; k++) {
      double[] v = java.util.Arrays.copyOfRange(w, k * d, (k + 1) * d);
      double before = Linalg.norm(v);
      for (int sweep = 0; sweep < 2; sweep++) {
        for (int j = 0; j < size + added; j++) {
          double dot = 0;
          for (int i = 0; i < d; i++) {
            dot += basis[i + j * d] * v[i];
          }
          for (int i = 0; i < d; i++) {
            v[i] -= dot * basis[i + j * d];
          }
        }
      }
      double norm = Linalg.norm(v);
      if (!(norm > 1e-10 * before) || norm == 0) {
        continue;
      }
      for (int i = 0; i < d; i++) {
        basis[i + (size + added) * d] = v[i] / norm;
      }
      added++;
    }
    return added;
  }
}
