package dev.tokentherm.config;

import java.util.List;
import java.util.Map;

/** Small records that exercise every supported component type of the binder. */
final class TestRecords {
  private TestRecords() {}

  @Doc("A test machine")
  record Machine(
      @Required @Doc("its name") String name,
      @Range(min = 1) @Doc("cores") int cores,
      @Default("4096") @Range(min = 0, minExclusive = true) long memoryMib,
      @Default("0.5") @Range(min = 0, max = 1) double load,
      @Default("true") boolean enabled,
      @OneOf({"x86", "arm"}) @Doc("instruction set") String arch,
      Integer spareCores,
      Double price,
      Boolean shared,
      @Default("{}") Fan fan,
      Fan backupFan,
      @Default("[1, 2]") @Range(min = 0) @MinSize(1) List<Integer> slots,
      Map<String, Fan> fansByZone,
      List<List<String>> groups) {}

  record Fan(@Default("1200") @Range(min = 0) int rpm, @Default("quiet") String mode)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      if (rpm > 5000) {
        v.error("rpm", "is " + rpm + "; a fan spins at most 5000 rpm");
      }
    }
  }

  /** A record whose rules name list entries, and the record itself. */
  record Rack(@Required List<Machine> machines, @Default("2") int maxMachines)
      implements Validatable {
    @Override
    public void validate(Validation v) {
      for (int i = 1; i < machines.size(); i++) {
        if (machines.get(i).name().equals(machines.get(0).name())) {
          v.error("machines[" + i + "].name", "repeats '" + machines.get(0).name() + "'");
        }
      }
      if (machines.size() > maxMachines) {
        v.error("", "holds " + machines.size() + " machines; allowed: at most " + maxMachines);
      }
    }
  }

  /** A record whose constructor refuses some values. */
  record Checked(@Required String code) {
    Checked {
      if (code.contains(" ")) {
        throw new IllegalArgumentException("code must not contain spaces");
      }
    }
  }
}
