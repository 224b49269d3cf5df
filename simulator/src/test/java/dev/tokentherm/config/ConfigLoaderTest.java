package dev.tokentherm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokentherm.config.TestRecords.Checked;
import dev.tokentherm.config.TestRecords.Fan;
import dev.tokentherm.config.TestRecords.Machine;
import dev.tokentherm.config.TestRecords.Rack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static final String MACHINE_KEYS = "name, cores, memory_mib, load, enabled, arch, "
      + "spare_cores, price, shared, fan, backup_fan, slots, fans_by_zone, groups";

  static <T extends Record> T bind(String yaml, Class<T> type, String... sets)
      throws ConfigException {
    return ConfigLoader.parse(yaml, "m.yaml", type, List.of(sets)).value();
  }

  static List<String> errors(String yaml, Class<? extends Record> type, String... sets) {
    try {
      ConfigLoader.parse(yaml, "m.yaml", type, List.of(sets));
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::format).toList();
    }
    throw new AssertionError("expected errors, the text bound");
  }

  @Test
  void bindsEverySupportedTypeAndFillsDefaults() throws ConfigException {
    Machine m = bind("""
        name: m1
        cores: 8
        arch: arm
        spare_cores: 2
        price: 3
        shared: no
        backup_fan: {rpm: 900}
        slots: [3, 4, 5]
        fans_by_zone: {front: {rpm: 100}, back: {mode: loud}}
        groups: [[a, b], [c]]
        """, Machine.class);
    assertThat(m).isEqualTo(new Machine("m1", 8, 4096, 0.5, true, "arm", 2, 3.0, false,
        new Fan(1200, "quiet"), new Fan(900, "quiet"), List.of(3, 4, 5),
        Map.of("front", new Fan(100, "quiet"), "back", new Fan(1200, "loud")),
        List.of(List.of("a", "b"), List.of("c"))));
    assertThat(m.fansByZone().keySet()).containsExactly("front", "back");
  }

  @Test
  void optionalReferencesAreNullAndListDefaultsParse() throws ConfigException {
    Machine m = bind("name: m1\ncores: 1\nprice: ~\n", Machine.class);
    assertThat(m.arch()).isNull();
    assertThat(m.spareCores()).isNull();
    assertThat(m.price()).isNull();
    assertThat(m.backupFan()).isNull();
    assertThat(m.slots()).containsExactly(1, 2);
    assertThat(m.fan()).isEqualTo(new Fan(1200, "quiet"));
  }

  @Test
  void numbersAsPeopleWriteThem() throws ConfigException {
    Machine m = bind("name: 2024\ncores: 1_000\nmemory_mib: 1e3\nload: 1\n", Machine.class);
    assertThat(m.name()).isEqualTo("2024"); // the text as written
    assertThat(m.cores()).isEqualTo(1000);
    assertThat(m.memoryMib()).isEqualTo(1000L);
    assertThat(m.load()).isEqualTo(1.0);
  }

  @Test
  void primitiveWithoutDefaultIsRequired() {
    assertThat(errors("name: m1\n", Machine.class)).containsExactly(
        "m.yaml:1:1: cores: required field is missing; allowed: an integer ≥ 1");
  }

  @Test
  void requiredTextWithoutValue() {
    assertThat(errors("name:\ncores: 1\n", Machine.class)).containsExactly(
        "m.yaml:1:6: name: has no value; allowed: text — its name");
  }

  @Test
  void typeErrorsOfEveryKind() {
    assertThat(errors("""
        name: [a]
        cores: "8"
        memory_mib: 0
        load: 1.5
        enabled: maybe
        arch: risc
        fan: 5
        slots: 3
        fans_by_zone: [a]
        groups: [[a], b]
        """, Machine.class)).containsExactly(
        "m.yaml:1:7: name: expected text, got a list; allowed: text",
        "m.yaml:2:8: cores: expected a whole number, got \"8\"; allowed: an integer ≥ 1",
        "m.yaml:3:13: memory_mib: 0 is out of range; allowed: an integer > 0",
        "m.yaml:4:7: load: 1.5 is out of range; allowed: a number ≥ 0 and ≤ 1",
        "m.yaml:5:10: enabled: expected true or false, got \"maybe\"; allowed: true or false",
        "m.yaml:6:7: arch: unknown value 'risc'; allowed: x86, arm",
        "m.yaml:7:6: fan: expected a mapping, got 5; allowed: a mapping with keys: rpm, mode",
        "m.yaml:8:8: slots: expected a list, got 3; allowed: a list of at least 1, each an"
            + " integer ≥ 0",
        "m.yaml:9:15: fans_by_zone: expected a mapping, got a list; allowed: a mapping from"
            + " names to a mapping with keys: rpm, mode",
        "m.yaml:10:15: groups[1]: expected a list, got \"b\"; allowed: a list, each text");
  }

  @Test
  void listConstraintsApplyToTheListAndItsElements() {
    assertThat(errors("name: m\ncores: 1\nslots: []\n", Machine.class)).containsExactly(
        "m.yaml:3:8: slots: has 0 entries; allowed: at least 1");
    assertThat(errors("name: m\ncores: 1\nslots: [1, -1, x]\n", Machine.class)).containsExactly(
        "m.yaml:3:12: slots[1]: -1 is out of range; allowed: an integer ≥ 0",
        "m.yaml:3:16: slots[2]: expected a whole number, got \"x\"; allowed: an integer ≥ 0");
  }

  @Test
  void unknownKeysSuggestTheClosestOrListAll() {
    assertThat(errors("name: m\ncores: 1\nmemoryMib: 5\nfan: {rpn: 5}\ncolour: red\n",
        Machine.class)).containsExactly(
        "m.yaml:3:1: memoryMib: unknown field; did you mean 'memory_mib'?",
        "m.yaml:4:7: fan.rpn: unknown field; did you mean 'rpm'?",
        "m.yaml:5:1: colour: unknown field; allowed: " + MACHINE_KEYS);
  }

  @Test
  void recordRulesRunOnRecordsThatBoundCleanly() {
    assertThat(errors("""
        machines:
          - {name: a, cores: 1, fan: {rpm: 9000}}
          - {name: b, cores: 1}
        """, Rack.class)).containsExactly(
        "m.yaml:2:36: machines[0].fan.rpm: is 9000; a fan spins at most 5000 rpm");
    assertThat(errors("""
        machines:
          - {name: a, cores: 1}
          - {name: a, cores: 1}
          - {name: c, cores: 1}
        """, Rack.class)).containsExactly(
        "m.yaml:1:1: holds 3 machines; allowed: at most 2",
        "m.yaml:3:12: machines[1].name: repeats 'a'");
  }

  @Test
  void rulesOfARecordWaitUntilItsFieldsBind() {
    // machine 1 has a bad type; Rack's own rules (count, repeats) are not run on a broken list
    assertThat(errors("""
        machines:
          - {name: a, cores: 1}
          - {name: a, cores: x}
          - {name: c, cores: 1}
        """, Rack.class)).containsExactly(
        "m.yaml:3:22: machines[1].cores: expected a whole number, got \"x\"; allowed: an"
            + " integer ≥ 1");
  }

  @Test
  void aConstructorThatRefusesValuesIsAnError() {
    assertThat(errors("code: a b\n", Checked.class)).containsExactly(
        "m.yaml:1:1: is not valid: code must not contain spaces");
  }

  @Test
  void errorsComeInFileOrderWithOptionsLast() {
    assertThat(errors("cores: x\nname: [1]\n", Machine.class, "load=2")).containsExactly(
        "m.yaml:1:8: cores: expected a whole number, got \"x\"; allowed: an integer ≥ 1",
        "m.yaml:2:7: name: expected text, got a list; allowed: text",
        "--set load=2: load: 2 is out of range; allowed: a number ≥ 0 and ≤ 1");
  }

  @Test
  void malformedYamlIsOneShortLine() {
    assertThat(errors("name: m\ncores: 1\n  bad: 2\n", Machine.class)).containsExactly(
        "m.yaml:3:6: malformed YAML: mapping values are not allowed here");
    assertThat(errors("name: m\n\tcores: 1\n", Machine.class)).containsExactly(
        "m.yaml:2:1: malformed YAML: found character '\\t(TAB)' that cannot start any token."
            + " (Do not use \\t(TAB) for indentation)");
    assertThat(errors("? [a]\n: b\n", Machine.class)).containsExactly(
        "m.yaml:1:4: malformed YAML: a key must be plain text, not a list or mapping");
  }

  @Test
  void topLevelScalar() {
    assertThat(errors("just text\n", Machine.class)).containsExactly(
        "m.yaml:1:1: the top level is \"just text\"; expected a mapping with keys: "
            + MACHINE_KEYS);
  }

  @Test
  void duplicateKeysAreReportedInNestedMappingsToo() {
    assertThat(errors("name: m\ncores: 1\nfan:\n  rpm: 1\n  rpm: 2\n", Machine.class))
        .containsExactly("m.yaml:5:3: fan.rpm: appears twice (first at line 4); each key may"
            + " appear once");
  }

  @Test
  void aliasesAndSecondDocumentsAreRefused() {
    assertThat(errors("name: &n m\ncores: 1\narch: *n\n", Machine.class)).containsExactly(
        "m.yaml:3:7: arch: aliases (*n) are not supported; write the value out");
    assertThat(errors("name: m\ncores: 1\n---\nname: n\n", Machine.class)).containsExactly(
        "m.yaml:4:1: a second YAML document starts here; allowed: one document per file");
  }

  @Test
  void infinityIsNotANumberHere() {
    assertThat(errors("name: m\ncores: 1\nprice: .inf\n", Machine.class)).containsExactly(
        "m.yaml:3:8: price: expected a number, got \".inf\"; allowed: a number");
  }

  @Test
  void boundValuesKnowWhereTheyWereWritten() throws ConfigException {
    Bound<Machine> bound = ConfigLoader.parse("name: m\ncores: 1\nslots: [4, 5]\n", "m.yaml",
        Machine.class, List.of());
    assertThat(bound.errorAt("slots[1]", "too many").format())
        .isEqualTo("m.yaml:3:12: slots[1]: too many");
    // a defaulted value points at its nearest written parent: the top mapping
    assertThat(bound.errorAt("fan.rpm", "too fast").format())
        .isEqualTo("m.yaml:1:1: fan.rpm: too fast");
    assertThat(bound.isWritten("slots")).isTrue();
    assertThat(bound.isWritten("fan")).isFalse();
  }

  @Test
  void unsupportedTypesAreAProgrammingError() {
    record WithArray(int[] values) {}
    assertThatThrownBy(() -> bind("values: [1]\n", WithArray.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported configuration type");
  }
}
