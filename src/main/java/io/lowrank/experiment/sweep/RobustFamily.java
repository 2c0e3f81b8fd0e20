package io.lowrank.experiment.sweep;

import io.lowrank.run.ConfigValues;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Robust recovery: the runs of {@code lowrank sensing} with gross outliers — the ℓ1 (lq, Huber) losses, SubGM and the
 * scaled sub-gradient method, and the ℓ2 solvers on the same corrupted data for comparison — over any key of the
 * {@code sensing} section ({@code outliers} p, {@code outlier-kind}, {@code loss}, {@code solver}, {@code m},
 * {@code d}, {@code r}, {@code operator}: gaussian, generated, rank-one, completion, asymmetric, ...). The instances,
 * seeds and engines are the sensing family's; what differs is success: the relative error ‖XXᵀ − M*‖_F/‖M*‖_F at
 * most the sweep key {@code success} ({@code sweep.robust-success}, 1e-3), since a sub-gradient method's {@code tol}
 * is a stopping rule its decaying step may never meet.
 */
final class RobustFamily extends SensingFamily {
  private static final long serialVersionUID = 1L;
  /** The config key of the success threshold. */
  static final String SUCCESS = "sweep.robust-success";

  @Override
  public String name() {
    return "robust";
  }

  @Override
  public Map<String, String> outsideKeys() {
    return Map.of("partitions", "partitions", "success", SUCCESS);
  }

  @Override
  public LinkedHashMap<String, Type> metrics() {
    LinkedHashMap<String, Type> m = new LinkedHashMap<>();
    m.put("status", Type.STRING);
    m.put("iterations", Type.INT);
    m.put("relative_error", Type.DOUBLE);
    m.put("success", Type.BOOLEAN);
    m.put("iterations_to_success", Type.INT);
    m.put("final_loss", Type.DOUBLE);
    m.put("passes", Type.INT);
    m.put("seconds", Type.DOUBLE);
    return m;
  }

  @Override
  public void check(ConfigValues cell) {
    super.check(cell);
    cell.positiveDouble(SUCCESS);
  }

  @Override
  double success(ConfigValues cell) {
    return cell.positiveDouble(SUCCESS);
  }
}
