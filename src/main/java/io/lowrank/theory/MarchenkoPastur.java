package io.lowrank.theory;

/**
 * The Marchenko–Pastur law of the eigenvalues of W W^T for an N × M matrix W with i.i.d. N(0, 1/M) entries and
 * aspect ratio c = N/M ∈ (0, 1]: support [λ₋, λ₊] with λ± = (1 ± √c)², density
 * ρ(x) = √((λ₊ − x)(x − λ₋)) / (2π c x).
 */
public final class MarchenkoPastur {
  private final double c;

  /** @param c aspect ratio N/M in (0, 1] */
  public MarchenkoPastur(double c) {
    if (!(c > 0 && c <= 1)) {
      throw new IllegalArgumentException("c must be in (0, 1], got " + c);
    }
    this.c = c;
  }

  public double c() {
    return c;
  }

  /** λ₋ = (1 − √c)². */
  public double lower() {
    double r = 1 - Math.sqrt(c);
    return r * r;
  }

  /** λ₊ = (1 + √c)². */
  public double upper() {
    double r = 1 + Math.sqrt(c);
    return r * r;
  }

  /** ρ(x), 0 outside the support. */
  public double density(double x) {
    double lo = lower();
    double hi = upper();
    if (!(x > lo && x < hi)) {
      return 0;
    }
    return Math.sqrt((hi - x) * (x - lo)) / (2 * Math.PI * c * x);
  }

  /**
   * Quadrature for ∫ f(x) ρ(x) dx on [λ₋, λ₊] through x = (λ₊+λ₋)/2 + ((λ₊−λ₋)/2) cos φ: the square-root edges
   * become sin²φ and the integrand is smooth in φ, so Gauss–Legendre in φ ∈ [0, π] converges fast.
   *
   * @param points Gauss–Legendre points
   * @return nodes {@code x[k]} and weights {@code w[k]} (including ρ) with Σ w[k] f(x[k]) ≈ ∫ f ρ
   */
  public double[][] quadrature(int points) {
    GaussLegendre gl = new GaussLegendre(points);
    double a = (upper() + lower()) / 2;
    double b = (upper() - lower()) / 2;
    double[] x = new double[points];
    double[] w = new double[points];
    for (int k = 0; k < points; k++) {
      double phi = Math.PI / 2 * (gl.node(k) + 1);
      double s = Math.sin(phi);
      x[k] = a + b * Math.cos(phi);
      // dx = b sin φ dφ, √((λ₊−x)(x−λ₋)) = b sin φ, dφ = (π/2) dξ.
      w[k] = gl.weight(k) * Math.PI / 2 * b * b * s * s / (2 * Math.PI * c * x[k]);
    }
    return new double[][] {x, w};
  }
}
