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
    // rack 1: nodes 1 and 2, 2 × 2,200 = 4,400 W of hosts, 16 GPUs (14 unused): (12,400 − 4,400) / 16 = 500 W
    assertThat(p.rackOverheadW(0)).isEqualTo(4400.0);
    assertThat(p.rackGpus(0)).isEqualTo(16);
    // rack 2: node 3 alone, 2,200 W of hosts, 8 GPUs: (12,400 − 2,200) / 8 = 1,275 W (above the board limit)
    assertThat(p.rackOverheadW(1)).isEqualTo(2200.0);
    for (int g = 0; g < 24; g++) {
      assertThat(p.budgetShareW[g]).isEqualTo(g < 16 ? 500.0 : 1275.0);
    }
    assertThat(p.budgetShareW(p.gpusOfReplica.get(0))).isEqualTo(500.0);
    // no budget: no share
    SimTestSupport.Loaded none = SimTestSupport.text(THREE_NODES.replace(", power_budget_w: 12400", ""));
    assertThat(Placement.of(none.scenario(), none.profiles()).budgetShareW(new int[] {0, 23}))
        .isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void aBudgetThatLeavesAGpuNoMoreThanItsActiveIdleIsASetupError() throws Exception {
    // one rack of 3 nodes: 6,600 W of hosts + 24 × 120 W active idle = 9,480 W, the least it can have
    SimTestSupport.Loaded s = SimTestSupport.text(THREE_NODES.replace("nodes_per_rack: 2, power_budget_w: 12400",
        "nodes_per_rack: 3, power_budget_w: 9480"));
    assertThatThrownBy(() -> Simulation.plan(s.scenario(), s.profiles()))
        .isInstanceOf(SetupException.class)
        .satisfies(e -> {
          SetupException.Problem problem = ((SetupException) e).problems().get(0);
          assertThat(problem.path()).isEqualTo("cluster.racks.power_budget_w");
          assertThat(problem.message()).contains("is 9480 W").contains("allowed: above 9480 W")
              .doesNotContain("\n");
        });
    SimTestSupport.Loaded ok = SimTestSupport.text(THREE_NODES.replace("nodes_per_rack: 2, power_budget_w: 12400",
        "nodes_per_rack: 3, power_budget_w: 9481"));
    // one watt more: (9,481 − 6,600) / 24 = 120 + 1/24 W, just above active idle
    assertThat(Placement.of(ok.scenario(), ok.profiles()).budgetShareW[0]).isCloseTo(120 + 1 / 24.0, within(1e-12));
  }
}
