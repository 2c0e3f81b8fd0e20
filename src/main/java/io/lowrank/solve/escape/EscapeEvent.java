package io.lowrank.solve.escape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One escape attempt, as the trace records it (NaN where a method does not compute a field).
 *
 * @param index 0, 1, … in the run
 * @param method what was done
 * @param step the global gradient step at which descent stalled
 * @param loss h(X̂)
 * @param gradientNorm ‖∇h(X̂)‖_F
 * @param distance ‖X̂X̂^T − M*‖_F
 * @param lambda λ_n of G
 * @param lanczosSteps products G v taken
 * @param sigma σ_r of X̂
 * @param delta δ_p used by the certificate (estimated or given)
 * @param daa Σ_i ⟨A_i, u v^T + v u^T⟩⟨A_i, u u^T⟩
 * @param efs the escape feasibility score
 * @param sign the sign of u_n kept (the one whose ρb step does not raise the lifted objective)
 * @param liftedSteps T
 * @param beta β̃(T)
 * @param logAbsGamma log |γ̃(T)|
 * @param lifted0 lifted objective at t = 0
 * @param liftedRho after the ρb step
 * @param liftedT at T
 * @param term the collapsed term: gamma, beta, line, random, restart
 * @param accepted whether the point moved
 * @param jumpNorm ‖X_new − X̂‖_F
 * @param lossAfter h at the new point (the first row of the next descent)
 * @param passes passes the escape took
 * @param seconds its wall time
 * @param stages the wall time of each of its stages
 * @param gridT the lifted objective's t grid (or the line search's steps)
 * @param gridF the lifted objective on it (for the chosen sign; or h along the best line direction)
 */
public record EscapeEvent(int index, Method method, long step, double loss, double gradientNorm, double distance,
    double lambda, int lanczosSteps, double sigma, double delta, double daa, double efs, int sign, long liftedSteps,
    double beta, double logAbsGamma, double lifted0, double liftedRho, double liftedT, String term, boolean accepted,
    double jumpNorm, double lossAfter, long passes, double seconds, Stages stages, double[] gridT, double[] gridF) {
  /**
   * Wall seconds of an escape's stages, in the order they run (NaN where the method has no such stage).
   *
   * @param gradient the pass for h and ∇h at X̂ (the residuals that define G)
   * @param lanczos the Lanczos products G v (one pass each) and the tridiagonal solves
   * @param delta the pass for δ_p and daa
   * @param c the pass for c = A*A(u v^T + v u^T) X̂
   * @param lifted the pass for the lifted objective on the t grid (SOD, random) or h on the step grid (line search)
   * @param collapse choosing the grid point and forming the next point on the driver (any method's move)
   */
  public record Stages(double gradient, double lanczos, double delta, double c, double lifted, double collapse) {
    /** CSV header of {@link #csv()}. */
    static final String CSV_HEADER = "gradient_seconds,lanczos_seconds,delta_seconds,c_seconds,lifted_seconds,"
        + "collapse_seconds";

    /** The analysis' four stages, nothing after them yet. */
    public static Stages analysis(double gradient, double lanczos, double delta, double c) {
      return new Stages(gradient, lanczos, delta, c, Double.NaN, Double.NaN);
    }

    /** The stages by name, in the order they run (summary.json's and bench.json's {@code stage_seconds}). */
    public Map<String, Double> byName() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("gradient", gradient);
      m.put("lanczos", lanczos);
      m.put("delta", delta);
      m.put("c", c);
      m.put("lifted", lifted);
      m.put("collapse", collapse);
      return m;
    }

    /** The same with the move's stages. */
    public Stages withMove(double liftedSeconds, double collapseSeconds) {
      return new Stages(gradient, lanczos, delta, c, liftedSeconds, collapseSeconds);
    }

    String csv() {
      // EscapeEvent.c: the component c hides the formatter's simple name here.
      return EscapeEvent.c(gradient) + "," + EscapeEvent.c(lanczos) + "," + EscapeEvent.c(delta) + ","
          + EscapeEvent.c(c) + "," + EscapeEvent.c(lifted) + "," + EscapeEvent.c(collapse);
    }
  }

  /** CSV header of {@link #csv()}. */
  public static final String CSV_HEADER = "escape,method,step,loss,gradient_norm,distance,lambda_n,lanczos_steps,"
      + "sigma_r,delta,daa,efs,sign,T,beta_T,log_abs_gamma_T,lifted_0,lifted_rho,lifted_T,term,accepted,jump_norm,"
      + "loss_after,passes,seconds," + Stages.CSV_HEADER;

  /** The same event with the loss after the move known. */
  public EscapeEvent withLossAfter(double h) {
    return new EscapeEvent(index, method, step, loss, gradientNorm, distance, lambda, lanczosSteps, sigma, delta, daa,
        efs, sign, liftedSteps, beta, logAbsGamma, lifted0, liftedRho, liftedT, term, accepted, jumpNorm, h, passes,
        seconds, stages, gridT, gridF);
  }

  public String csv() {
    return index + "," + method.id() + "," + step + "," + c(loss) + "," + c(gradientNorm) + "," + c(distance) + ","
        + c(lambda) + "," + lanczosSteps + "," + c(sigma) + "," + c(delta) + "," + c(daa) + "," + c(efs) + "," + sign
        + "," + liftedSteps + "," + c(beta) + "," + c(logAbsGamma) + "," + c(lifted0) + "," + c(liftedRho) + ","
        + c(liftedT) + "," + term + "," + accepted + "," + c(jumpNorm) + "," + c(lossAfter) + "," + passes + ","
        + c(seconds) + "," + stages.csv();
  }

  private static String c(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "";
  }
}
