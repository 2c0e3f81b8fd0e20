package io.lowrank.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Spark event log (one uncompressed, non-rolling JSON file per application, as the history server reads it),
 * read while the application runs or after it ended.
 */
final class EventLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The submit options that make an application write an uncompressed event log into {@code dir}. */
  static String submitOptions(Path dir) throws IOException {
    Files.createDirectories(dir);
    return "--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=" + dir.toUri()
        + " --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false"
        + " --conf spark.eventLog.logBlockUpdates.enabled=true";
  }

  /** The events written so far to the one log in {@code dir} (empty when there is none yet). */
  static List<JsonNode> read(Path dir) {
    List<JsonNode> events = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      Path log = files.filter(Files::isRegularFile).findFirst().orElse(null);
      if (log == null) {
        return events;
      }
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          events.add(JSON.readTree(line));
        } catch (IOException partialLastLine) {
          break; // the application is still writing
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }

  static List<JsonNode> ofType(List<JsonNode> events, String type) {
    return events.stream().filter(e -> type.equals(e.path("Event").asText())).toList();
  }

  /** A job's property (e.g. {@code spark.job.description}, {@code spark.jobGroup.id}). */
  static String jobProperty(JsonNode jobStart, String key) {
    return jobStart.path("Properties").path(key).asText("");
  }

  /** Task outcomes of the application. */
  record TaskStats(int tasks, int failed, int retriedAttempts, int resubmittedStages, int executorsAdded,
      int executorsRemoved, Map<String, Integer> failureReasons) {}

  static TaskStats taskStats(List<JsonNode> events) {
    int tasks = 0;
    int failed = 0;
    int retried = 0;
    Map<String, Integer> reasons = new HashMap<>();
    for (JsonNode e : ofType(events, "SparkListenerTaskEnd")) {
      tasks++;
      String reason = e.path("Task End Reason").path("Reason").asText();
      if (!reason.equals("Success")) {
        failed++;
        reasons.merge(reason, 1, Integer::sum);
      }
      if (e.path("Task Info").path("Attempt").asInt() > 0) {
        retried++;
      }
    }
    int resubmitted = (int) ofType(events, "SparkListenerStageSubmitted").stream()
        .filter(e -> e.path("Stage Info").path("Stage Attempt ID").asInt() > 0).count();
    return new TaskStats(tasks, failed, retried, resubmitted, ofType(events, "SparkListenerExecutorAdded").size(),
        ofType(events, "SparkListenerExecutorRemoved").size(), reasons);
  }

  /**
   * Bytes of RDD blocks (cached data) still held per executor at the end of the log, replaying the block
   * updates ({@code spark.eventLog.logBlockUpdates.enabled}) and unpersist events as the status store does; blocks
   * of executors that were removed are dropped.
   */
  static Map<String, Long> cachedRddBytesAtEnd(List<JsonNode> events) {
    Map<String, Long> blocks = new HashMap<>(); // "executor/block" -> bytes
    for (JsonNode e : events) {
      String type = e.path("Event").asText();
      if (type.equals("SparkListenerBlockUpdated")) {
        JsonNode info = e.path("Block Updated Info");
        String block = info.path("Block ID").asText();
        if (!block.startsWith("rdd_")) {
          continue;
        }
        String key = info.path("Block Manager ID").path("Executor ID").asText() + "/" + block;
        long bytes = info.path("Memory Size").asLong() + info.path("Disk Size").asLong();
        if (bytes == 0) {
          blocks.remove(key);
        } else {
          blocks.put(key, bytes);
        }
      } else if (type.equals("SparkListenerUnpersistRDD")) {
        // Unpersisted blocks are dropped by the executors without a block update; the status store (the UI's
        // Storage tab) drops them on this event.
        String infix = "/rdd_" + e.path("RDD ID").asText() + "_";
        blocks.keySet().removeIf(k -> k.contains(infix));
      } else if (type.equals("SparkListenerExecutorRemoved")) {
        String prefix = e.path("Executor ID").asText() + "/";
        blocks.keySet().removeIf(k -> k.startsWith(prefix));
      }
    }
    Map<String, Long> perExecutor = new HashMap<>();
    blocks.forEach((k, v) -> perExecutor.merge(k.substring(0, k.indexOf('/')), v, Long::sum));
    return perExecutor;
  }
}
