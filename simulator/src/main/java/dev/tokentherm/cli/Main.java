package dev.tokentherm.cli;

import dev.tokentherm.config.DidYouMean;
import dev.tokentherm.registry.PolicyRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code tokentherm} command line. */
@Command(name = "tokentherm", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Discrete-event simulator of LLM inference datacenters: latency, power, energy "
        + "and (soon) thermals of long multi-turn conversations.",
    subcommands = {RunCommand.class, ReportCommand.class, GalleryCommand.class, SweepCommand.class, PlanCommand.class, BenchCommand.class, ValidateCommand.class, ProfilesCommand.class, SchemaCommand.class,
        PoliciesCommand.class, CalibrateCommand.class, CommandLine.HelpCommand.class})
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

  /**
   * One line for the first argument no option or command took: "unknown command 'runn'; did you
   * mean 'run'?", "unknown option '--seeds'; did you mean '--seed'?" or "unexpected argument 'x'".
   */
  static String unmatched(UnmatchedArgumentException e) {
    String typed = e.getUnmatched().get(0);
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    if (typed.startsWith("-")) {
      String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
      List<String> options = new ArrayList<>();
      for (OptionSpec option : spec.options()) {
        if (!option.hidden()) {
          options.addAll(Arrays.asList(option.names()));
        }
      }
      return "unknown option '" + name + "'" + suggestion(name, options);
    }
    if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
      List<String> commands = new ArrayList<>();
      spec.subcommands().forEach((commandName, sub) -> {
        if (!sub.getCommandSpec().usageMessage().hidden()) {
          commands.add(commandName);
        }
      });
      return "unknown command '" + typed + "'" + suggestion(typed, commands);
    }
    return "unexpected argument '" + typed + "'";
  }

  // the tool's own rule (DidYouMean), as for scenario keys; picocli's guesses (shared letters)
  // are looser: "frobnicate" would get "calibrate"
  private static String suggestion(String typed, List<String> candidates) {
    return DidYouMean.closest(typed, candidates).map(best -> "; did you mean '" + best + "'?").orElse("");
  }

  /** Runs the command line and returns its exit code (tests call this, not main). */
  public static int execute(String... args) {
    return execute(PolicyRegistry.standard(), args);
  }

  /** Runs the command line with these policies listed by {@code policies} and its help. */
  static int execute(PolicyRegistry policies, String... args) {
    CommandLine cli = new CommandLine(new Main());
    CommandLine policiesCommand = cli.getSubcommands().get("policies");
    ((PoliciesCommand) policiesCommand.getCommand()).registry = policies;
    ((RunCommand) cli.getSubcommands().get("run").getCommand()).policies = policies;
    List<String> footer = new ArrayList<>(List.of("", "Policies:"));
    for (String line : PoliciesCommand.listing(policies)) {
      footer.add(line.replace("%", "%%")); // footers are format strings
    }
    policiesCommand.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tokentherm: internal error: " + e);
      return 1;
    });
    cli.setParameterExceptionHandler((e, args2) -> {
      String help = "try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help";
      if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
        e.getCommandLine().getErr().println("tokentherm: " + unmatched(u) + " (" + help + ")");
      } else {
        e.getCommandLine().getErr().println("tokentherm: " + e.getMessage());
        e.getCommandLine().getErr().println(help);
      }
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
