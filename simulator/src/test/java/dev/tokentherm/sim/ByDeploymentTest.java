package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokentherm.serving.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One workload for two deployments (identical copies) and the per-deployment books that add up. */
class ByDeploymentTest {
  private static SimTestSupport.Loaded loaded;
  private static SimTestSupport.Run run;

  @BeforeAll
  static void runIt() {
    loaded = SimTestSupport.file("scenarios/policy-compare.yaml", "horizon_s=60", "measure.warmup_s=10",
        "measure.end_s=60");
    run = loaded.run();
  }

  /** Per deployment: conversation → its turns' (turn, context, new, output tokens), in turn order. */
  private static TreeMap<Long, TreeMap<Integer, List<Long>>> scripts(String deployment) {
    TreeMap<Long, TreeMap<Integer, List<Long>>> out = new TreeMap<>();
    for (Request r : run.turns()) {
      if (r.conversation().replica().deployment().equals(deployment)) {
        out.computeIfAbsent(r.conversation().id(), k -> new TreeMap<>())
            .put(r.turn(), List.of(r.contextTokens(), r.newTokens(), (long) r.outputTokens()));
      }
    }
    return out;
  }

  @Test
  void bothDeploymentsServeIdenticalConversationsUnderTheSameNumbers() {
    var a = scripts("v1");
    var b = scripts("sarathi");
    assertThat(a).hasSizeGreaterThan(20);
    assertThat(new ArrayList<>(a.keySet())).isEqualTo(new ArrayList<>(b.keySet()));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void perDeploymentAndUnusedGpuEnergyAddUpToTheCluster() {
    RunResult r = run.result();
    RunResult.EnergySplit split = r.split();
    // 8 GPUs: 2 per deployment, 4 unused
    assertThat(split.gpus()).containsExactly(2, 2, 4);
    double sum = 0;
    for (double j : split.windowJ()) {
      sum += j;
    }
    assertThat(sum).isCloseTo(r.windowEnergyJ(), within(1e-6 * r.windowEnergyJ()));
    // the unused GPUs sit at idle for the whole window: 4 × idle_w × window
    double idleW = loaded.profiles().gpu("h100-sxm").idleW().value();
    assertThat(split.unusedJ()).isCloseTo(4 * idleW * r.windowS(), within(1e-6));

    JsonNode s = RunSummary.build(loaded.scenario(), r);
    double gpuJ = s.at("/energy/gpu_j").asDouble();
    double parts = s.at("/by_deployment/v1/gpu_j").asDouble() + s.at("/by_deployment/sarathi/gpu_j").asDouble()
        + s.at("/energy/unused_gpu_j").asDouble();
    assertThat(parts).isCloseTo(gpuJ, within(1e-3));
    double hostJ = s.at("/energy/host_j").asDouble();
    assertThat(hostJ).isCloseTo(split.hostW() * r.windowS(), within(1e-3));
    // the fans above their min speed are node power too (thermal.CoolingLoop): in IT, never below zero without failures
    double fanJ = s.at("/energy/fan_j").asDouble();
    assertThat(fanJ).isCloseTo(split.fanJ(), within(1e-3)).isGreaterThanOrEqualTo(0);
    assertThat(s.at("/energy/it_j").asDouble()).isCloseTo(gpuJ + hostJ + fanJ, within(1e-3));
    double pue = loaded.scenario().cluster().facility().pue();
    assertThat(s.at("/energy/facility_it_j").asDouble()).isCloseTo((gpuJ + hostJ + fanJ) * pue, within(1e-2));
    assertThat(s.at("/energy/facility_j").asDouble()).isCloseTo(gpuJ * pue, within(1e-2));
  }

  @Test
  void perDeploymentCountsAddUpToTheTopLevel() {
    JsonNode s = RunSummary.build(loaded.scenario(), run.result());
    for (String key : List.of("arrived", "completed", "rejected", "unfinished")) {
      assertThat(s.at("/by_deployment/v1/requests/" + key).asLong()
          + s.at("/by_deployment/sarathi/requests/" + key).asLong()).as(key)
          .isEqualTo(s.at("/requests/" + key).asLong());
    }
    double tokS = s.at("/by_deployment/v1/throughput/output_tokens_per_s").asDouble()
        + s.at("/by_deployment/sarathi/throughput/output_tokens_per_s").asDouble();
    assertThat(tokS).isCloseTo(s.at("/throughput/output_tokens_per_s").asDouble(), within(1e-3));
    for (String d : List.of("v1", "sarathi")) {
      JsonNode n = s.at("/by_deployment/" + d);
      assertThat(n.at("/latency/ttft_ms/p50").isNumber()).isTrue();
      assertThat(n.at("/slo/attainment").asDouble()).isBetween(0.0, 1.0);
      assertThat(n.at("/gpu_mean_w").asDouble()).isCloseTo(n.at("/gpu_j").asDouble() / run.result().windowS() / 2,
          within(1e-6));
      assertThat(n.at("/j_per_output_token").asDouble()).isPositive();
    }
  }
}
