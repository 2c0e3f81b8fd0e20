package io.lowrank.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.Optional;

/**
 * A resolved configuration read through typed getters that validate and throw an {@link IllegalArgumentException}
 * naming the key ("max-iter must be a positive integer, got 0"). The settings of every family are read through
 * it; the command line's {@code JobConfig} adds the layering of conf file, {@code --set} and flags.
 */
public class ConfigValues {
  private final Config config;

  /** Reads {@code config} (resolved). */
  public ConfigValues(Config config) {
    this.config = config;
  }

  /** The defaults: {@code reference.conf} from the classpath. */
  public static ConfigValues reference() {
    return new ConfigValues(com.typesafe.config.ConfigFactory.parseResources(ConfigValues.class.getClassLoader(),
        "reference.conf", com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false)).resolve());
  }

  /** The underlying (resolved) Typesafe config. */
  public Config config() {
    return config;
  }

  /** A copy with {@code key} set to {@code value} (a number, string, boolean or list). */
  public ConfigValues with(String key, Object value) {
    if (!config.hasPath(key)) {
      throw new IllegalArgumentException("unknown config key '" + key + "'");
    }
    return new ConfigValues(config.withValue(key, ConfigValueFactory.fromAnyRef(value, "set in code")));
  }

  /** A boolean key: "denoise.theory-only must be true or false, got 'x'". */
  public boolean bool(String key) {
    Object u = value(key).unwrapped();
    if (u instanceof Boolean b) {
      return b;
    }
    if (u instanceof String s && (s.trim().equals("true") || s.trim().equals("false"))) {
      return Boolean.parseBoolean(s.trim());
    }
    throw new IllegalArgumentException(key + " must be true or false, got '" + u + "'");
  }

  /** The value of {@code key} as a string (numbers rendered as written). */
  public String string(String key) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
      throw new IllegalArgumentException(key + " must be a single value, got " + v.render(ConfigRenderOptions.concise()));
    }
    Object u = v.unwrapped();
    return u == null ? "" : u.toString();
  }

  /** A path key: empty when unset (an empty string). */
  public Optional<String> optionalPath(String key) {
    String s = string(key).trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** A path key that must be set: "input is required (give --input PATH or --set input=PATH)". */
  public String requiredPath(String key) {
    return optionalPath(key).orElseThrow(() -> new IllegalArgumentException(
        key + " is required (give --" + key + " PATH or --set " + key + "=PATH)"));
  }

  /** One of the {@code allowed} words: "unknown schedule 'foo' (expected one of: loss, quantile, fixed)". */
  public String oneOf(String key, String... allowed) {
    String s = string(key).trim();
    for (String a : allowed) {
      if (a.equals(s)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown " + key + " '" + s + "' (expected one of: " + String.join(", ", allowed) + ")");
  }

  /** A finite double: "tol must be a number, got 'abc'". */
  public double finiteDouble(String key) {
    double v = number(key);
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(key + " must be a finite number, got " + fmt(v));
    }
    return v;
  }

  /** A double > 0: "tol must be > 0, got -1". */
  public double positiveDouble(String key) {
    double v = number(key);
    if (!(v > 0)) {
      throw new IllegalArgumentException(key + " must be > 0, got " + fmt(v));
    }
    return finiteDouble(key);
  }

  /** A double ≥ 0: "generate.noise must be >= 0, got -1". */
  public double nonNegativeDouble(String key) {
    double v = number(key);
    if (!(v >= 0)) {
      throw new IllegalArgumentException(key + " must be >= 0, got " + fmt(v));
    }
    return finiteDouble(key);
  }

  /** A probability strictly inside (0, 1): "smoothing.gamma must be in (0, 1), got 1.5". */
  public double probability(String key) {
    double v = number(key);
    if (!(v > 0 && v < 1)) {
      throw new IllegalArgumentException(key + " must be in (0, 1), got " + fmt(v));
    }
    return v;
  }

  /** An integer > 0: "max-iter must be a positive integer, got 0". */
  public int positiveInt(String key) {
    long v = integer(key, "a positive integer");
    if (v <= 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be a positive integer, got " + v);
    }
    return (int) v;
  }

  /** An integer ≥ 0: "partitions must be a non-negative integer, got -1". */
  public int nonNegativeInt(String key) {
    long v = integer(key, "a non-negative integer");
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be a non-negative integer, got " + v);
    }
    return (int) v;
  }

  /** Any 64-bit integer (e.g. the seed): "seed must be an integer, got 'x'". */
  public long longValue(String key) {
    return integer(key, "an integer");
  }

  private ConfigValue value(String key) {
    try {
      if (!config.hasPath(key)) {
        throw new IllegalArgumentException("missing config key '" + key + "'");
      }
      return config.getValue(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad config key '" + key + "': " + e.getMessage(), e);
    }
  }

  private double number(String key) {
    ConfigValue v = value(key);
    Object u = v.unwrapped();
    if (u instanceof Number n) {
      return n.doubleValue();
    }
    if (u instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException(key + " must be a number, got '" + display(v) + "'");
  }

  private long integer(String key, String what) {
    ConfigValue v = value(key);
    Object u = v.unwrapped();
    if (u instanceof Integer || u instanceof Long) {
      return ((Number) u).longValue();
    }
    if (u instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
        return (long) d;
      }
      throw new IllegalArgumentException(key + " must be " + what + ", got " + fmt(d));
    }
    if (u instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException(key + " must be " + what + ", got '" + display(v) + "'");
  }

  private static String display(ConfigValue v) {
    Object u = v.unwrapped();
    return u == null ? "null" : u.toString();
  }

  /** A number as a user wrote it: -1 rather than -1.0. */
  public static String fmt(double v) {
    if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
