package io.lowrank.report;

import io.lowrank.linalg.Linalg;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run or sweep ran, as its report states it: the Spark master, the BLAS implementation netlib chose, the
 * versions of lowrank, Spark, Scala and Java, the machine's cores, and when the report was written.
 *
 * @param sparkMaster the master URL (local[*], spark://…), or null when no Spark was involved
 * @param blas {@link Linalg#blasName()} (JNI = the system's native BLAS, VectorBLAS, or plain Java)
 * @param lowrankVersion the jar's Implementation-Version, or "dev" when run from classes
 * @param sparkVersion Spark's version on the class path
 * @param scalaVersion Scala's version on the class path
 * @param javaVersion the JVM's version and vendor
 * @param cores processors the driver's JVM sees
 * @param written when the report was written (UTC, to the second)
 */
public record HtmlEnvironment(String sparkMaster, String blas, String lowrankVersion, String sparkVersion,
    String scalaVersion, String javaVersion, int cores, String written) {

  /** This JVM's environment, with {@code sparkMaster} (null when none). */
  public static HtmlEnvironment current(String sparkMaster) {
    String v = HtmlEnvironment.class.getPackage().getImplementationVersion();
    return new HtmlEnvironment(sparkMaster, Linalg.blasName(), v == null ? "dev" : v,
        org.apache.spark.package$.MODULE$.SPARK_VERSION(), scala.util.Properties.versionNumberString(),
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The fields in the order a report lists them. */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Spark master", sparkMaster == null ? "(no Spark)" : sparkMaster);
    m.put("BLAS", blas);
    m.put("lowrank", lowrankVersion);
    m.put("Spark", sparkVersion);
    m.put("Scala", scalaVersion);
    m.put("Java", javaVersion);
    m.put("driver cores", cores);
    m.put("written (UTC)", written);
    return m;
  }
}
