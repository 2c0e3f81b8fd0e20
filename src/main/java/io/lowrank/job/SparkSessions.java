package io.lowrank.job;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a job. Under {@code spark-submit} the submitted master ({@code spark.master}) is kept
 * unless a master was given explicitly; run directly ({@code jobs/lowrank}) the default is {@code local[*]}.
 * For local masters the driver binds to 127.0.0.1 (no dependence on the machine's network setup). Logging is
 * configured by the launcher ({@code -Dlog4j2.configurationFile=conf/log4j2.properties}). A cluster master given in
 * the configuration rather than through spark-submit gets the application jar and the driver's JVM module flags
 * shipped to the executors, as spark-submit would.
 */
public final class SparkSessions {
  private static final java.util.regex.Pattern MASTER_URL = java.util.regex.Pattern.compile(
      "local|local\\[(\\*|[1-9]\\d*)(\\s*,\\s*\\d+)?]|local-cluster\\[\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*\\d+\\s*]"
          + "|spark://\\S+:\\d+(,\\S+:\\d+)*|yarn|k8s://\\S+");

  /**
   * Stops the session this JVM created, if any: the application then ends when it says so, not when a shutdown
   * hook races its executors.
   */
  public static void stopActive() {
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
  }

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
    if (chosen.startsWith("spark://")) {
      requireReachable(chosen, PROBE_TIMEOUT_MS);
    }
    conf.setMaster(chosen).setAppName(appName);
    KryoRegistration.addIfKryo(conf);
    if (isLocal(chosen)) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    } else if (!conf.contains("spark.jars")) {
      shipApplication(conf, chosen);
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** How long the probe of a standalone master waits for each of its addresses. */
  static final int PROBE_TIMEOUT_MS = 5000;

  /**
   * Refuses a standalone master none of whose addresses ({@code spark://H1:P1,H2:P2}) accepts a TCP connection
   * within {@code timeoutMs} each. Spark's client would retry registering for a minute, print a stack trace per
   * attempt, give up and leave a stopped SparkContext behind; a plain socket connect tells in a moment.
   *
   * @throws IllegalArgumentException naming the master URL and why the first address failed
   */
  static void requireReachable(String master, int timeoutMs) {
    String why = null;
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      int port;
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        return; // not HOST:PORT (a submitted master is not checked by MASTER_URL): Spark reports it
      }
      String host = hostPort.substring(0, Math.max(0, colon)).replaceAll("^\\[|]$", ""); // [::1] -> ::1
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), timeoutMs);
        return;
      } catch (UnknownHostException e) {
        why = why != null ? why : "unknown host " + host;
      } catch (SocketTimeoutException e) {
        why = why != null ? why : "no answer from " + hostPort + " within " + timeoutMs / 1000.0 + " s";
      } catch (IOException | IllegalArgumentException e) {
        why = why != null ? why : hostPort + ": " + e.getMessage();
      }
    }
    throw new IllegalArgumentException("master " + master + " is not reachable (" + why + "): is the master running"
        + " and the URL right? (jobs/cluster url prints a local cluster's)");
  }

  /**
   * A cluster master named in the configuration (not through spark-submit, which ships the jar itself): the
   * executors get this application's jar and the JVM flags this driver runs with (the Java 17 module flags).
   */
  static void shipApplication(SparkConf conf, String master) {
    String jar = applicationJar();
    if (jar == null) {
      throw new IllegalArgumentException("master " + master + ": the executors need the application jar, but these "
          + "classes were not loaded from one (" + SparkSessions.class.getProtectionDomain().getCodeSource()
          + "); build it (mvn package) or use spark-submit");
    }
    conf.set("spark.jars", jar);
    if (master.startsWith("spark://127.0.0.1:") || master.startsWith("spark://localhost:")) {
      // Workers on loopback reach the driver there (jobs/lowrank --master sets SPARK_LOCAL_IP for the same reason).
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    String flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("-Djdk.reflect.")
            || a.startsWith("-Dio.netty."))
        .collect(Collectors.joining(" "));
    if (!flags.isEmpty()) {
      conf.setIfMissing("spark.executor.extraJavaOptions", flags);
    }
    String blasThreads = System.getenv("OPENBLAS_NUM_THREADS");
    if (blasThreads != null) {
      conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", blasThreads);
    }
  }

  /** The jar these classes were loaded from, or null (e.g. target/classes in tests). */
  static String applicationJar() {
    try {
      Path location = Path.of(SparkSessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? location.toString() : null;
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return null;
    }
  }

  /**
   * The explicit master if given, else the submitted one, else {@value #DEFAULT_MASTER}.
   *
   * @throws IllegalArgumentException when the explicit master is empty or not a master URL
   */
  static String chooseMaster(String explicit, String submitted) {
    if (explicit != null && explicit.isBlank()) {
      // What a script passes when its variable is unset: running locally instead would hide the mistake.
      throw new IllegalArgumentException("master is empty (--master \"\"): give a Spark master URL (local[*], "
          + "spark://HOST:PORT, yarn, k8s://URL) or leave the flag out for the default");
    }
    if (explicit != null) {
      String master = explicit.trim();
      if (!MASTER_URL.matcher(master).matches()) {
        throw new IllegalArgumentException("master '" + master + "' is not a Spark master URL: expected local, "
            + "local[N], local[*], local[N,F], spark://HOST:PORT, yarn or k8s://URL");
      }
      return master;
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
