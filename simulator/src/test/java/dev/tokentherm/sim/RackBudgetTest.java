package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * cluster.racks.power_budget_w shared statically among a rack's GPUs (sim.Placement): each gets
 * (budget − the rack's host_idle_w) / the rack's GPUs, the GPUs no deployment uses counted; a
 * budget that leaves a GPU no more than its active idle is a setup error naming the key.
 */
class RackBudgetTest {
  /** Three DGX H100 (host_idle_w 2,200 W, 8 H100 each), two to a rack; one deployment of 2 GPUs. */
  private static final String THREE_NODES = """
      name: racks
      horizon_s: 10
      cluster:
        nodes: [{profile: dgx-h100, count: 3}]
        racks: {nodes_per_rack: 2, power_budget_w: 12400}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 2}
      workload:
        - target: chat
          conversations:
            arrival: {process: poisson, rate_per_s: 1}
            turns: {distribution: geometric, mean: 1}
            user_tokens: {distribution: lognormal, median: 400, sigma: 1.0, max: 6000}
            model_tokens: {distribution: lognormal, median: 120, sigma: 0.8, max: 1500}
            think_time_s: {distribution: exponential, mean: 5}
      """;

  @Test
  void eachGpuGetsItsRacksBudgetLessTheHostsOverItsGpus() throws Exception {
    SimTestSupport.Loaded s = SimTestSupport.text(THREE_NODES);
    Placement p = Placement.of(s.scenario(), s.profiles());
    assertThat(p.racks()).isEqualTo(2);
    // a DGX H100 keeps host_idle_w 2,200 W and its fans at full speed above min speed, 1,200 · (1 − 0.3³)
    // = 1,167.6 W (host_idle_w holds them at min speed): 3,367.6 W per node
    // rack 1: nodes 1 and 2, 6,735.2 W, 16 GPUs (14 unused): (12,400 − 6,735.2) / 16 = 354.05 W
    assertThat(p.rackOverheadW(0)).isCloseTo(6735.2, within(1e-9));
    assertThat(p.rackGpus(0)).isEqualTo(16);
    // rack 2: node 3 alone, 3,367.6 W, 8 GPUs: (12,400 − 3,367.6) / 8 = 1,129.05 W (above the board limit)
    assertThat(p.rackOverheadW(1)).isCloseTo(3367.6, within(1e-9));
    for (int g = 0; g < 24; g++) {
      assertThat(p.budgetShareW[g]).isCloseTo(g < 16 ? 354.05 : 1129.05, within(1e-9));
    }
    assertThat(p.budgetShareW(p.gpusOfReplica.get(0))).isCloseTo(354.05, within(1e-9));
    // no budget: no share
    SimTestSupport.Loaded none = SimTestSupport.text(THREE_NODES.replace(", power_budget_w: 12400", ""));
    assertThat(Placement.of(none.scenario(), none.profiles()).budgetShareW(new int[] {0, 23}))
        .isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void aBudgetThatLeavesAGpuNoMoreThanItsActiveIdleIsASetupError() throws Exception {
    // one rack of 3 nodes: 3 × 3,367.6 = 10,102.8 W of hosts and fans + 24 × 120 W active idle = 12,982.8 W,
    // the least it can have
    SimTestSupport.Loaded s = SimTestSupport.text(THREE_NODES.replace("nodes_per_rack: 2, power_budget_w: 12400",
        "nodes_per_rack: 3, power_budget_w: 12982.8"));
    assertThatThrownBy(() -> Simulation.plan(s.scenario(), s.profiles()))
        .isInstanceOf(SetupException.class)
        .satisfies(e -> {
          SetupException.Problem problem = ((SetupException) e).problems().get(0);
          assertThat(problem.path()).isEqualTo("cluster.racks.power_budget_w");
          assertThat(problem.message()).contains("is 12982.8 W").contains("allowed: above 12982.8 W")
              .doesNotContain("\n");
        });
    SimTestSupport.Loaded ok = SimTestSupport.text(THREE_NODES.replace("nodes_per_rack: 2, power_budget_w: 12400",
        "nodes_per_rack: 3, power_budget_w: 12983.8"));
    // one watt more: (12,983.8 − 10,102.8) / 24 = 120 + 1/24 W, just above active idle
    assertThat(Placement.of(ok.scenario(), ok.profiles()).budgetShareW[0]).isCloseTo(120 + 1 / 24.0, within(1e-9));
  }
}
