package io.lowrank.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Option;

/** The two flags every command has for its configuration: {@code --conf FILE} and {@code --set key=value}. */
public final class ConfigOptions {
  @Option(names = "--conf", paramLabel = "FILE",
      description = "HOCON config file (default: conf/<command>.conf under the project home, if present).")
  String conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Set any config key (repeatable), e.g. --set phase-retrieval.smoothing.gamma=0.5.")
  List<String> sets = new ArrayList<>();

  /** The {@code --conf} file as given, or {@code null}. */
  public String confFile() {
    return conf;
  }

  /** The {@code --set} arguments in the order given. */
  public List<String> sets() {
    return Collections.unmodifiableList(sets);
  }
}
