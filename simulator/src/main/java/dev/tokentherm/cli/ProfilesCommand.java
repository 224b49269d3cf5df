package dev.tokentherm.cli;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.scenario.ProfileKind;
import dev.tokentherm.scenario.ProfileLibrary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokentherm profiles list|show NAME}: what hardware, models and stacks are known. */
@Command(name = "profiles", mixinStandardHelpOptions = true,
    description = "List the profiles (GPUs, nodes, models, stacks, KV connectors) or show one of them.",
    subcommands = {ProfilesCommand.ListProfiles.class, ProfilesCommand.ShowProfile.class})
final class ProfilesCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }


  @Command(name = "list", mixinStandardHelpOptions = true, description = "List profile ids by kind, with their names.")
  static final class ListProfiles implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profiles", paramLabel = "DIR", description = "hardware-profiles folder (default: ./hardware-profiles)")
    Path profilesDir;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ProfileLibrary library = ProfileLibrary.at(profilesDir);
      int failed = 0;
      for (ProfileKind<?> kind : ProfileKind.all()) {
        out.println(kind.folder() + ":");
        for (String id : library.ids(kind)) {
          try {
            Record r = library.get(kind, id).value();
            out.printf("  %-18s %s%n", id, nameOf(r));
          } catch (ConfigException e) {
            err.println(e.getMessage());
            failed++;
          }
        }
      }
      out.flush();
      err.flush();
      return failed == 0 ? 0 : Main.BAD_INPUT;
    }

    private static String nameOf(Record r) {
      try {
        return String.valueOf(r.getClass().getMethod("name").invoke(r));
      } catch (ReflectiveOperationException e) {
        return "";
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a profile file, with its sources.")
  static final class ShowProfile implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "profile id, e.g. h100-sxm, dgx-h200, llama-3.1-70b, vllm-v1")
    String name;

    @Option(names = "--profiles", paramLabel = "DIR", description = "hardware-profiles folder (default: ./hardware-profiles)")
    Path profilesDir;

    @Override
    public Integer call() throws IOException {
      ProfileLibrary library = ProfileLibrary.at(profilesDir);
      List<String> known = new ArrayList<>();
      for (ProfileKind<?> kind : ProfileKind.all()) {
        List<String> ids = library.ids(kind);
        if (ids.contains(name)) {
          try {
            library.get(kind, name); // validates before showing
          } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.BAD_INPUT;
          }
          spec.commandLine().getOut().print(Files.readString(library.root().resolve(kind.folder()).resolve(name + ".yaml")));
          spec.commandLine().getOut().flush();
          return 0;
        }
        known.addAll(ids);
      }
      spec.commandLine().getErr().println("tokentherm: unknown profile '" + name + "'; "
          + dev.tokentherm.config.DidYouMean.hint(name, known));
      return Main.BAD_INPUT;
    }
  }
}
