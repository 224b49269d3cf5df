package dev.tokentherm.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A base scenario plus {@code --set} assignments (the grammar of {@code run --set}), and possibly
 * assignments to hardware profiles (a sweep perturbing values marked estimate).
 *
 * @param label how tables name it (a sweep's point number)
 * @param sets the assignments, in order, applied after the experiment's common ones
 * @param profileSets assignments to profiles as they load, by "FOLDER/ID" ({@code gpus/h100-sxm});
 *     empty for the profiles as they are
 */
public record Treatment(String label, List<String> sets, Map<String, List<String>> profileSets) {
  /** A {@code --set} path as sweep axes and plan searches name one: keys and [index]es joined by dots. */
  public static final Pattern SET_PATH =
      Pattern.compile("[A-Za-z0-9_-]+(\\[[0-9]{1,9}])*(\\.[A-Za-z0-9_-]+(\\[[0-9]{1,9}])*)*");

  public Treatment {
    sets = List.copyOf(sets);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    profileSets.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    profileSets = java.util.Collections.unmodifiableMap(copy);
  }

  /** A treatment of scenario assignments alone. */
  public Treatment(String label, List<String> sets) {
    this(label, sets, Map.of());
  }
}
