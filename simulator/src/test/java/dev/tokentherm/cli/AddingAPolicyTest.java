package dev.tokentherm.cli;

import static dev.tokentherm.cli.TinyScenario.changed;
import static dev.tokentherm.cli.TinyScenario.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentherm.config.ConfigError;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.registry.PolicyRegistry;
import dev.tokentherm.scenario.ScenarioLoader;
import dev.tokentherm.scenario.ScenarioSchemas;
import dev.tokentherm.serving.routing.DeploymentsView;
import dev.tokentherm.serving.routing.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Adding a policy is one class and one registry line (README, "Adding a policy"): a test-only
 * router registered so appears in the scenario schema, in help and in "did you mean" errors, and
 * only in the registry it was added to; a scenario that names it runs with it.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class AddingAPolicyTest {
  /** The one class: every request to the deployment's last replica. */
  static final class LastReplicaRouter implements Router {
    @Override
    public String name() {
      return "last-replica";
    }

    @Override
    public int route(DeploymentsView view, int deployment, int current, long[] blockKeys) {
      return view.replicas(deployment) - 1;
    }
  }

  /** The one registry line, on a registry of this test's own. */
  private static final PolicyRegistry POLICIES = PolicyRegistry.standard()
      .with(PolicyRegistry.ROUTER, "last-replica", "every request to the last replica", LastReplicaRouter::new);

  private static final String ROUTERS =
      "session-affinity, round-robin, join-shortest-queue, least-outstanding-tokens, prefix-aware";

  @Test
  void theSchemaAllowsAndDescribesIt() throws Exception {
    JsonNode policy = new ObjectMapper().readTree(ScenarioSchemas.scenarioSchema(POLICIES))
        .at("/$defs/RouterSpec/properties/policy");
    assertThat(policy.get("enum").toString()).isEqualTo(
        "[\"session-affinity\",\"round-robin\",\"join-shortest-queue\",\"least-outstanding-tokens\","
            + "\"prefix-aware\",\"last-replica\"]");
    assertThat(policy.get("description").asText())
        .contains("; last-replica: every request to the last replica. A conversation moved");
    assertThat(ScenarioSchemas.scenarioSchema()).doesNotContain("last-replica"); // no leak
  }

  @Test
  void helpListsIt() {
    Cli.Result help = Cli.runWith(POLICIES, "help", "policies");
    assertThat(help.code()).as(help.toString()).isZero();
    assertThat(help.outLines()).contains("router: how requests are spread over a deployment's replicas");
    assertThat(help.outLines()).anyMatch(line -> line.matches(" +last-replica +every request to the last replica"));
    Cli.Result list = Cli.runWith(POLICIES, "policies");
    assertThat(list.outLines()).anyMatch(line -> line.matches(" +last-replica +every request to the last replica"));
    assertThat(Cli.run("policies").out()).doesNotContain("last-replica").contains("prefix-aware");
  }

  @Test
  void aMisspeltNameGetsDidYouMean() throws ConfigException {
    String scenario = changed("kv: {block_tokens: 16, gpu_memory_utilization: 0.9}",
        "kv: {block_tokens: 16, gpu_memory_utilization: 0.9}\n    router: {policy: last-replika}");
    assertThat(errors(scenario, POLICIES)).containsExactly("s.yaml:17:22: deployments[0].router.policy:"
        + " unknown value 'last-replika'; did you mean 'last-replica'? allowed: " + ROUTERS + ", last-replica");
    String spelt = scenario.replace("last-replika", "last-replica");
    assertThat(ScenarioLoader.parse(spelt, "s.yaml", List.of(), POLICIES).value().deployments().get(0)
        .router().policy()).isEqualTo("last-replica");
    assertThat(errors(spelt, PolicyRegistry.standard())).containsExactly("s.yaml:17:22:"
        + " deployments[0].router.policy: unknown value 'last-replica'; allowed: " + ROUTERS);
    assertThat(POLICIES.router("last-replica")).isInstanceOf(LastReplicaRouter.class);
  }

  @Test
  void anUnknownNameIsOneLineAndExit2(@TempDir Path dir) throws Exception {
    Path sarathy = write(dir, "sarathy.yaml", changed("policy: vllm-v1", "policy: sarathy"));
    Cli.Result r = Cli.run("validate", sarathy, "--profiles", Path.of("hardware-profiles"));
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).containsExactly(sarathy + ":15:25: deployments[0].scheduler.policy: unknown value"
        + " 'sarathy'; did you mean 'sarathi'? allowed: vllm-v1, sarathi, vllm-v0, orca, decode-priority, static");
    Path unknown = write(dir, "unknown.yaml", changed("policy: vllm-v1", "policy: frobnicate"));
    r = Cli.run("validate", unknown, "--profiles", Path.of("hardware-profiles"));
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.errLines()).containsExactly(unknown + ":15:25: deployments[0].scheduler.policy: unknown value"
        + " 'frobnicate'; allowed: vllm-v1, sarathi, vllm-v0, orca, decode-priority, static");
  }

  @Test
  void aScenarioRunsWithIt(@TempDir Path dir) throws Exception {
    Path file = write(dir, "last.yaml", changed("kv: {block_tokens: 16, gpu_memory_utilization: 0.9}",
        "kv: {block_tokens: 16, gpu_memory_utilization: 0.9}\n    router: {policy: last-replica}"));
    Path out = dir.resolve("out");
    Cli.Result r = Cli.runWith(POLICIES, "run", file, "--out", out, "--profiles", Path.of("hardware-profiles"));
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> rows = Files.readAllLines(out.resolve("conversations.csv"));
    int replica = List.of(rows.get(0).split(",")).indexOf("replica");
    assertThat(rows).hasSizeGreaterThan(2);
    // two replicas (0 and 1): every turn went to the last one
    assertThat(rows.subList(1, rows.size())).allSatisfy(row -> assertThat(row.split(",")[replica]).isEqualTo("1"));
    Cli.Result standard = Cli.run("run", file, "--out", dir.resolve("other"), "--profiles", Path.of("hardware-profiles"));
    assertThat(standard.code()).isEqualTo(Main.BAD_INPUT); // not in the standard registry
  }

  @Test
  void aNameTakenTwiceOrMisstatedIsRefused() {
    assertThatThrownBy(() -> POLICIES.with(PolicyRegistry.ROUTER, "last-replica", "again", LastReplicaRouter::new))
        .hasMessage("the router 'last-replica' is registered twice");
    assertThatThrownBy(() -> PolicyRegistry.standard().with(PolicyRegistry.ROUTER, "last", "x", LastReplicaRouter::new))
        .hasMessage("the router registered as 'last' calls itself 'last-replica'");
  }

  private static List<String> errors(String yaml, PolicyRegistry policies) {
    try {
      ScenarioLoader.parse(yaml, "s.yaml", List.of(), policies);
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::format).toList();
    }
    throw new AssertionError("expected errors, the scenario loaded");
  }
}
