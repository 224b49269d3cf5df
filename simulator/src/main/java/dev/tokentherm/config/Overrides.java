package dev.tokentherm.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies {@code --set path=value} options to a tree before binding, with the same path grammar
 * everywhere (CLI, sweeps): {@code deployments[0].replicas=24}. Values are YAML flow text
 * ({@code 24}, {@code fp8}, {@code [5, 55]}, {@code {tp: 4}}). Missing mappings on the way are
 * created (so {@code measure.warmup_s=10} works without a measure block); missing list entries
 * are not. Values set here are located at the option, e.g. {@code --set seed=x: seed: ...}.
 */
final class Overrides {
  private static final String EXAMPLE = "e.g. --set deployments[0].replicas=24";

  private final YamlReader reader;
  private final List<ConfigError> errors;

  Overrides(YamlReader reader, List<ConfigError> errors) {
    this.reader = reader;
    this.errors = errors;
  }

  void apply(YamlNode.Mapping root, List<String> options) {
    for (String option : options) {
      applyOne(root, option);
    }
  }

  private void applyOne(YamlNode.Mapping root, String option) {
    Position at = Position.of("--set " + option);
    int equals = option.indexOf('=');
    if (equals < 0) {
      error(at, "", "no '=' found; expected path=value, " + EXAMPLE);
      return;
    }
    String pathText = option.substring(0, equals).strip();
    Optional<List<Step>> steps = Step.parse(pathText);
    if (steps.isEmpty()) {
      error(at, "", "'" + pathText + "' is not a field path; expected keys and [index] joined by"
          + " dots, " + EXAMPLE);
      return;
    }
    parseValue(option.substring(equals + 1), at, pathText)
        .ifPresent(value -> set(root, steps.get(), value, at));
  }

  private Optional<YamlNode> parseValue(String text, Position at, String path) {
    if (text.isBlank()) {
      return fail(at, path, "no value after '='; to set empty text write " + path + "=''");
    }
    Optional<YamlNode> list;
    try {
      // inside [ ] the value is read as flow YAML: "a b" is one text, "{tp: 4}" a mapping
      list = reader.readAt("[" + text + "]", at, errors);
    } catch (ConfigException e) {
      return fail(at, path, "'" + text + "' is not a YAML value; quote text that holds"
          + " , : [ ] { } or #, e.g. " + path + "='a, b'");
    }
    if (list.isEmpty() || !(list.get() instanceof YamlNode.Sequence sequence)
        || sequence.items().size() != 1) {
      return fail(at, path, "'" + text + "' is more than one value; write a list as [a, b] or"
          + " quote text that holds commas");
    }
    return Optional.of(sequence.items().get(0));
  }

  private void set(YamlNode.Mapping root, List<Step> steps, YamlNode value, Position at) {
    YamlNode node = root;
    String path = "";
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      boolean last = i == steps.size() - 1;
      if (step instanceof Step.Key key) {
        if (!(node instanceof YamlNode.Mapping mapping)) {
          error(at, path, notAMapping(node, path));
          return;
        }
        String next = Paths.key(path, key.name());
        YamlNode child = mapping.get(key.name());
        if (last) {
          mapping.put(key.name(), at, value);
          return;
        }
        if (child == null || (child instanceof YamlNode.Scalar s && s.isNull())) {
          if (steps.get(i + 1) instanceof Step.Index) {
            error(at, next, "is not in the file, so it has no entries to index; set the whole"
                + " list instead, e.g. " + next + "=[...]");
            return;
          }
          child = new YamlNode.Mapping(at);
          mapping.put(key.name(), at, child);
        }
        node = child;
        path = next;
      } else {
        int index = ((Step.Index) step).index();
        if (!(node instanceof YamlNode.Sequence sequence)) {
          error(at, path, "is " + node.describe() + ", not a list; index only lists");
          return;
        }
        String next = Paths.index(path, index);
        if (index >= sequence.items().size()) {
          error(at, next, "index out of range; the file has " + sequence.items().size() + " "
              + entryNoun(path));
          return;
        }
        if (last) {
          sequence.items().set(index, value);
          return;
        }
        node = sequence.items().get(index);
        path = next;
      }
    }
  }

  private static String notAMapping(YamlNode node, String path) {
    if (node instanceof YamlNode.Sequence) {
      return "is a list; pick an entry by index, e.g. " + path + "[0]";
    }
    return "is " + node.describe() + ", not a mapping; nothing can be set inside it";
  }

  /** "deployment(s)" for deployments, "workload(s)" for workload, "entry(s)" for a nested list. */
  private static String entryNoun(String listPath) {
    if (listPath.endsWith("]")) {
      return "entries";
    }
    String key = listPath.substring(listPath.lastIndexOf('.') + 1);
    String singular = key.endsWith("s") ? key.substring(0, key.length() - 1) : key;
    return singular + "(s)";
  }

  private <T> Optional<T> fail(Position at, String path, String message) {
    error(at, path, message);
    return Optional.empty();
  }

  private void error(Position at, String path, String message) {
    errors.add(ConfigError.at(at, path, message));
  }

  /** One step of a path: a key of a mapping or an index into a list. */
  sealed interface Step permits Step.Key, Step.Index {
    record Key(String name) implements Step {}

    record Index(int index) implements Step {}

    /** Parses {@code a.b[0][1].c}; empty when it is not such a path. */
    static Optional<List<Step>> parse(String path) {
      List<Step> steps = new ArrayList<>();
      int i = 0;
      while (i < path.length()) {
        int start = i;
        while (i < path.length() && isKeyChar(path.charAt(i))) {
          i++;
        }
        if (i == start) {
          return Optional.empty();
        }
        steps.add(new Key(path.substring(start, i)));
        while (i < path.length() && path.charAt(i) == '[') {
          int close = path.indexOf(']', i);
          if (close < 0 || close == i + 1) {
            return Optional.empty();
          }
          String digits = path.substring(i + 1, close);
          if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
            return Optional.empty();
          }
          steps.add(new Index(Integer.parseInt(digits)));
          i = close + 1;
        }
        if (i < path.length()) {
          if (path.charAt(i) != '.' || i == path.length() - 1) {
            return Optional.empty();
          }
          i++;
        }
      }
      return steps.isEmpty() ? Optional.empty() : Optional.of(steps);
    }

    private static boolean isKeyChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }
  }
}
