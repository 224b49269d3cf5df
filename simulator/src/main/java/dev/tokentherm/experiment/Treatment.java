package dev.tokentherm.experiment;

import java.util.List;

/**
 * A base scenario plus {@code --set} assignments (the grammar of {@code run --set}).
 *
 * @param label how tables name it (a sweep's point number)
 * @param sets the assignments, in order, applied after the experiment's common ones
 */
public record Treatment(String label, List<String> sets) {
  public Treatment {
    sets = List.copyOf(sets);
  }
}
