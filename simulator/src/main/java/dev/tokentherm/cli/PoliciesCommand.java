package dev.tokentherm.cli;

import dev.tokentherm.registry.PolicyKind;
import dev.tokentherm.registry.PolicyRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tokentherm policies}: each kind of named policy with its names and one line each, as
 * registered in {@link PolicyRegistry} (the list is also the footer of {@code tokentherm help
 * policies}).
 */
@Command(name = "policies", mixinStandardHelpOptions = true,
    description = "List the policies a scenario may name (batch policies, routers, KV eviction), one line each.")
final class PoliciesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** Set by {@link Main} to the registry the command line runs with. */
  PolicyRegistry registry = PolicyRegistry.standard();

  @Override
  public Integer call() {
    for (String line : listing(registry)) {
      spec.commandLine().getOut().println(line);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Widest line of the listing: picocli's usage width less one, so its footer never rewraps it. */
  static final int WIDTH = 79;

  /**
   * "kind: title", then "  name  line" for each policy of the kind, names aligned, every line
   * wrapped at {@link #WIDTH} with its continuation indented.
   */
  static List<String> listing(PolicyRegistry registry) {
    List<String> lines = new ArrayList<>();
    for (PolicyKind<?> kind : registry.kinds()) {
      wrap(kind.id() + ": ", kind.title(), 2, lines);
      int width = 0;
      for (String name : registry.names(kind)) {
        width = Math.max(width, name.length());
      }
      for (String name : registry.names(kind)) {
        String head = "  " + name + " ".repeat(width - name.length() + 2);
        wrap(head, registry.description(kind, name), head.length(), lines);
      }
    }
    return lines;
  }

  // words after head while they fit, then on lines indented by indent
  private static void wrap(String head, String text, int indent, List<String> lines) {
    StringBuilder line = new StringBuilder(head);
    boolean empty = true;
    for (String word : text.split(" ")) {
      if (!empty && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line = new StringBuilder(" ".repeat(indent));
        empty = true;
      }
      line.append(empty ? "" : " ").append(word);
      empty = false;
    }
    lines.add(line.toString());
  }
}
