package io.lowrank.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowrank.run.RunResult;
import io.lowrank.solve.Result;
import io.lowrank.solve.Status;
import io.lowrank.solve.Trace;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static Trace trace(boolean withDistance) {
    Trace t = new Trace();
    for (int i = 0; i <= 8; i++) {
      double loss = i == 8 ? 0.0 : Math.pow(10, -2 * i);
      t.add(new Trace.Record(i, loss, Math.sqrt(loss), i == 0 ? Double.NaN : 0.1 / i, i == 0 ? Double.NaN : 0.5,
          withDistance ? Math.pow(10, -i) : Double.NaN, 1, 3));
    }
    return t;
  }

  record Point(double x, float y) {}

  @Test
  void summaryJsonNeverContainsNaNOrInfinity() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", Status.CONVERGED);
    m.put("loss", Double.NaN);
    m.put("ratio", Double.POSITIVE_INFINITY);
    m.put("f", Float.NaN);
    m.put("ok", 1.5);
    m.put("array", new double[] {1, Double.NaN, Double.NEGATIVE_INFINITY});
    m.put("list", List.of(Double.NaN, 2.0));
    m.put("nested", Map.of("x", Double.NaN));
    m.put("record", new Point(Double.NaN, Float.POSITIVE_INFINITY));
    String json = Reports.summaryJson(m);
    assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
    JsonNode n = new ObjectMapper().readTree(json);
    assertEquals("CONVERGED", n.get("status").asText());
    assertTrue(n.get("loss").isNull());
    assertTrue(n.get("ratio").isNull());
    assertTrue(n.get("f").isNull());
    assertEquals(1.5, n.get("ok").asDouble());
    assertTrue(n.get("array").get(1).isNull() && n.get("array").get(2).isNull());
    assertEquals(1.0, n.get("array").get(0).asDouble());
    assertTrue(n.get("list").get(0).isNull());
    assertTrue(n.get("nested").get("x").isNull());
    assertTrue(n.get("record").get("x").isNull() && n.get("record").get("y").isNull());
    assertEquals(List.of("status", "loss", "ratio", "f", "ok", "array", "list", "nested", "record"),
        iterable(n.fieldNames()));
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void resultFieldsAndConsoleSummary() {
    Result r = new Result(new double[] {1, 2}, Status.MAX_ITER, trace(true), 17, 1.25);
    Map<String, Object> f = RunResult.resultFields(r);
    assertEquals("MAX_ITER", f.get("status"));
    assertEquals(8, f.get("iterations"));
    assertEquals(17L, f.get("passes"));
    long solvePasses = r.trace().records().stream().mapToLong(Trace.Record::passes).sum();
    RunResult run = new RunResult("smoothing-newton", r.estimate(), 2, 1, r, f, new RunResult.Timings(3, 0.5, 1.25));
    String text = Reports.consoleSummary(run, "file:/data/runs/run1");
    assertTrue(text.startsWith("smoothing-newton: MAX_ITER after 8 iterations"), text);
    assertTrue(text.contains(String.format(java.util.Locale.ROOT, "load 3.00 s, start 0.50 s (%d passes), solve 1.25 s "
        + "(%d passes), total 4.75 s", 17 - solvePasses, solvePasses)), text);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> phases = (Map<String, Map<String, Object>>) run.summary().get("phases");
    assertEquals(17L, phases.get("total").get("passes"));
    assertEquals(solvePasses, phases.get("solve").get("passes"));
    assertEquals(4.75, (double) phases.get("total").get("seconds"), 1e-12);
    assertTrue(text.contains("distance to truth 1.000e-08"), text);
    assertTrue(text.contains("outputs in file:/data/runs/run1"), text);
    assertFalse(Reports.summaryJson(f).contains("NaN"));
  }

  @Test
  void estimateCsvIsOneFullPrecisionNumberPerLine() {
    double third = 1.0 / 3;
    String csv = Reports.estimateCsv(new double[] {third, -2.5e-300, Double.NaN});
    assertEquals(Double.toString(third) + "\n-2.5E-300\n\n", csv);
    assertEquals(third, Double.parseDouble(csv.split("\n")[0]));
  }

  @Test
  void convergencePngIsAPng() {
    for (boolean withDistance : new boolean[] {true, false}) {
      byte[] png = Reports.convergencePng(trace(withDistance), "test", TruthDistance.PHASE_RETRIEVAL);
      assertTrue(png.length > 1000);
      assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 8));
    }
    Trace zero = new Trace();
    zero.add(new Trace.Record(0, 0.0, 0.0, Double.NaN, Double.NaN, Double.NaN, 1, 0));
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Reports.convergencePng(zero, null, TruthDistance.PHASE_RETRIEVAL), 8));
  }
}
