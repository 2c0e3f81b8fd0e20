package io.lowrank.job;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code lowrank} command line: {@code lowrank COMMAND [flags]}, run by {@code jobs/lowrank} or
 * {@code spark-submit --class io.lowrank.job.Main lowrank-spark.jar COMMAND ...}.
 *
 * <p>Exit codes: 0 when the command ran to the end (whatever a solver's status); 2 on bad input, i.e. a picocli
 * parameter error or an {@link IllegalArgumentException} anywhere in the cause chain (e.g. inside a
 * {@code SparkException}), with one line {@code error: REASON} on stderr; 1 on any other exception, with one
 * line and a hint to rerun with {@code --verbose}, which prints the stack trace.
 */
@Command(name = "lowrank", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    subcommands = CommandLine.HelpCommand.class,
    description = "Distributed phase retrieval and low-rank recovery on Apache Spark.",
    footer = {"", "Run 'lowrank COMMAND --help' for a command's flags. 'jobs/lowrank shell [--master URL]' starts an "
        + "interactive Scala shell with Spark and this library loaded."})
public final class Main implements Callable<Integer> {
  /** Exit code of a completed run. */
  public static final int OK = 0;
  /** Exit code of an unexpected failure. */
  public static final int FAILED = 1;
  /** Exit code of bad input (flags, config, data). */
  public static final int BAD_INPUT = 2;

  /**
   * The commands, in the order {@code --help} lists them: the one place to register a command (a picocli
   * {@code @Command} class with a no-argument constructor).
   */
  static final List<Class<?>> COMMANDS = List.of(
      PhaseRetrievalCommand.class,
      GenerateCommand.class,
      SensingCommand.class,
      LandscapeCommand.class,
      TrialsCommand.class,
      DenoiseCommand.class,
      EscapeCommand.class,
      BenchCommand.class,
      SweepCommand.class
  );

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error.")
  boolean verbose;

  @Spec
  CommandSpec spec;

  /**
   * Runs the command line, stops the Spark session and ends with its exit code: by returning when it is 0 (under
   * YARN's cluster mode a System.exit before the ApplicationMaster reports success would count as a failure),
   * by System.exit otherwise.
   */
  public static void main(String[] args) {
    int code = run(args);
    SparkSessions.stopActive();
    if (code != OK) {
      System.exit(code);
    }
  }

  /**
   * Runs the command line with the registered commands and returns the exit code (no {@code System.exit}). Unless
   * {@code --verbose} is among the arguments, Spark's and Hadoop's reports of a failed task or write ({@link
   * #TASK_FAILURE_LOGGERS}) are silenced for the run: the failure reaches the user as the one {@code error:} line,
   * not as executor stack traces before it.
   */
  public static int run(String... args) {
    try (QuietLogs quiet = Arrays.asList(args).contains("--verbose") ? null : QuietLogs.silence(TASK_FAILURE_LOGGERS)) {
      return commandLine(COMMANDS).execute(args);
    }
  }

  /**
   * The loggers that repeat a failed job, with stack traces, before the exception reaches {@link #run}: a task's
   * exception (the executor, in-process in local mode), its lost attempts and the aborted stage (task set manager),
   * a block that could not be cached (block manager), a schema that could not be read (data source), an aborted
   * write (the writers and output committers). The
   * exception itself still ends the run with one line, and {@code --verbose} prints it whole and keeps these.
   */
  static final List<String> TASK_FAILURE_LOGGERS = List.of(
      "org.apache.spark.executor.Executor",
      "org.apache.spark.scheduler.TaskSetManager",
      "org.apache.spark.storage.BlockManager",
      "org.apache.spark.util.Utils",
      "org.apache.spark.sql.execution.datasources.DataSource",
      "org.apache.spark.sql.execution.datasources.FileFormatWriter",
      "org.apache.spark.internal.io.SparkHadoopWriter",
      "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter");

  /** The {@code lowrank} command line with the registered commands. */
  public static CommandLine commandLine() {
    return commandLine(COMMANDS);
  }

  /**
   * The {@code lowrank} command line with the given commands (classes or instances), exit-code policy installed.
   * Every command gets {@code -h/--help} and the inherited {@code --verbose}.
   */
  public static CommandLine commandLine(List<?> commands) {
    CommandLine cl = new CommandLine(new Main());
    for (Object c : commands) {
      cl.addSubcommand(c);
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      CommandSpec s = sub.getCommandSpec();
      if (!s.optionsMap().containsKey("--help") && !s.optionsMap().containsKey("-h")) {
        s.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
            .description("Show this help message and exit.").build());
      }
    }
    cl.setParameterExceptionHandler(Main::onParameterError);
    cl.setExecutionExceptionHandler(Main::onExecutionError);
    return cl;
  }

  /** {@code lowrank} without a command: usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command" + commandList(spec));
  }

  private static String commandList(CommandSpec spec) {
    List<String> names = spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
    return names.isEmpty() ? "" : " (one of: " + String.join(", ", names) + ")";
  }

  private static int onParameterError(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String message = ex.getMessage();
    if (ex instanceof CommandLine.UnmatchedArgumentException u && cl.getCommandSpec().userObject() instanceof Main
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      message = "unknown command '" + u.getUnmatched().get(0) + "'" + commandList(cl.getCommandSpec());
    }
    err.println("error: " + oneLine(message) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
    if (Arrays.asList(args).contains("--verbose")) {
      ex.printStackTrace(err);
    }
    err.flush();
    return BAD_INPUT;
  }

  private static int onExecutionError(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean verbose = verbose(parsed);
    IllegalArgumentException bad = badInput(ex);
    String reason = bad != null ? oneLine(describe(bad, false)) : embeddedBadInput(ex);
    if (reason != null) {
      err.println("error: " + reason);
    } else {
      err.println("error: " + oneLine(describe(ex, true))
          + (verbose ? "" : " (rerun with --verbose for the stack trace)"));
    }
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return reason != null ? BAD_INPUT : FAILED;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The first {@link IllegalArgumentException} in the cause chain of {@code t}, or {@code null}. */
  static IllegalArgumentException badInput(Throwable t) {
    for (int depth = 0; t != null && depth < 50; t = t.getCause(), depth++) {
      if (t instanceof IllegalArgumentException iae) {
        return iae;
      }
    }
    return null;
  }

  private static final Pattern EMBEDDED = Pattern.compile("java\\.lang\\.IllegalArgumentException: ([^\\r\\n]+)");

  /**
   * The message of an IllegalArgumentException that crossed a process boundary only as text (a task failure
   * reported by an executor whose exception was not kept as the cause), or {@code null}.
   */
  private static String embeddedBadInput(Throwable t) {
    for (int depth = 0; t != null && depth < 50; t = t.getCause(), depth++) {
      if (t.getMessage() != null) {
        Matcher m = EMBEDDED.matcher(t.getMessage());
        if (m.find()) {
          return m.group(1).trim();
        }
      }
    }
    return null;
  }

  private static String describe(Throwable t, boolean withType) {
    Throwable m = t;
    while (m.getMessage() == null && m.getCause() != null) {
      m = m.getCause();
    }
    String msg = m.getMessage() == null ? "" : m.getMessage();
    if (!withType && !msg.isBlank()) {
      return msg;
    }
    return m.getClass().getSimpleName() + (msg.isBlank() ? "" : ": " + msg);
  }

  /** Collapses a message onto one line. */
  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** {@code lowrank --version}: the jar manifest's Implementation-Version, or "dev" when run from classes. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"lowrank " + (v == null ? "dev" : v)};
    }
  }
}
