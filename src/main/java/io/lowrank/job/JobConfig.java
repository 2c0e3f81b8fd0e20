package io.lowrank.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.lowrank.run.ConfigValues;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A job's configuration: Typesafe Config layered, lowest to highest precedence, as
 * <ol>
 *   <li>{@code reference.conf} (the defaults, and the list of every key that exists),</li>
 *   <li>the {@code --conf} file, by default {@code conf/<command>.conf} under the project home (system property
 *       {@code lowrank.home}) when that file exists,</li>
 *   <li>{@code --set key=value} arguments, in order,</li>
 *   <li>explicit flags ({@link CommonOptions#overrides()}).</li>
 * </ol>
 * Keys not in {@code reference.conf} are rejected (with a close match when there is one). Relative paths of the
 * path keys ({@link #PATH_KEYS}) are resolved against the conf file's directory when written in a conf file,
 * against the working directory when given as a flag or {@code --set}; values with a URL scheme
 * ({@code hdfs://}, {@code s3a://}, {@code file:}) are left alone. The typed getters validate and throw an
 * {@link IllegalArgumentException} that names the key.
 */
public final class JobConfig extends ConfigValues {
  /** Keys holding a path or URL, resolved as described above. */
  public static final List<String> PATH_KEYS = List.of("input", "truth", "out", "denoise.truth-u", "denoise.truth-v");

  /** The sections of the families whose keys were once top-level (refused there, naming the new key). */
  private static final List<String> FAMILIES = List.of("phase-retrieval");

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

  private final String command;
  /** Explicit key → its layer: 1 conf file, 2 --set, 3 flag. */
  private final Map<String, Integer> explicitKeys;
  private final String confFile;

  private JobConfig(String command, Config config, Map<String, Integer> explicitKeys, String confFile) {
    super(config);
    this.command = command;
    this.explicitKeys = Collections.unmodifiableMap(explicitKeys);
    this.confFile = confFile;
  }

  /** Loads the configuration of {@code command} from the parsed common options. */
  public static JobConfig load(String command, CommonOptions options) {
    return load(command, options.confFile(), options.sets(), options.overrides());
  }

  /**
   * Loads the configuration of {@code command}.
   *
   * @param confFile the {@code --conf} file, or {@code null} for the default {@code conf/<command>.conf}
   * @param sets {@code key=value} strings from {@code --set}, later ones win
   * @param flags config key to value of the explicit flags
   * @throws IllegalArgumentException for a missing or unparsable conf file, an unknown key, a malformed --set
   */
  public static JobConfig load(String command, String confFile, List<String> sets, Map<String, ?> flags) {
    String home = System.getProperty("lowrank.home");
    return load(command, confFile, sets, flags, Paths.get("").toAbsolutePath(),
        home == null || home.isEmpty() ? null : Paths.get(home));
  }

  /** As {@link #load(String, String, List, Map)} with an explicit working directory and project home (tests). */
  static JobConfig load(String command, String confFile, List<String> sets, Map<String, ?> flags, Path workDir,
      Path home) {
    Config reference = ConfigValues.reference().config();
    Map<String, Integer> explicit = new LinkedHashMap<>();

    // Layer 2: the conf file.
    Config file = ConfigFactory.empty();
    Path confPath = null;
    if (confFile != null) {
      confPath = workDir.resolve(confFile).normalize();
      if (!Files.isRegularFile(confPath)) {
        throw new IllegalArgumentException(Files.isDirectory(confPath)
            ? "config file " + confFile + " is a directory, not a HOCON file" : "config file not found: " + confFile);
      }
    } else if (home != null) {
      Path dflt = home.resolve("conf").resolve(command + ".conf");
      if (Files.isRegularFile(dflt)) {
        confPath = dflt;
      }
    }
    if (confPath != null) {
      file = parseConfFile(confPath, reference, command);
      Path dir = confPath.toAbsolutePath().getParent();
      for (String key : PATH_KEYS) {
        if (file.hasPath(key) && file.getValue(key).valueType() == ConfigValueType.STRING) {
          file = file.withValue(key, ConfigValueFactory.fromAnyRef(resolvePath(file.getString(key), dir),
              confPath.getFileName().toString()));
        }
      }
      for (String key : leafKeys(file)) {
        explicit.put(key, 1);
      }
    }

    // Layer 3: --set.
    Config set = ConfigFactory.empty();
    for (String s : sets == null ? List.<String>of() : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set expects KEY=VALUE, got '" + s + "'");
      }
      String key = s.substring(0, eq).trim();
      String value = s.substring(eq + 1).trim();
      requireKnown(reference, key, "--set " + s, command);
      Object typed = typedLike(reference.getValue(key), value);
      if (PATH_KEYS.contains(key)) {
        typed = resolvePath(value, workDir);
      }
      set = set.withValue(key, ConfigValueFactory.fromAnyRef(typed, "--set"));
      explicit.put(key, 2);
    }

    // Layer 4: flags.
    Config flagLayer = ConfigFactory.empty();
    for (Map.Entry<String, ?> e : (flags == null ? Map.<String, Object>of() : flags).entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String key = e.getKey();
      requireKnown(reference, key, "flag --" + key, command);
      Object value = e.getValue();
      if (PATH_KEYS.contains(key)) {
        value = resolvePath(value.toString(), workDir);
      }
      flagLayer = flagLayer.withValue(key, ConfigValueFactory.fromAnyRef(value, "--" + key));
      explicit.put(key, 3);
    }

    Config merged;
    try {
      merged = flagLayer.withFallback(set).withFallback(file).withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad configuration: " + e.getMessage(), e);
    }
    return new JobConfig(command, merged, explicit, confPath == null ? null : confPath.toString());
  }


  private static Config parseConfFile(Path path, Config reference, String command) {
    Config file;
    try {
      file = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      file = file.resolveWith(file.withFallback(reference));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("cannot read config file " + path + ": " + e.getMessage(), e);
    }
    for (String key : leafKeys(file)) {
      requireKnown(reference, key, "config file " + path, command);
    }
    return file;
  }

  private static Set<String> leafKeys(Config c) {
    Set<String> keys = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      keys.add(e.getKey());
    }
    return keys;
  }

  private static void requireKnown(Config reference, String key, String where, String command) {
    boolean known;
    try {
      known = !key.isEmpty() && reference.hasPath(key);
    } catch (ConfigException e) {
      known = false;
    }
    if (known && reference.getValue(key).valueType() == ConfigValueType.OBJECT) {
      throw new IllegalArgumentException("'" + key + "' is a section, not a key, in " + where + " (set one of: "
          + String.join(", ", leafKeys(reference.getConfig(key)).stream().map(k -> key + "." + k).toList()) + ")");
    }
    if (!known) {
      for (String family : FAMILIES) {
        if (!key.isEmpty() && hasPath(reference, family + "." + key)) {
          throw new IllegalArgumentException("config key '" + key + "' in " + where + " is now '" + family + "."
              + key + "' (each family's settings are in its own section)");
        }
      }
      String hint = closestKey(reference, key, command).map(k -> "did you mean '" + k + "'?")
          .orElse("known keys: " + String.join(", ", leafKeys(reference)));
      throw new IllegalArgumentException("unknown config key '" + key + "' in " + where + " (" + hint + ")");
    }
  }

  private static boolean hasPath(Config c, String key) {
    try {
      return c.hasPath(key);
    } catch (ConfigException e) {
      return false;
    }
  }

  /**
   * The key of {@code reference} closest to {@code key} in edit distance (also matching the last segment); among
   * equally close keys, one of {@code command}'s family section (phase retrieval's for the commands that have none).
   */
  static Optional<String> closestKey(Config reference, String key, String command) {
    String section = command.equals("sensing") || command.equals("denoise") ? command : FAMILIES.get(0);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = key.toLowerCase(Locale.ROOT).replace('_', '-');
    List<String> candidates = new ArrayList<>(leafKeys(reference));
    candidates.sort(Comparator.comparing((String c) -> !c.startsWith(section + "."))
        .thenComparing(c -> c.chars().filter(ch -> ch == '.').count()));
    for (String candidate : candidates) {
      int d = levenshtein(lower, candidate);
      int dot = candidate.lastIndexOf('.');
      if (dot >= 0) {
        d = Math.min(d, levenshtein(lower, candidate.substring(dot + 1)) + 1);
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? Optional.of(best) : Optional.empty();
  }

  private static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** A --set value typed like the reference value: numbers stay numbers, anything unparsable stays a string. */
  private static Object typedLike(ConfigValue ref, String value) {
    if (ref.valueType() == ConfigValueType.NUMBER) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        try {
          return Double.parseDouble(value);
        } catch (NumberFormatException e2) {
          return value; // the typed getter reports it, naming the key
        }
      }
    }
    if (ref.valueType() == ConfigValueType.BOOLEAN && (value.equals("true") || value.equals("false"))) {
      return Boolean.parseBoolean(value);
    }
    if (ref.valueType() == ConfigValueType.LIST) {
      // [10, 100] or 10,100 alike
      String list = value.startsWith("[") ? value : "[" + value + "]";
      try {
        return ConfigFactory.parseString("v = " + list).getValue("v").unwrapped();
      } catch (ConfigException e) {
        return value; // the typed getter reports it, naming the key
      }
    }
    return value;
  }

  /** {@code value} resolved against {@code dir} unless empty, absolute or a URL with a scheme. */
  static String resolvePath(String value, Path dir) {
    if (value.isEmpty() || SCHEME.matcher(value).matches() || value.startsWith(File.separator)) {
      return value;
    }
    return dir.resolve(value).normalize().toString();
  }

  // ---------------------------------------------------------------- getters

  /** Puts {@code key → value} into a command's flag map when the flag was given (non-null). */
  public static void flag(Map<String, Object> flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value);
    }
  }

  /** The command this configuration is for. */
  public String command() {
    return command;
  }

  /** The conf file that was read, or {@code null} when none. */
  public String confFile() {
    return confFile;
  }


  /** Whether {@code key} was set above reference.conf (conf file, --set or a flag). */
  public boolean isExplicit(String key) {
    return explicitKeys.containsKey(key);
  }

  /**
   * The truth file, when it belongs to the input: a truth set in a conf file (the sample's, say) is not the truth of
   * an input given on the command line, so it applies only when given at the input's layer or above.
   */
  public Optional<String> truthOfInput() {
    Optional<String> truth = optionalPath("truth");
    int truthLayer = explicitKeys.getOrDefault("truth", 0);
    return truth.isPresent() && truthLayer >= explicitKeys.getOrDefault("input", 0) ? truth : Optional.empty();
  }

  /** The Spark master when one was given (conf file, --set or --master), else {@code null}. */
  public String explicitMaster() {
    return isExplicit("master") ? string("master") : null;
  }


  // ---------------------------------------------------------------- output

  /** The resolved configuration as a plain map (for summary.json). */
  public Map<String, Object> asMap() {
    return config().root().unwrapped();
  }

  /**
   * The resolved configuration as HOCON text, written as {@code config.conf} among a run's outputs; passing it
   * back with {@code --conf} reproduces the run.
   */
  public String render() {
    String body = config().root().render(ConfigRenderOptions.defaults()
        .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
    List<String> header = new ArrayList<>();
    header.add("# Resolved configuration of 'lowrank " + command + "'" + (confFile == null ? "" : " (conf file: " + confFile + ")"));
    header.add("# Reproduce the run: jobs/lowrank " + command + " --conf config.conf");
    return String.join("\n", header) + "\n" + body;
  }

  /** The resolved configuration as formatted JSON (also valid HOCON). */
  public String renderJson() {
    return config().root().render(ConfigRenderOptions.concise().setJson(true).setFormatted(true));
  }

  @Override
  public String toString() {
    return config().root().render(ConfigRenderOptions.concise());
  }
}
