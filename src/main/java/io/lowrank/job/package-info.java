/**
 * The command line and everything a job needs around the solvers: {@link io.lowrank.job.Main} (the
 * {@code lowrank} command, its exit codes and the list of commands), {@link io.lowrank.job.CommonOptions} (the
 * shared flags), {@link io.lowrank.job.JobConfig} (reference.conf &lt; conf file &lt; --set &lt; flags, validated),
 * {@link io.lowrank.job.SparkSessions}, {@link io.lowrank.io.OutputDir} (atomic outputs on any Hadoop
 * FileSystem) and {@link io.lowrank.job.Reports} (summary JSON, estimate CSV, convergence PNG, console text).
 * Launched by {@code jobs/lowrank} or by {@code spark-submit --class io.lowrank.job.Main}.
 */
package io.lowrank.job;
