package dev.tokentherm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tokentherm} command line. */
@Command(name = "tokentherm", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Discrete-event simulator of LLM inference datacenters: latency, power, energy "
        + "and (soon) thermals of long multi-turn conversations.",
    subcommands = {RunCommand.class, BenchCommand.class, ValidateCommand.class, ProfilesCommand.class, SchemaCommand.class, CalibrateCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit code for bad input (scenario, profile, option). */
  public static final int BAD_INPUT = 2;
  /** Exit code of a run that broke a conservation law under --check. */
  public static final int BROKEN_LAW = 3;
  /** Exit code of a run that stalled: a replica had requests waiting that nothing could ever admit. */
  public static final int STALLED = 4;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (tests call this, not main). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tokentherm: internal error: " + e);
      return 1;
    });
    cli.setParameterExceptionHandler((e, args2) -> {
      e.getCommandLine().getErr().println("tokentherm: " + e.getMessage());
      e.getCommandLine().getErr().println("try: tokentherm " + e.getCommandLine().getCommandName() + " --help");
      return BAD_INPUT;
    });
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      // the limits (README, "Bad input") keep shipped sizes far from this; say so in one line
      System.err.println("tokentherm: out of memory (Java heap of " + Runtime.getRuntime().maxMemory() / (1 << 20)
          + " MiB): the run's live state does not fit; allowed: a smaller scenario, or more memory with"
          + " TOKENTHERM_JAVA_OPTS=-Xmx8g");
      return 1;
    } catch (StackOverflowError e) {
      System.err.println("tokentherm: the input is nested too deeply to read; allowed: ordinary YAML nesting");
      return BAD_INPUT;
    }
  }
}
