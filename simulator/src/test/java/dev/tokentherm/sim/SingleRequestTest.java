package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.serving.Request;
import org.junit.jupiter.api.Test;

/**
 * One conversation of one turn on one H100 (Llama-3.1-8B, TP 1, vllm-v1): a 2,048-token prompt and
 * a 3-token reply, computed by hand from the roofline (see RooflineTest for the parts):
 * <ul>
 *   <li>prefill 2,048 tokens: 45.756088 ms (compute-bound), busy power at the 700 W limit, average
 *       (700 · 44.746088 + 120 · 1.010) / 45.756088 = 687.197 W;
 *   <li>decode at context 2,048: 4.845069 (linear) + 0.364690 (LM head) + (2,048 + 1) · 131,072 B /
 *       2.881e12 = 0.093220 (KV) + 1.010 CPU = 6.312979 ms; at 2,049: 6.313025 ms (rounded to ns);
 *       average power 340.015 W.
 * </ul>
 * The prompt arrives at t = 1 s (uniform arrivals at 1 per second, one conversation).
 */
class SingleRequestTest {
  static final String SCENARIO = """
      name: one-request
      horizon_s: 10
      cluster: {nodes: [{profile: dgx-h100, count: 1}]}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 1}
      workload:
        - target: chat
          conversations:
            arrival: {process: uniform, rate_per_s: 1, max_conversations: 1}
            turns: {distribution: constant, value: 1}
            user_tokens: {distribution: constant, value: 2048}
            model_tokens: {distribution: constant, value: 3}
      """;

  @Test
  void latencyAndEnergyMatchTheHandDerivation() {
    SimTestSupport.Run run = SimTestSupport.text(SCENARIO).run();
    assertThat(run.turns()).hasSize(1);
    Request r = run.turns().get(0);
    assertThat(r.arrivalNs()).isEqualTo(1_000_000_000L);
    assertThat(r.contextTokens()).isEqualTo(2048);
    assertThat(r.ttftNs()).isEqualTo(45_756_088L);
    // TPOT = (6.312979 + 6.313025) / 2 ms
    assertThat(r.tpotNs()).isEqualTo((6_312_979 + 6_313_025) / 2.0);
    assertThat(r.maxTbtNs()).isEqualTo(6_313_025L);
    assertThat(r.e2eNs()).isEqualTo(45_756_088L + 6_312_979L + 6_313_025L);
    // E = 687.197332 W · 45.756088 ms + 340.015487 W · 6.312979 ms + 340.015840 W · 6.313025 ms
    //   = 31.443462 + 2.146511 + 2.146528 = 35.736501 J, all of it this request's (the only one)
    assertThat(r.activeJ()).isCloseTo(35.736501, within(1e-5));
    // the conversation ends with its reply: no idle window, so with_idle = active
    assertThat(r.withIdleJ()).isCloseTo(r.activeJ(), within(1e-12));

    RunResult result = run.result();
    assertThat(result.metrics().runOutputTokens).isEqualTo(3);
    assertThat(result.endNs()).isEqualTo(r.doneNs());
    // the other seven GPUs idle at idle_w (75 W) for the whole run, and so does ours before the
    // prompt arrives, at active_idle_w (120 W): unattributed
    double endS = result.endNs() * 1e-9;
    assertThat(result.idleUnattributedJ()).isCloseTo(7 * 75 * endS + 120 * 1.0, within(1e-6));
    assertThat(result.totalGpuEnergyJ()).isCloseTo(7 * 75 * endS + 120 * 1.0 + 35.736501, within(1e-5));
  }
}
