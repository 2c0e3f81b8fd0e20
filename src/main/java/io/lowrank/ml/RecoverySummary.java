package io.lowrank.ml;

import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How a fit ended: the solver, its status, iterations, passes over the data, wall time, final loss, the distance to
 * the truth when one was given, and the per-iteration trace. Saved and loaded with the model.
 */
public final class RecoverySummary implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Schema of {@link #trace(SparkSession)}: the columns of {@link Trace#CSV_HEADER}, empty cells as nulls. */
  public static final StructType TRACE_SCHEMA = new StructType()
      .add("iteration", DataTypes.IntegerType, false)
      .add("loss", DataTypes.DoubleType, true)
      .add("gradient_norm", DataTypes.DoubleType, true)
      .add("mu", DataTypes.DoubleType, true)
      .add("step_norm", DataTypes.DoubleType, true)
      .add("distance_to_truth", DataTypes.DoubleType, true)
      .add("passes", DataTypes.LongType, false)
      .add("wall_ms", DataTypes.LongType, false);

  private final String solver;
  private final Status status;
  private final long passes;
  private final double seconds;
  private final double distance;
  private final long rows;
  private final int d;
  // The trace column by column: Trace.Record is not Serializable, and models must be.
  private final int[] iteration;
  private final double[] loss;
  private final double[] gradientNorm;
  private final double[] mu;
  private final double[] stepNorm;
  private final double[] traceDistance;
  private final long[] tracePasses;
  private final long[] wallMs;

  RecoverySummary(String solver, Status status, long passes, double seconds, double distance, long rows, int d,
      List<Trace.Record> trace) {
    this.solver = solver;
    this.status = status;
    this.passes = passes;
    this.seconds = seconds;
    this.distance = distance;
    this.rows = rows;
    this.d = d;
    int k = trace.size();
    iteration = new int[k];
    loss = new double[k];
    gradientNorm = new double[k];
    mu = new double[k];
    stepNorm = new double[k];
    traceDistance = new double[k];
    tracePasses = new long[k];
    wallMs = new long[k];
    for (int i = 0; i < k; i++) {
      Trace.Record r = trace.get(i);
      iteration[i] = r.iteration();
      loss[i] = r.loss();
      gradientNorm[i] = r.gradientNorm();
      mu[i] = r.mu();
      stepNorm[i] = r.stepNorm();
      traceDistance[i] = r.distance();
      tracePasses[i] = r.passes();
      wallMs[i] = r.wallMs();
    }
  }

  /** The summary of a solver's result; {@code distance} is NaN without a truth. */
  static RecoverySummary of(String solver, Result result, double distance, long rows, int d) {
    return new RecoverySummary(solver, result.status(), result.passes(), result.seconds(), distance, rows, d,
        result.trace().records());
  }

  /** The solver that ran. */
  public String solver() {
    return solver;
  }

  /** How the solve ended: CONVERGED, STALLED, MAX_ITER or DIVERGED. */
  public Status status() {
    return status;
  }

  /** Iterations taken (the start is not an iteration). */
  public int iterations() {
    return iteration.length - 1;
  }

  /** Distributed passes over the data, set-up and initialisation included. */
  public long passes() {
    return passes;
  }

  /** Wall-clock seconds of the solve (set-up pass, start and iterations; not the load). */
  public double seconds() {
    return seconds;
  }

  /** The objective at the estimate (the trace's last loss). */
  public double finalLoss() {
    return loss[loss.length - 1];
  }

  /**
   * The distance to the truth, when one was given: dist(x̂, x*) = min‖x̂ ∓ x*‖/‖x*‖ for phase retrieval, the relative
   * error ‖X̂X̂^T − M*‖_F/‖M*‖_F for matrix sensing.
   */
  public OptionalDouble distanceToTruth() {
    return Double.isNaN(distance) ? OptionalDouble.empty() : OptionalDouble.of(distance);
  }

  /** Rows (measurements) n the model was fit on. */
  public long rows() {
    return rows;
  }

  /** Dimension d of the sensing vectors. */
  public int d() {
    return d;
  }

  /** The per-iteration records (row 0 = the start); quantities that do not apply are NaN. */
  public List<Trace.Record> records() {
    List<Trace.Record> out = new ArrayList<>(iteration.length);
    for (int i = 0; i < iteration.length; i++) {
      out.add(new Trace.Record(iteration[i], loss[i], gradientNorm[i], mu[i], stepNorm[i], traceDistance[i],
          tracePasses[i], wallMs[i]));
    }
    return out;
  }

  /** The trace as a DataFrame of {@link #TRACE_SCHEMA} (cells that do not apply are null, never NaN). */
  public Dataset<Row> trace(SparkSession spark) {
    return spark.createDataFrame(traceRows(), TRACE_SCHEMA);
  }

  List<Row> traceRows() {
    List<Row> out = new ArrayList<>(iteration.length);
    for (int i = 0; i < iteration.length; i++) {
      out.add(RowFactory.create(iteration[i], cell(loss[i]), cell(gradientNorm[i]), cell(mu[i]), cell(stepNorm[i]),
          cell(traceDistance[i]), tracePasses[i], wallMs[i]));
    }
    return out;
  }

  /** Schema of the one-row summary saved with a model. */
  static final StructType SCALARS_SCHEMA = new StructType()
      .add("solver", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("passes", DataTypes.LongType, false)
      .add("seconds", DataTypes.DoubleType, false)
      .add("distance_to_truth", DataTypes.DoubleType, true)
      .add("rows", DataTypes.LongType, false)
      .add("d", DataTypes.IntegerType, false);

  /** The scalars as values of {@link #SCALARS_SCHEMA}. */
  Object[] scalars() {
    return new Object[] {solver, status.name(), passes, seconds, cell(distance), rows, d};
  }

  /** Rebuilds a summary from a row whose fields {@code offset..} are {@link #scalars()}, and saved trace rows. */
  static RecoverySummary of(Row row, int offset, List<Row> trace) {
    List<Trace.Record> records = new ArrayList<>(trace.size());
    for (Row t : trace) {
      records.add(new Trace.Record(t.getInt(0), value(t, 1), value(t, 2), value(t, 3), value(t, 4), value(t, 5),
          t.getLong(6), t.getLong(7)));
    }
    return new RecoverySummary(row.getString(offset), Status.valueOf(row.getString(offset + 1)),
        row.getLong(offset + 2), row.getDouble(offset + 3), value(row, offset + 4), row.getLong(offset + 5),
        row.getInt(offset + 6), records);
  }

  private static Double cell(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static double value(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(solver).append(": ").append(status).append(" after ").append(iterations())
        .append(" iterations (").append(passes).append(" passes, ").append(String.format(Locale.ROOT, "%.2f", seconds))
        .append(" s), loss ").append(String.format(Locale.ROOT, "%.3e", finalLoss()));
    if (!Double.isNaN(distance)) {
      sb.append(", distance to truth ").append(String.format(Locale.ROOT, "%.3e", distance));
    }
    return sb.append(", n = ").append(rows).append(", d = ").append(d).toString();
  }
}
