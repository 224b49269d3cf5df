package dev.tokentherm.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokentherm.config.Bound;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
  /** A small valid scenario; tests change one line and expect exactly one error line. */
  static final String BASE = """
      name: t
      seed: 7
      horizon_s: 60
      cluster: {nodes: [{profile: dgx-h100}]}
      deployments:
        - name: chat
          model: llama-3.1-8b
          replicas: 2
      workload:
        - target: chat
          conversations:
            arrival: {process: poisson, rate_per_s: 1}
            turns: {distribution: constant, value: 1}
            user_tokens: {distribution: constant, value: 100}
            model_tokens: {distribution: constant, value: 100}
      """;

  static final String TOP_KEYS = "name, seed, horizon_s, max_drain_s, measure, cluster, "
      + "deployments, workload, slo, outputs";

  @Test
  void anExplicitNullIsNotASilentDefault() {
    assertThat(errors(BASE, "deployments[0].replicas=null")).containsExactly(
        "--set deployments[0].replicas=null: deployments[0].replicas: has no value (null); allowed: an integer ≥ 1,"
            + " or leave the key out for the default 1");
  }

  @Test
  void aNameIsNotAPath() {
    assertThat(errors(BASE, "name=..")).containsExactly("--set name=..: name: '..' is not a name; allowed:"
        + " letters, digits, '-', '_', and '.' inside (not first or last, never '..'), at most 100 characters");
    assertThat(errors(BASE, "name=a..b")).hasSize(1);
    assertThat(errors(BASE, "name=" + "n".repeat(101))).containsExactly("--set name=" + "n".repeat(101)
        + ": name: is 101 characters long; allowed: at most 100");
  }

  private static List<String> errors(String yaml, String... sets) {
    try {
      ScenarioLoader.parse(yaml, "bad.yaml", List.of(sets));
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::format).toList();
    }
    throw new AssertionError("expected errors, the scenario loaded");
  }

  private static String changed(String from, String to) {
    assertThat(BASE).contains(from);
    return BASE.replace(from, to);
  }

  @Test
  void baseScenarioLoads() throws ConfigException {
    Scenario scenario = ScenarioLoader.parse(BASE, "base.yaml").value();
    assertThat(scenario.name()).isEqualTo("t");
    assertThat(scenario.deployments().get(0).replicas()).isEqualTo(2);
  }

  @Test
  void wrongType() {
    assertThat(errors(changed("replicas: 2", "replicas: two"))).containsExactly(
        "bad.yaml:8:15: deployments[0].replicas: expected a whole number, got \"two\"; "
            + "allowed: an integer ≥ 1");
  }

  @Test
  void fractionalNumberForAnInteger() {
    assertThat(errors(changed("replicas: 2", "replicas: 2.5"))).containsExactly(
        "bad.yaml:8:15: deployments[0].replicas: expected a whole number, got 2.5; "
            + "allowed: an integer ≥ 1");
  }

  @Test
  void integerBeyondItsType() {
    assertThat(errors(changed("replicas: 2", "replicas: 3000000000"))).containsExactly(
        "bad.yaml:8:15: deployments[0].replicas: 3000000000 is out of range; "
            + "allowed: an integer ≥ 1 and ≤ 2147483647");
  }

  @Test
  void unknownFieldWithCloseMatch() {
    assertThat(errors(changed("replicas: 2", "replicaz: 2"))).containsExactly(
        "bad.yaml:8:5: deployments[0].replicaz: unknown field; did you mean 'replicas'?");
  }

  @Test
  void unknownFieldWithoutCloseMatch() {
    assertThat(errors(changed("seed: 7", "colour: blue"))).containsExactly(
        "bad.yaml:2:1: colour: unknown field; allowed: " + TOP_KEYS);
  }

  @Test
  void missingRequiredFieldIsLocatedAtItsMapping() {
    assertThat(errors(changed("    model: llama-3.1-8b\n", ""))).containsExactly(
        "bad.yaml:6:5: deployments[0].model: required field is missing; "
            + "allowed: text — model profile id (hardware-profiles/models/<id>.yaml)");
  }

  @Test
  void negativeDuration() {
    assertThat(errors(changed("horizon_s: 60", "horizon_s: -5"))).containsExactly(
        "bad.yaml:3:12: horizon_s: -5 is out of range; allowed: a number ≥ 0 and ≤ 1000000000");
  }

  @Test
  void valueOutsideOneOf() {
    assertThat(errors(changed("    replicas: 2", "    weights_dtype: fp4"))).containsExactly(
        "bad.yaml:8:20: deployments[0].weights_dtype: unknown value 'fp4'; did you mean 'fp8'? "
            + "allowed: bf16, fp16, fp8");
  }

  @Test
  void recordRulesNameIndexedFields() {
    String twoChats = changed("    replicas: 2\n", "    replicas: 2\n  - name: chat\n    model: x\n");
    assertThat(errors(twoChats)).containsExactly(
        "bad.yaml:9:11: deployments[1].name: 'chat' is used twice; deployment names must be unique");
    assertThat(errors(changed("- target: chat", "- target: chta"))).containsExactly(
        "bad.yaml:10:13: workload[0].target: no deployment is named 'chta'; allowed: chat");
  }

  @Test
  void ruleOnAFieldLeftToItsDefaultPointsAtTheEnclosingValue() {
    // a constant distribution needs its value; the key is absent, so the mapping is named
    assertThat(errors(changed("turns: {distribution: constant, value: 1}",
        "turns: {distribution: constant}"))).containsExactly(
        "bad.yaml:13:14: workload[0].conversations.turns.value: is missing; "
            + "this distribution needs it");
  }

  @Test
  void malformedYaml() {
    assertThat(errors(changed("horizon_s: 60", "horizon_s: [60"))).containsExactly(
        "bad.yaml:4:8: malformed YAML: expected ',' or ']', but got : "
            + "(while parsing a flow sequence that starts at 3:12)");
  }

  @Test
  void emptyFile() {
    String expected = "bad.yaml: the file is empty; expected a mapping with keys: " + TOP_KEYS;
    assertThat(errors("")).containsExactly(expected);
    assertThat(errors("# only a comment\n\n")).containsExactly(expected);
  }

  @Test
  void topLevelNotAMapping() {
    assertThat(errors("- name: t\n- seed: 1\n")).containsExactly(
        "bad.yaml:1:1: the top level is a list; expected a mapping with keys: " + TOP_KEYS);
  }

  @Test
  void duplicateKey() {
    assertThat(errors(changed("seed: 7\n", "seed: 7\nseed: 8\n"))).containsExactly(
        "bad.yaml:3:1: seed: appears twice (first at line 2); each key may appear once");
  }

  @Test
  void setWithIndexOutOfRange() {
    assertThat(errors(BASE, "deployments[3].replicas=24")).containsExactly(
        "--set deployments[3].replicas=24: deployments[3]: index out of range; "
            + "the file has 1 deployment(s)");
  }

  @Test
  void setWithoutEquals() {
    assertThat(errors(BASE, "deployments[0].replicas")).containsExactly(
        "--set deployments[0].replicas: no '=' found; expected path=value, "
            + "e.g. --set deployments[0].replicas=24");
  }

  @Test
  void setOfUnknownKeyIsAnUnknownFieldAtTheOption() {
    assertThat(errors(BASE, "deployments[0].replicaz=24")).containsExactly(
        "--set deployments[0].replicaz=24: deployments[0].replicaz: unknown field; "
            + "did you mean 'replicas'?");
  }

  @Test
  void setOfWrongTypeIsReportedAtTheOption() {
    assertThat(errors(BASE, "seed=7", "deployments[0].replicas=two")).containsExactly(
        "--set deployments[0].replicas=two: deployments[0].replicas: expected a whole number, "
            + "got \"two\"; allowed: an integer ≥ 1");
  }

  @Test
  void moreThanThreeErrorsShowThreeLinesAndACount() {
    String bad = changed("seed: 7", "seed: x")
        .replace("horizon_s: 60", "horizon_s: -1")
        .replace("replicas: 2", "replicas: 0")
        .replace("rate_per_s: 1", "rate_per_s: 0")
        .replace("turns: {distribution: constant", "turns: {distribution: constnat");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ScenarioLoader.parse(bad, "bad.yaml"));
    assertThat(e.errors()).hasSize(5);
    assertThat(e.getMessage()).isEqualTo("""
        bad.yaml:2:7: seed: expected a whole number, got "x"; allowed: an integer
        bad.yaml:3:12: horizon_s: -1 is out of range; allowed: a number ≥ 0 and ≤ 1000000000
        bad.yaml:8:15: deployments[0].replicas: 0 is out of range; allowed: an integer ≥ 1
        … and 2 more""");
    assertThat(e.errors().get(4).format()).isEqualTo(
        "bad.yaml:13:29: workload[0].conversations.turns.distribution: unknown value 'constnat';"
            + " did you mean 'constant'? allowed: constant, exponential, lognormal, geometric,"
            + " uniform");
  }

  @Test
  void fullScenarioBindsWithDefaults() throws Exception {
    Scenario s = ScenarioLoader.load(chatYaml(), List.of()).value();
    assertThat(s.name()).isEqualTo("fleet-chat-h100");
    assertThat(s.seed()).isEqualTo(42);
    assertThat(s.horizonS()).isEqualTo(3600.0);
    assertThat(s.maxDrainS()).isEqualTo(600.0);
    assertThat(s.measure()).isNull();
    assertThat(s.slo()).isEqualTo(new Slo(2000, 100, 0.9));
    assertThat(s.outputs()).isEqualTo(new Outputs(1, true, false, false, false, false, false, false, java.util.List.of(0.0, 60.0), true));
    assertThat(s.cluster().nodes()).containsExactly(new NodeGroup("dgx-h100", 2));
    assertThat(s.cluster().racks()).isEqualTo(new Racks(4, 24, "air", null, 0.1, 25, 1, null));
    assertThat(s.cluster().facility()).isEqualTo(new Facility(1.2, 0, 0));
    Deployment d = s.deployments().get(0);
    assertThat(d.stack()).isEqualTo("vllm-v1");
    assertThat(d.weightsDtype()).isEqualTo("bf16");
    assertThat(d.computeDtype()).isNull();
    assertThat(d.effectiveComputeDtype()).isEqualTo("bf16");
    assertThat(d.parallelism()).isEqualTo(new Parallelism(4, 1, 1, 1));
    assertThat(d.scheduler()).isEqualTo(new SchedulerSpec("vllm-v1", 8192, 256));
    assertThat(d.kv()).isEqualTo(new KvSpec(16, 0.9, "none", 0.01, true, null, "lru", "last-admitted", "keep", 300.0, "load", "none"));
    assertThat(d.kv().gpuMemoryUtilization()).isEqualTo(0.9);
    assertThat(d.admission()).isEqualTo(new AdmissionSpec(null, null, null, "fcfs"));
    assertThat(d.router()).isEqualTo(new RouterSpec("session-affinity"));
    Conversations c = s.workload().get(0).conversations();
    assertThat(c.arrival()).isEqualTo(new Arrival("poisson", 25.0, 1.0, null, 86400.0, null,
        new Distribution("constant", 0.0, null, null, null, null, null), null));
    assertThat(c.turns()).isEqualTo(new Distribution("geometric", null, 6.0, null, null, 1.0, null));
    assertThat(c.thinkTimeS().mean()).isEqualTo(30.0);
  }

  @Test
  void defaultOfANestedDistributionBindsLikeInput() throws ConfigException {
    Conversations c = ScenarioLoader.parse(BASE, "base.yaml").value().workload().get(0)
        .conversations();
    assertThat(c.thinkTimeS())
        .isEqualTo(new Distribution("constant", 0.0, null, null, null, null, null));
  }

  @Test
  void overridesChangeValuesAndCreateMissingMappings() throws Exception {
    Bound<Scenario> bound = ScenarioLoader.load(chatYaml(), List.of(
        "deployments[0].replicas=24",
        "workload[0].conversations.arrival.rate_per_s=60",
        "seed=7",
        "measure.warmup_s=10",
        "deployments[0].kv={gpu_memory_utilization: 0.85}"));
    Scenario s = bound.value();
    assertThat(s.deployments().get(0).replicas()).isEqualTo(24);
    assertThat(s.workload().get(0).conversations().arrival().ratePerS()).isEqualTo(60.0);
    assertThat(s.seed()).isEqualTo(7);
    assertThat(s.measure()).isEqualTo(new Measure(10, null));
    assertThat(s.deployments().get(0).kv().gpuMemoryUtilization()).isEqualTo(0.85);
    assertThat(s.deployments().get(0).kv().blockTokens()).isEqualTo(16);
    // later checks locate overridden values at their option, and others in the file
    assertThat(bound.errorAt("deployments[0].replicas", "x").format())
        .isEqualTo("--set deployments[0].replicas=24: deployments[0].replicas: x");
    assertThat(bound.errorAt("deployments[0].model", "x").format())
        .endsWith("chat.yaml:9:12: deployments[0].model: x");
    assertThat(bound.errorAt("deployments[0].kv.block_tokens", "x").format())
        .isEqualTo("--set deployments[0].kv={gpu_memory_utilization: 0.85}: "
            + "deployments[0].kv.block_tokens: x");
  }

  @Test
  void missingFileIsOneLine(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ScenarioLoader.load(missing, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void loadNamesTheFileAsGiven(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.yaml");
    Files.writeString(file, changed("horizon_s: 60", "horizon_s: -5"));
    assertThatThrownBy(() -> ScenarioLoader.load(file, List.of()))
        .hasMessage(file + ":3:12: horizon_s: -5 is out of range; allowed: a number ≥ 0 and ≤ 1000000000");
  }

  static Path chatYaml() throws Exception {
    return Path.of(ScenarioLoaderTest.class.getResource("/config/scenarios/chat.yaml").toURI());
  }
}
