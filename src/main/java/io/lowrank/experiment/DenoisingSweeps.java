package io.lowrank.experiment;

import io.lowrank.run.ConfigValues;
import io.lowrank.run.DenoisingRun;
import io.lowrank.run.DenoisingSettings;
import io.lowrank.solve.denoise.SphericalGradientDescent;
import io.lowrank.theory.RankOneDenoisingTheory;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The sweeps of rank-one denoising, each point a run on Spark: final overlaps against θ across the BBP threshold
 * (sweep-theta.csv), and the final sign of ⟨x,u⟩ against the ratio of initial overlaps m_u0/m_v0 around the
 * critical ratio (sweep-ratio.csv).
 */
public final class DenoisingSweeps {
  private DenoisingSweeps() {}

  /** {@code denoise.sweep-points} values of θ from sweep-theta-from to sweep-theta-to, one generated matrix each. */
  public static String theta(SparkSession spark, ConfigValues cfg, DenoisingSettings s) {
    double from = cfg.positiveDouble("denoise.sweep-theta-from");
    double to = cfg.positiveDouble("denoise.sweep-theta-to");
    int points = cfg.positiveInt("denoise.sweep-points");
    StringBuilder sb = new StringBuilder("theta,sim_u,sim_v,theory_u,theory_v,limit_u,limit_v\n");
    for (int i = 0; i < points; i++) {
      double th = points == 1 ? from : from + (to - from) * i / (points - 1);
      DenoisingRun.Outcome o = DenoisingRun.run(spark, s.with("theta", th));
      SphericalGradientDescent.Run run = o.path();
      int last = run.size() - 1;
      RankOneDenoisingTheory.Point q = o.theory().predict(run.t()[last], s.mu0(), s.mv0());
      double[] lim = o.theory().limit(s.mu0(), s.mv0());
      sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s%n", th, run.overlapU()[last], run.overlapV()[last],
          q.overlapU(), q.overlapV(), lim[0], lim[1]));
    }
    return sb.toString();
  }

  /** {@code denoise.sweep-points} ratios m_u0/m_v0 (m_v0 fixed) on one generated matrix. */
  public static String ratio(SparkSession spark, ConfigValues cfg, DenoisingSettings s) {
    double from = cfg.finiteDouble("denoise.sweep-ratio-from");
    double to = cfg.finiteDouble("denoise.sweep-ratio-to");
    int points = cfg.positiveInt("denoise.sweep-points");
    if (s.mv0() == 0) {
      throw new IllegalArgumentException("denoise.mv0 must be non-zero for sweep = ratio (m_u0 = ratio * m_v0)");
    }
    double[] ratios = new double[points];
    double[] mu0s = new double[points];
    for (int i = 0; i < points; i++) {
      ratios[i] = points == 1 ? from : from + (to - from) * i / (points - 1);
      mu0s[i] = ratios[i] * s.mv0();
      if (Math.abs(mu0s[i]) > 1) {
        throw new IllegalArgumentException("sweep ratio " + ratios[i] + " gives m_u0 = " + mu0s[i] + " outside [-1, 1]: "
            + "narrow denoise.sweep-ratio-from/to or lower denoise.mv0");
      }
    }
    RankOneDenoisingTheory theory = RankOneDenoisingTheory.of((double) s.n() / s.m(), s.theta());
    List<SphericalGradientDescent.Run> runs = DenoisingRun.paths(spark, s, mu0s, "denoise ratio sweep");
    StringBuilder sb = new StringBuilder("ratio,mu0,mv0,sim_u,sim_v,sim_sign,theory_u,theory_v,theory_sign\n");
    for (int i = 0; i < points; i++) {
      SphericalGradientDescent.Run run = runs.get(i);
      int last = run.size() - 1;
      RankOneDenoisingTheory.Point q = theory.predict(run.t()[last], mu0s[i], s.mv0());
      sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,%s%n", ratios[i], mu0s[i], s.mv0(),
          run.overlapU()[last], run.overlapV()[last], Math.signum(run.overlapU()[last]), q.overlapU(), q.overlapV(),
          Math.signum(theory.limit(mu0s[i], s.mv0())[0])));
    }
    return sb.toString();
  }
}
