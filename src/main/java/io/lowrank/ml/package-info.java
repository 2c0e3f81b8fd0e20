/**
 * spark.ml Estimators over the library: {@link io.lowrank.ml.PhaseRetrieval} (y_i = (a_i^T x*)²) fits a
 * {@link io.lowrank.ml.PhaseRetrievalModel} (x̂ as an ml {@code Vector}), {@link io.lowrank.ml.MatrixSensing}
 * (rank-one sensing y_i = ‖X*^T a_i‖²) fits a {@link io.lowrank.ml.MatrixSensingModel} (X̂ as an ml {@code Matrix}).
 *
 * <p>They read a DataFrame with a features column (an ml {@code Vector}, dense or sparse, or an array of numbers) and
 * a numeric label column and fit through the run layer ({@link io.lowrank.run.PhaseRetrievalRun},
 * {@link io.lowrank.run.SensingRun} with {@link io.lowrank.run.Input#frame}): the rows become the engine's cached
 * blocks ({@link io.lowrank.io.FrameReader}), the start and the chosen solver run on Spark (one job per pass), and the
 * blocks are released. The model's {@code summary()} says how the solve ended, its {@code trace()} is the
 * per-iteration trace as a DataFrame, and {@code transform} adds the predicted intensity. Params are validated when set, with Spark's messages; their defaults are the library's
 * ({@code reference.conf}). Estimators and models save and load with {@code MLWritable}/{@code MLReadable} in Spark's
 * layout (a {@code metadata} JSON line, model data as Parquet), so they work inside a {@code Pipeline}, after a
 * {@code VectorAssembler}, and a saved {@code PipelineModel} loads back.
 *
 * <p>What the families share is written once: {@link io.lowrank.ml.RecoveryEstimator} and
 * {@link io.lowrank.ml.RecoveryModel} (as Spark's {@code Predictor} and {@code PredictionModel}) hold the uid, the
 * setters, {@code fit}'s sequence, {@code transform}, {@code copy} and saving; the params interfaces' default accessors
 * read the instance's {@link io.lowrank.ml.ParamDefs}. Each class keeps its static {@code read()} and {@code load}.
 */
package io.lowrank.ml;
