package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowrank.SparkTestSession;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.BroadcastBlockId;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What a cluster needs from a solve: when it ends, the cached blocks are unpersisted and every broadcast of ours is
 * destroyed (nothing left in the block managers' storage), and every pass shows up in the Spark UI as a job in the
 * solver's job group, described by solver, iteration and pass kind. (ClusterIT checks the same on real executors.)
 */
class SolveHygieneTest {
  private static final Path PROJECT = Paths.get("").toAbsolutePath();
  private static final Pattern DESCRIPTION =
      Pattern.compile("(bwgd|smoothing-newton) (spectral init|iter \\d+): (amplitude|Hessian-vector|spectral) pass"
          + "|set-up: Gram matrix|(bwgd|smoothing-newton): load and cache measurements"
          + "|(bwgd|smoothing-newton): read .*|load, validate and cache measurements from .*"
          + "|(bwgd|smoothing-newton): copy the cached blocks to the driver");

  @TempDir
  Path tmp;

  /** Job group and description of each job started while a listener was registered. */
  private static final class Jobs extends SparkListener {
    final List<String[]> jobs = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      jobs.add(new String[] {start.properties().getProperty("spark.jobGroup.id"),
          start.properties().getProperty("spark.job.description")});
    }
  }

  @Test
  void fileInputRepartitioned() throws Exception {
    assertCleanAndNamed("smoothing-newton", true, "phase-retrieval", "--input",
        PROJECT.resolve("data-samples/phase-retrieval.csv").toString(), "--partitions", "3", "--engine", "spark",
        "--out", tmp.resolve("a").toString());
  }

  @Test
  void generatedInputBwgd() throws Exception {
    // engine = auto: Spark generates and caches, the passes run in-process over a copy; nothing may stay behind.
    assertCleanAndNamed("bwgd", false, "phase-retrieval", "--solver", "bwgd", "--set", "generate.n=3000",
        "--set", "generate.d=20", "--partitions", "2", "--out", tmp.resolve("b").toString());
  }

  private static void assertCleanAndNamed(String solver, boolean sparkPasses, String... args) throws Exception {
    SparkContext sc = SparkTestSession.get().sparkContext();
    Set<Object> persistentBefore = new HashSet<>(CollectionConverters.asJava(sc.getPersistentRDDs()).keySet());
    long lastBroadcastBefore = broadcastIds().stream().mapToLong(BroadcastBlockId::broadcastId).max().orElse(-1);
    Jobs listener = new Jobs();
    sc.addSparkListener(listener);
    try {
      assertEquals(0, Main.run(args));
      sc.listenerBus().waitUntilEmpty();
    } finally {
      sc.removeSparkListener(listener);
    }

    // Cached data: no RDD of the run is still persistent or holds blocks.
    Set<Object> persistentAfter = new HashSet<>(CollectionConverters.asJava(sc.getPersistentRDDs()).keySet());
    persistentAfter.removeAll(persistentBefore);
    assertEquals(Set.of(), persistentAfter, "RDDs left persisted");
    for (RDDInfo info : sc.getRDDStorageInfo()) {
      assertTrue(persistentBefore.contains(info.id()), "RDD left in storage: " + info);
    }
    // Broadcasts: the only ones of the run left in the block manager are Spark's own (serialized task binaries,
    // Hadoop configurations), which Spark's ContextCleaner removes; none holds a solver state.
    BlockManager bm = SparkEnv.get().blockManager();
    for (BroadcastBlockId id : broadcastIds()) {
      if (id.broadcastId() > lastBroadcastBefore && id.field().isEmpty()) {
        String type = valueType(bm, id);
        assertTrue(type.equals("byte[]") || type.startsWith("org.apache.spark."),
            "broadcast " + id + " of the run was not destroyed; it holds a " + type);
      }
    }

    // Every job of the solve is named: the solver's job group, and a description naming iteration and pass kind.
    int passes = 0;
    for (String[] job : listener.jobs) {
      assertTrue(job[1] != null && DESCRIPTION.matcher(job[1]).matches(), "job description: " + job[1] + " in "
          + listener.jobs.stream().map(j -> j[0] + "/" + j[1]).toList());
      assertEquals(solver, job[0], "job group of " + job[1]);
      passes += job[1].endsWith(" pass") ? 1 : 0;
    }
    assertTrue(sparkPasses ? passes > 5 : passes == 0, "passes seen on Spark: " + passes);
  }

  private static List<BroadcastBlockId> broadcastIds() {
    BlockManager bm = SparkEnv.get().blockManager();
    List<BroadcastBlockId> ids = new ArrayList<>();
    for (BlockId id : CollectionConverters.asJava(bm.master().getMatchingBlockIds(b -> b.isBroadcast(), true))) {
      ids.add((BroadcastBlockId) id);
    }
    return ids;
  }

  private static String valueType(BlockManager bm, BroadcastBlockId id) {
    Option<BlockResult> block = bm.getLocalValues(id);
    if (block.isEmpty()) {
      return "byte[]"; // stored serialized only: a piece, not a value
    }
    Iterator<Object> it = block.get().data();
    String type = it.hasNext() ? it.next().getClass().getTypeName() : "(empty)";
    while (it.hasNext()) {
      it.next(); // drain to release the read lock
    }
    return type;
  }
}
