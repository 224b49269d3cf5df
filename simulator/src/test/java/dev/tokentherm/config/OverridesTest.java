package dev.tokentherm.config;

import static dev.tokentherm.config.ConfigLoaderTest.bind;
import static dev.tokentherm.config.ConfigLoaderTest.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.config.TestRecords.Fan;
import dev.tokentherm.config.TestRecords.Machine;
import dev.tokentherm.config.TestRecords.Rack;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverridesTest {
  private static final String RACK = """
      machines:
        - {name: a, cores: 1, slots: [1, 2]}
        - {name: b, cores: 2}
      """;

  @Test
  void setsScalarsListEntriesAndWholeValues() throws ConfigException {
    Rack rack = bind(RACK, Rack.class,
        "machines[0].cores=8",
        "machines[0].slots[1]=7",
        "machines[1].fan={rpm: 300, mode: 'loud, very'}",
        "machines[1].name=\"c d\"",
        "max_machines=3");
    assertThat(rack.machines().get(0).cores()).isEqualTo(8);
    assertThat(rack.machines().get(0).slots()).containsExactly(1, 7);
    assertThat(rack.machines().get(1).fan()).isEqualTo(new Fan(300, "loud, very"));
    assertThat(rack.machines().get(1).name()).isEqualTo("c d");
    assertThat(rack.maxMachines()).isEqualTo(3);
  }

  @Test
  void laterOptionsWinAndPlainTextNeedsNoQuotes() throws ConfigException {
    Machine m = bind("name: m\ncores: 1\n", Machine.class,
        "cores=2", "cores=3", "name=my machine", "arch=arm");
    assertThat(m.cores()).isEqualTo(3);
    assertThat(m.name()).isEqualTo("my machine");
    assertThat(m.arch()).isEqualTo("arm");
  }

  @Test
  void createsMappingsThatTheFileLeftOut() throws ConfigException {
    Machine m = bind("name: m\ncores: 1\nbackup_fan:\n", Machine.class,
        "fan.rpm=10", "backup_fan.mode=off", "fans_by_zone.top.rpm=5");
    assertThat(m.fan()).isEqualTo(new Fan(10, "quiet"));
    assertThat(m.backupFan()).isEqualTo(new Fan(1200, "off"));
    assertThat(m.fansByZone()).containsEntry("top", new Fan(5, "quiet"));
  }

  @Test
  void setsWholeListsIncludingOnesNotInTheFile() throws ConfigException {
    Machine m = bind("name: m\ncores: 1\n", Machine.class, "slots=[9]", "groups=[[x]]");
    assertThat(m.slots()).containsExactly(9);
    assertThat(m.groups()).containsExactly(List.of("x"));
  }

  @Test
  void badPathsAreReportedAtTheOption() {
    assertThat(errors(RACK, Rack.class, "machines[2].cores=1")).containsExactly(
        "--set machines[2].cores=1: machines[2]: index out of range; the file has 2 machine(s)");
    assertThat(errors(RACK, Rack.class, "machines[0].slots[5]=1")).containsExactly(
        "--set machines[0].slots[5]=1: machines[0].slots[5]: index out of range; the file has 2"
            + " slot(s)");
    assertThat(errors(RACK, Rack.class, "machines[0].name.first=x")).containsExactly(
        "--set machines[0].name.first=x: machines[0].name: is \"a\", not a mapping; nothing can"
            + " be set inside it");
    assertThat(errors(RACK, Rack.class, "machines.cores=1")).containsExactly(
        "--set machines.cores=1: machines: is a list; pick an entry by index, e.g. machines[0]");
    assertThat(errors(RACK, Rack.class, "machines[0][1]=1")).containsExactly(
        "--set machines[0][1]=1: machines[0]: is a mapping, not a list; index only lists");
    assertThat(errors(RACK, Rack.class, "machines[0].fan[0]=1")).containsExactly(
        "--set machines[0].fan[0]=1: machines[0].fan: is not in the file, so it has no entries"
            + " to index; set the whole list instead, e.g. machines[0].fan=[...]");
  }

  @Test
  void malformedOptions() {
    String path = "'machines..cores' is not a field path; expected keys and [index] joined by"
        + " dots, e.g. --set deployments[0].replicas=24";
    assertThat(errors(RACK, Rack.class, "machines..cores=1"))
        .containsExactly("--set machines..cores=1: " + path);
    assertThat(errors(RACK, Rack.class, "=1")).containsExactly("--set =1: '' is not a field"
        + " path; expected keys and [index] joined by dots, e.g. --set deployments[0].replicas=24");
    assertThat(errors(RACK, Rack.class, "max_machines")).containsExactly(
        "--set max_machines: no '=' found; expected path=value, e.g. --set"
            + " deployments[0].replicas=24");
    assertThat(errors(RACK, Rack.class, "max_machines=")).containsExactly(
        "--set max_machines=: max_machines: no value after '='; to set empty text write"
            + " max_machines=''");
    assertThat(errors(RACK, Rack.class, "max_machines=[1")).containsExactly(
        "--set max_machines=[1: max_machines: '[1' is not a YAML value; quote text that holds"
            + " , : [ ] { } or #, e.g. max_machines='a, b'");
    assertThat(errors(RACK, Rack.class, "max_machines=1, 2")).containsExactly(
        "--set max_machines=1, 2: max_machines: '1, 2' is more than one value; write a list as"
            + " [a, b] or quote text that holds commas");
  }

  @Test
  void everyBadOptionIsReported() {
    assertThat(errors(RACK, Rack.class, "nope", "machines[0].corez=2", "machines[0].cores=x"))
        .containsExactly(
            "--set nope: no '=' found; expected path=value, e.g. --set deployments[0].replicas=24",
            "--set machines[0].corez=2: machines[0].corez: unknown field; did you mean 'cores'?",
            "--set machines[0].cores=x: machines[0].cores: expected a whole number, got \"x\";"
                + " allowed: an integer ≥ 1");
  }
}
