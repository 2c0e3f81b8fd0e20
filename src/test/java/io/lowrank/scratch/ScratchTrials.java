package io.lowrank.scratch;

import io.lowrank.run.EscapeRun;
import io.lowrank.run.EscapeSettings;
import org.junit.jupiter.api.Test;

class ScratchTrials {
  @Test
  void explore() {
    String[] methods = System.getProperty("methods", "none,sod,sod-u,line-search,random,restart").split(",");
    int trials = Integer.getInteger("trials", 10);
    for (String nn : System.getProperty("ns", "5,10,20").split(",")) {
      int n = Integer.parseInt(nn);
      for (String eps : System.getProperty("eps", "0.15").split(",")) {
        for (String m : methods) {
          int ok = 0;
          long steps = 0;
          long t0 = System.nanoTime();
          StringBuilder terms = new StringBuilder();
          for (int t = 0; t < trials; t++) {
            EscapeSettings s = EscapeSettings.defaults().with("n", n).with("epsilon", Double.parseDouble(eps))
                .with("method", m.startsWith("sod") ? "sod" : m).with("gated", !m.equals("sod-u"))
                .with("gd.total-steps", 36000).with("delta-samples", 500).with("overtake", Double.parseDouble(System.getProperty("theta", "1")))
                .withSeed(1000 + t);
            if (System.getProperty("T") != null) {
              s = s.with("steps", System.getProperty("T"));
            }
            var o = EscapeRun.runInProcess(s, 1);
            if (o.outcome().distance() < 1e-3) {
              ok++;
            }
            steps += o.outcome().steps();
            for (var e : o.outcome().events()) {
              terms.append(e.term().charAt(0)).append(e.accepted() ? "+" : "-");
            }
            terms.append(' ');
          }
          System.out.printf("n=%d eps=%s %-12s success %d/%d  mean steps %d  %.1fs  %s%n", n, eps, m, ok, trials,
              steps / trials, (System.nanoTime() - t0) / 1e9, terms);
        }
      }
    }
  }
}
