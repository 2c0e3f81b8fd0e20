package io.lowrank.theory;

/**
 * The random-matrix-theory prediction for gradient flow on the spheres in rank-one matrix denoising,
 * Y = θ u v^T + W with u ∈ R^N, v ∈ R^M unit vectors, W_ij ~ N(0, 1/M), c = N/M:
 * <pre>
 *   x' = Y y − μ x,   y' = Y^T x − μ y,   μ = x^T Y y.
 * </pre>
 * For c ≤ 1, with ρ the Marchenko–Pastur density of W W^T ({@link MarchenkoPastur}),
 * ζ = (1+θ²)(c+θ²)/θ², s = √ζ, "above" = θ⁴ &gt; c (the BBP threshold θ_c = c^{1/4}),
 * α_u = (θ⁴−c)/(θ²(θ²+c)), α_v = (θ⁴−c)/(θ²(θ²+1)), and the bracketed spike terms present only when above:
 * <pre>
 *   C_uu(τ) = ∫ cosh(τ√x) c(1+θ²) ρ(x) / (θ²(ζ−x)) dx + [α_u cosh(sτ)]
 *   C_vv(τ) = ∫ cosh(τ√x) c(c+θ²) ρ(x) / (θ²(ζ−x)) dx + (1−c)/(1+θ²) + [α_v cosh(sτ)]
 *   S_uv(τ) = ∫ sinh(τ√x) √x c ρ(x) / (θ(ζ−x)) dx + [(θ⁴−c) sinh(sτ) / (θ³ s)]
 *   φ₁(τ) = ∫ cosh(τ√x) ρ(x) dx,   φ₂(τ) = c φ₁(τ) + (1−c)
 * </pre>
 * and, from the initial overlaps m_u0 = ⟨x₀,u⟩, m_v0 = ⟨y₀,v⟩: N_u(t) = m_u0 C_uu(t) + m_v0 S_uv(t),
 * N_v(t) = m_v0 C_vv(t) + m_u0 S_uv(t), n₂(t) = ½[m_u0² C_uu(2t) + m_v0² C_vv(2t) + 2 m_u0 m_v0 S_uv(2t)
 * + (1−m_u0²) φ₁(2t) + (1−m_v0²) φ₂(2t)]; the predicted overlaps are ⟨x_t,u⟩ = N_u/√n₂, ⟨y_t,v⟩ = N_v/√n₂ and
 * μ(t) = n₂'(t) / (2 n₂(t)).
 *
 * <p>For c &gt; 1 the roles of u and v are swapped: the flow for (c, θ) at time t is the flow
 * for (1/c, θ/√c) with u ↔ v at time t√c, and μ scales by √c (the closed forms for α_u, α_v, the threshold and
 * the critical ratio are the same expressions in c and θ).
 *
 * <p>Numerics: integrals by Gauss–Legendre in φ after x = (λ₊+λ₋)/2 + ((λ₊−λ₋)/2) cos φ; every quantity at τ is
 * computed times e^{−Λτ} with Λ = s above the threshold and √λ₊ below, so nothing overflows at large τ and the
 * factor cancels in the ratios.
 */
public final class RankOneDenoisingTheory {
  /** Quadrature points: the integrand has a kink of width ~√(ζ−λ₊) near the threshold, so be generous. */
  private static final int POINTS = 800;

  /** One predicted point of the trajectory. */
  public record Point(double t, double overlapU, double overlapV, double mu) {}

  private final double c;
  private final double theta;
  /** For c &gt; 1: the transposed problem (1/c, θ/√c); null otherwise. */
  private final RankOneDenoisingTheory transposed;
  // c <= 1 only:
  private final double zeta;
  private final double s;
  private final boolean above;
  private final double lambda;
  private final double[] x;
  private final double[] sqrtX;
  private final double[] wUu;
  private final double[] wVv;
  private final double[] wUv;
  private final double[] w;

  private RankOneDenoisingTheory(double c, double theta) {
    this.c = c;
    this.theta = theta;
    if (c > 1) {
      transposed = new RankOneDenoisingTheory(1 / c, theta / Math.sqrt(c));
      zeta = transposed.zeta * c;
      s = Math.sqrt(zeta);
      above = transposed.above;
      lambda = Double.NaN;
      x = sqrtX = wUu = wVv = wUv = w = null;
      return;
    }
    transposed = null;
    double t2 = theta * theta;
    zeta = (1 + t2) * (c + t2) / t2;
    s = Math.sqrt(zeta);
    above = t2 * t2 > c;
    MarchenkoPastur mp = new MarchenkoPastur(c);
    lambda = above ? Math.max(s, Math.sqrt(mp.upper())) : Math.sqrt(mp.upper());
    double[][] q = mp.quadrature(POINTS);
    x = q[0];
    w = q[1];
    int n = x.length;
    sqrtX = new double[n];
    wUu = new double[n];
    wVv = new double[n];
    wUv = new double[n];
    for (int k = 0; k < n; k++) {
      sqrtX[k] = Math.sqrt(x[k]);
      double g = w[k] / (zeta - x[k]);
      wUu[k] = g * c * (1 + t2) / t2;
      wVv[k] = g * c * (c + t2) / t2;
      wUv[k] = g * sqrtX[k] * c / theta;
    }
  }

  /**
   * The theory for aspect ratio c = N/M and signal strength θ.
   *
   * @param c N/M, any positive ratio (c &gt; 1 is handled by transposing)
   * @param theta θ &gt; 0
   */
  public static RankOneDenoisingTheory of(double c, double theta) {
    if (!(c > 0) || !Double.isFinite(c)) {
      throw new IllegalArgumentException("c (= N/M) must be a finite number > 0, got " + c);
    }
    if (!(theta > 0) || !Double.isFinite(theta)) {
      throw new IllegalArgumentException("theta must be a finite number > 0, got " + theta);
    }
    return new RankOneDenoisingTheory(c, theta);
  }

  public double c() {
    return c;
  }

  public double theta() {
    return theta;
  }

  /** The BBP threshold θ_c = c^{1/4}. */
  public double threshold() {
    return Math.pow(c, 0.25);
  }

  /** θ⁴ &gt; c: the overlaps tend to non-zero limits. */
  public boolean above() {
    return above;
  }

  /** ζ = (1+θ²)(c+θ²)/θ² (s² = the squared top singular value of Y above the threshold). */
  public double zeta() {
    return zeta;
  }

  /** α_u = (θ⁴−c)/(θ²(θ²+c)) above the threshold, else 0: the limit of ⟨x_t,u⟩². */
  public double alphaU() {
    double t2 = theta * theta;
    return above ? (t2 * t2 - c) / (t2 * (t2 + c)) : 0;
  }

  /** α_v = (θ⁴−c)/(θ²(θ²+1)) above the threshold, else 0: the limit of ⟨y_t,v⟩². */
  public double alphaV() {
    double t2 = theta * theta;
    return above ? (t2 * t2 - c) / (t2 * (t2 + 1)) : 0;
  }

  /** The critical ("infeasible") initial ratio m_u0/m_v0 = −√((θ²+c)/(θ²+1)): the limit's sign flips across it. */
  public double criticalRatio() {
    double t2 = theta * theta;
    return -Math.sqrt((t2 + c) / (t2 + 1));
  }

  /**
   * The large-t limits {⟨x,u⟩, ⟨y,v⟩, μ}: above the threshold sign·(√α_u, √α_v) with
   * sign = sign(m_u0√α_u + m_v0√α_v), and μ → s; below, overlaps 0 and μ → √λ₊ (the bulk edge).
   */
  public double[] limit(double mu0, double mv0) {
    checkOverlaps(mu0, mv0);
    double au = Math.sqrt(alphaU());
    double av = Math.sqrt(alphaV());
    if (!above) {
      double edge = 1 + Math.sqrt(Math.min(c, 1 / c));
      return new double[] {0, 0, edge * Math.sqrt(Math.max(c, 1))};
    }
    double sign = Math.signum(mu0 * au + mv0 * av);
    return new double[] {sign * au, sign * av, s};
  }

  /** The predicted overlaps and μ at time t ≥ 0 from initial overlaps (m_u0, m_v0), |m| ≤ 1. */
  public Point predict(double t, double mu0, double mv0) {
    checkOverlaps(mu0, mv0);
    if (!(t >= 0) || Double.isInfinite(t)) {
      throw new IllegalArgumentException("t must be a finite number >= 0, got " + t);
    }
    if (transposed != null) {
      double rc = Math.sqrt(c);
      Point p = transposed.predict(t * rc, mv0, mu0);
      return new Point(t, p.overlapV(), p.overlapU(), p.mu() * rc);
    }
    double[] a = scaled(t);
    double[] b = scaled(2 * t);
    double nu = mu0 * a[0] + mv0 * a[2];
    double nv = mv0 * a[1] + mu0 * a[2];
    double big = mu0 * mu0 * b[0] + mv0 * mv0 * b[1] + 2 * mu0 * mv0 * b[2] + (1 - mu0 * mu0) * b[3]
        + (1 - mv0 * mv0) * b[4];
    double bigPrime = mu0 * mu0 * b[5] + mv0 * mv0 * b[6] + 2 * mu0 * mv0 * b[7] + (1 - mu0 * mu0) * b[8]
        + (1 - mv0 * mv0) * b[9];
    double n2 = big / 2;
    return new Point(t, nu / Math.sqrt(n2), nv / Math.sqrt(n2), bigPrime / big);
  }

  /** The trajectory at t = 0, dt, 2 dt, ..., steps·dt. */
  public Point[] trajectory(double dt, int steps, double mu0, double mv0) {
    Point[] out = new Point[steps + 1];
    for (int k = 0; k <= steps; k++) {
      out[k] = predict(k * dt, mu0, mv0);
    }
    return out;
  }

  /**
   * The unscaled masses {C_uu, C_vv, S_uv, φ₁, φ₂} at τ (finite only while e^{sτ} is; for checks at small τ). All
   * equal 1 at τ = 0 except S_uv(0) = 0. Only for c ≤ 1.
   */
  public double[] masses(double tau) {
    if (transposed != null) {
      throw new IllegalStateException("masses are defined for c <= 1; this theory has c = " + c);
    }
    double[] v = scaled(tau);
    double e = Math.exp(lambda * tau);
    return new double[] {v[0] * e, v[1] * e, v[2] * e, v[3] * e, v[4] * e};
  }

  /**
   * {C_uu, C_vv, S_uv, φ₁, φ₂} and their τ-derivatives at τ, all times e^{−Λτ}.
   */
  private double[] scaled(double tau) {
    double cuu = 0;
    double cvv = 0;
    double suv = 0;
    double phi = 0;
    double dcuu = 0;
    double dcvv = 0;
    double dsuv = 0;
    double dphi = 0;
    for (int k = 0; k < x.length; k++) {
      double r = sqrtX[k];
      double ep = Math.exp((r - lambda) * tau);
      double em = Math.exp(-(r + lambda) * tau);
      double ch = 0.5 * (ep + em);
      double sh = 0.5 * (ep - em);
      cuu += wUu[k] * ch;
      cvv += wVv[k] * ch;
      suv += wUv[k] * sh;
      phi += w[k] * ch;
      dcuu += wUu[k] * r * sh;
      dcvv += wVv[k] * r * sh;
      dsuv += wUv[k] * r * ch;
      dphi += w[k] * r * sh;
    }
    double decay = Math.exp(-lambda * tau);
    cvv += (1 - c) / (1 + theta * theta) * decay;
    if (above) {
      double ep = Math.exp((s - lambda) * tau);
      double em = Math.exp(-(s + lambda) * tau);
      double ch = 0.5 * (ep + em);
      double sh = 0.5 * (ep - em);
      double t2 = theta * theta;
      double au = alphaU();
      double av = alphaV();
      double g = (t2 * t2 - c) / (t2 * theta * s);
      cuu += au * ch;
      cvv += av * ch;
      suv += g * sh;
      dcuu += au * s * sh;
      dcvv += av * s * sh;
      dsuv += g * s * ch;
    }
    double phi2 = c * phi + (1 - c) * decay;
    double dphi2 = c * dphi;
    return new double[] {cuu, cvv, suv, phi, phi2, dcuu, dcvv, dsuv, dphi, dphi2};
  }

  private static void checkOverlaps(double mu0, double mv0) {
    if (!(Math.abs(mu0) <= 1)) {
      throw new IllegalArgumentException("mu0 (initial overlap <x0,u>) must be in [-1, 1], got " + mu0);
    }
    if (!(Math.abs(mv0) <= 1)) {
      throw new IllegalArgumentException("mv0 (initial overlap <y0,v>) must be in [-1, 1], got " + mv0);
    }
  }
}
