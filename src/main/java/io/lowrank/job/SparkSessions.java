package io.lowrank.job;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a job. Under {@code spark-submit} the submitted master ({@code spark.master}) is kept
 * unless a master was given explicitly; run directly ({@code jobs/lowrank}) the default is {@code local[*]}.
 * For local masters the driver binds to 127.0.0.1 (no dependence on the machine's network setup). Logging is
 * configured by the launcher ({@code -Dlog4j2.configurationFile=conf/log4j2.properties}).
 */
public final class SparkSessions {
  /** The master used when none is given and none was submitted. */
  public static final String DEFAULT_MASTER = "local[*]";

  private SparkSessions() {}

  /**
   * Gets or creates the session.
   *
   * @param master the master given explicitly (flag, --set or conf file), or {@code null} to keep the submitted
   *     one / use {@value #DEFAULT_MASTER}; see {@link JobConfig#explicitMaster()}
   * @param appName shown in the Spark UI
   */
  public static SparkSession create(String master, String appName) {
    SparkConf conf = new SparkConf(); // picks up spark.* system properties, as spark-submit sets them
    String chosen = chooseMaster(master, conf.contains("spark.master") ? conf.get("spark.master") : null);
    conf.setMaster(chosen).setAppName(appName);
    KryoRegistration.addIfKryo(conf);
    if (isLocal(chosen)) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** The explicit master if given, else the submitted one, else {@value #DEFAULT_MASTER}. */
  static String chooseMaster(String explicit, String submitted) {
    if (explicit != null && !explicit.isBlank()) {
      return explicit.trim();
    }
    if (submitted != null && !submitted.isBlank()) {
      return submitted;
    }
    return DEFAULT_MASTER;
  }

  /**
   * Whether {@code master} runs on this machine: {@code local}, {@code local[N]}, {@code local[*]},
   * {@code local[N,F]} or {@code local-cluster[...]}.
   */
  static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[") || master.startsWith("local-cluster[");
  }
}
