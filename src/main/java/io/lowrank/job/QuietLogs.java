package io.lowrank.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * Some log4j2 loggers turned off for a while, then put back as they were (a logger that had no configuration of its
 * own gets none again). A no-op when log4j2's core is not the logging backend.
 */
final class QuietLogs implements AutoCloseable {
  private final LoggerContext context;
  /** Logger name → its configured level before, or null when it had no configuration of its own. */
  private final Map<String, Level> before = new LinkedHashMap<>();

  private QuietLogs(LoggerContext context) {
    this.context = context;
  }

  /** Turns {@code loggers} off until {@link #close()}. */
  static QuietLogs silence(List<String> loggers) {
    LoggerContext ctx;
    try {
      if (!(LogManager.getContext(false) instanceof LoggerContext c)) {
        return new QuietLogs(null);
      }
      ctx = c;
    } catch (LinkageError e) {
      return new QuietLogs(null); // another backend: its own configuration decides
    }
    QuietLogs quiet = new QuietLogs(ctx);
    Configuration config = ctx.getConfiguration();
    for (String name : loggers) {
      LoggerConfig own = config.getLoggers().get(name);
      if (own != null) {
        quiet.before.put(name, own.getLevel());
        own.setLevel(Level.OFF);
      } else {
        quiet.before.put(name, null);
        LoggerConfig off = new LoggerConfig(name, Level.OFF, true);
        off.setParent(config.getLoggerConfig(name));
        config.addLogger(name, off);
      }
    }
    ctx.updateLoggers();
    return quiet;
  }

  @Override
  public void close() {
    if (context == null) {
      return;
    }
    Configuration config = context.getConfiguration();
    for (Map.Entry<String, Level> e : before.entrySet()) {
      if (e.getValue() == null) {
        config.removeLogger(e.getKey());
      } else {
        LoggerConfig own = config.getLoggers().get(e.getKey());
        if (own != null) {
          own.setLevel(e.getValue());
        }
      }
    }
    context.updateLoggers();
  }
}
