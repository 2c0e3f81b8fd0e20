package io.lowrank.theory;

/** Gauss–Legendre quadrature nodes and weights on [−1, 1] (Newton iteration on the Legendre polynomial). */
public final class GaussLegendre {
  private final double[] nodes;
  private final double[] weights;

  /** The {@code n}-point rule (n ≥ 1), exact for polynomials of degree ≤ 2n − 1. */
  public GaussLegendre(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("quadrature points must be >= 1, got " + n);
    }
    nodes = new double[n];
    weights = new double[n];
    for (int i = 0; i < (n + 1) / 2; i++) {
      double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double dp = 0;
      for (int iter = 0; iter < 100; iter++) {
        double p0 = 1;
        double p1 = x;
        for (int k = 2; k <= n; k++) {
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        if (n == 1) {
          p1 = x;
          p0 = 1;
        }
        dp = n * (x * p1 - p0) / (x * x - 1);
        double dx = p1 / dp;
        x -= dx;
        if (Math.abs(dx) < 1e-15) {
          break;
        }
      }
      double p0 = 1;
      double p1 = x;
      for (int k = 2; k <= n; k++) {
        double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (x * p1 - p0) / (x * x - 1);
      double w = 2 / ((1 - x * x) * dp * dp);
      nodes[i] = -x;
      nodes[n - 1 - i] = x;
      weights[i] = w;
      weights[n - 1 - i] = w;
    }
  }

  public int size() {
    return nodes.length;
  }

  /** Node k in [−1, 1]. */
  public double node(int k) {
    return nodes[k];
  }

  /** Weight k. */
  public double weight(int k) {
    return weights[k];
  }
}
