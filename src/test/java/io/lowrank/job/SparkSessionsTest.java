package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  @Test
  void explicitMasterBeatsSubmittedBeatsDefault() {
    assertEquals("local[2]", SparkSessions.chooseMaster("local[2]", "spark://host:7077"));
    assertEquals("spark://host:7077", SparkSessions.chooseMaster(null, "spark://host:7077"));
    assertEquals("local[*]", SparkSessions.chooseMaster(null, null));
    assertEquals("local[*]", SparkSessions.chooseMaster(null, ""));
    for (String empty : new String[] {"", " "}) {
      // What a script passes when its variable is unset: refused, not silently local.
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SparkSessions.chooseMaster(empty, "spark://host:7077"));
      assertTrue(e.getMessage().startsWith("master is empty"), e.getMessage());
    }
    for (String ok : new String[] {"local", "local[*]", "local[4]", "local[4,2]", "local[4, 0]", "local-cluster[2,1,1024]",
        "local-cluster[2, 1, 1024]",
        "spark://h1:7077", "spark://h1:7077,h2:7077", "yarn", "k8s://https://api:6443"}) {
      assertEquals(ok, SparkSessions.chooseMaster(ok, null));
    }
    for (String bad : new String[] {"bogus", "local[x]", "local[0]", "foo://bar", "spark://host"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SparkSessions.chooseMaster(bad, null));
      assertTrue(e.getMessage().startsWith("master '" + bad + "' is not a Spark master URL"),
          e.getMessage());
    }
  }

  @Test
  void anUnreachableStandaloneMasterIsRefusedAtOnce() throws java.io.IOException {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // closed again below: nothing listens there
    }
    String master = "spark://127.0.0.1:" + port;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkSessions.requireReachable(master, 2000));
    assertTrue(e.getMessage().startsWith("master " + master + " is not reachable"), e.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> SparkSessions.requireReachable("spark://no-such-host.invalid:7077", 2000));
    assertTrue(unknown.getMessage().contains("unknown host no-such-host.invalid"), unknown.getMessage());
    try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      // One live address of an HA list is enough.
      SparkSessions.requireReachable("spark://127.0.0.1:" + port + ",127.0.0.1:" + listening.getLocalPort(), 2000);
    }
  }

  @Test
  void localMasters() {
    assertTrue(SparkSessions.isLocal("local"));
    assertTrue(SparkSessions.isLocal("local[*]"));
    assertTrue(SparkSessions.isLocal("local[4,2]"));
    assertTrue(SparkSessions.isLocal("local-cluster[2,1,1024]"));
    assertFalse(SparkSessions.isLocal("spark://127.0.0.1:7077"));
    assertFalse(SparkSessions.isLocal("yarn"));
  }

  @Test
  void aClusterMasterWithoutTheApplicationJarIsAClearError() {
    // Tests load the classes from target/classes: there is no jar to ship to a cluster's executors.
    SparkConf conf = new SparkConf(false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkSessions.shipApplication(conf, "spark://host:7077"));
    assertTrue(e.getMessage().contains("spark://host:7077") && e.getMessage().contains("application jar"),
        e.getMessage());
    assertFalse(conf.contains("spark.jars"));
  }
}
