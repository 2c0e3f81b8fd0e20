package io.lowrank.scratch;

import io.lowrank.run.EscapeRun;
import io.lowrank.run.EscapeSettings;
import org.junit.jupiter.api.Test;

class ScratchOne {
  @Test
  void one() {
    int n = Integer.getInteger("n", 5);
    for (int t = 0; t < Integer.getInteger("trials", 3); t++) {
      EscapeSettings s = EscapeSettings.defaults().with("n", n).with("epsilon", 0.15).with("gated", false).with("delta-samples", 300).with("gd.total-steps", 36000)
          .with("overtake", Double.parseDouble(System.getProperty("theta", "1"))).withSeed(1000 + t);
      if (System.getProperty("T") != null) {
        s = s.with("steps", System.getProperty("T"));
      }
      var o = EscapeRun.runInProcess(s, 1);
      for (var e : o.outcome().events()) {
        System.out.println("trial " + t + " " + e.csv());
        System.out.println("   grid " + java.util.Arrays.toString(e.gridF()));
      }
      System.out.println("trial " + t + " " + o.outcome().status() + " " + o.outcome().distance() + " steps " + o.outcome().steps() + " last " + o.outcome().trace().last());
    }
  }
}
