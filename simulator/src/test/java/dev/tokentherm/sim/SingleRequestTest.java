package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.serving.Request;
import org.junit.jupiter.api.Test;

/**
 * One conversation of one turn on one H100 (Llama-3.1-8B, TP 1, vllm-v1): a 2,048-token prompt and
 * a 3-token reply, computed by hand from the roofline (see RooflineTest for the parts):
 * <ul>
 *   <li>prefill 2,048 tokens: 50.453410 ms, busy 49.443410 ms at 667.982 W, average
 *       (667.982 · 49.443410 + 120 · 1.010) / 50.453410 = 657.013 W;
 *   <li>decode at context 2,048: linear read 4.846616 ms + LM head 0.364690 ms + attention 32 ·
 *       18 µs + 4 · 32 · 128 · 32 · 2,048 / 425.27e12 = 0.578525 ms + CPU 1.010 ms = 6.799831 ms;
 *       at 2,049: 6.799832 ms (both rounded to ns); average power 324.322 W.
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
    assertThat(r.ttftNs()).isEqualTo(50_453_410L);
    // TPOT = (6.799831 + 6.799832) / 2 ms
    assertThat(r.tpotNs()).isEqualTo((6_799_831 + 6_799_832) / 2.0);
    assertThat(r.maxTbtNs()).isEqualTo(6_799_832L);
    assertThat(r.e2eNs()).isEqualTo(50_453_410L + 6_799_831L + 6_799_832L);
    // E = 657.012668 W · 50.453410 ms + 324.321903 W · 6.799831 ms + 324.323666 W · 6.799832 ms
    //   = 33.148530 + 2.205334 + 2.205346 = 37.559210 J, all of it this request's (the only one)
    assertThat(r.activeJ()).isCloseTo(37.559210, within(1e-5));
    // the conversation ends with its reply: no idle window, so with_idle = active
    assertThat(r.withIdleJ()).isCloseTo(r.activeJ(), within(1e-12));

    RunResult result = run.result();
    assertThat(result.metrics().runOutputTokens).isEqualTo(3);
    assertThat(result.endNs()).isEqualTo(r.doneNs());
    // the other seven GPUs idle at idle_w (75 W) for the whole run, and so does ours before the
    // prompt arrives, at active_idle_w (120 W): unattributed
    double endS = result.endNs() * 1e-9;
    assertThat(result.idleUnattributedJ()).isCloseTo(7 * 75 * endS + 120 * 1.0, within(1e-6));
    assertThat(result.totalGpuEnergyJ()).isCloseTo(7 * 75 * endS + 120 * 1.0 + 37.559210, within(1e-5));
  }
}
