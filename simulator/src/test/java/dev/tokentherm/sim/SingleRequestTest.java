package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.serving.Request;
import org.junit.jupiter.api.Test;

/**
 * One conversation of one turn on one H100 (Llama-3.1-8B, TP 1, vllm-v1): a 2,048-token prompt and
 * a 3-token reply, computed by hand from the roofline (see RooflineTest for the parts):
 * <ul>
 *   <li>prefill 2,048 tokens: 56.487781 ms, busy 55.477781 ms at 625.803 W, average
 *       (625.803 · 55.477781 + 120 · 1.010) / 56.487781 = 616.759 W;
 *   <li>decode at context n (every operator max(compute, memory) + fixed): fixed times 128 · 6.8 µs
 *       (linear) + 160 · 1.9 µs (element-wise) + 6.8 µs (LM head) + 32 · 18 µs (attention)
 *       = 1.757200 ms; memory 4.846616 (linear) + 0.002795 (element-wise) + 0.364690 (LM head)
 *       + (n + 1) · 131,072 B / 2.9145e12 (KV read and write; at n = 2,048: 0.092149 ms) ms;
 *       + CPU 1.010 ms: at n = 2,048 8.073449 ms, at 2,049 8.073494 ms (rounded to ns); average
 *       power 292.148 W (P = 120 + 580 · (1.43 · u_compute + 0.52 · u_memory) over the busy part,
 *       u_memory = (15,019,016,192 + (n + 1) · 131,072) B / 3.35e12 / busy).
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
    assertThat(r.ttftNs()).isEqualTo(56_487_781L);
    // TPOT = (8.073449 + 8.073494) / 2 ms
    assertThat(r.tpotNs()).isEqualTo((8_073_449 + 8_073_494) / 2.0);
    assertThat(r.maxTbtNs()).isEqualTo(8_073_494L);
    assertThat(r.e2eNs()).isEqualTo(56_487_781L + 8_073_449L + 8_073_494L);
    // E = 616.758914 W · 56.487781 ms + 292.147787 W · 8.073449 ms + 292.148344 W · 8.073494 ms
    //   = 34.839342 + 2.358640 + 2.358658 = 39.556641 J, all of it this request's (the only one)
    assertThat(r.activeJ()).isCloseTo(39.556641, within(1e-5));
    // the conversation ends with its reply: no idle window, so with_idle = active
    assertThat(r.withIdleJ()).isCloseTo(r.activeJ(), within(1e-12));

    RunResult result = run.result();
    assertThat(result.metrics().counters().runOutputTokens()).isEqualTo(3);
    assertThat(result.endNs()).isEqualTo(r.doneNs());
    // the other seven GPUs idle at idle_w (75 W) for the whole run, and so does ours before the
    // prompt arrives, at active_idle_w (120 W): unattributed
    double endS = result.endNs() * 1e-9;
    assertThat(result.idleUnattributedJ()).isCloseTo(7 * 75 * endS + 120 * 1.0, within(1e-6));
    assertThat(result.totalGpuEnergyJ()).isCloseTo(7 * 75 * endS + 120 * 1.0 + 39.556641, within(1e-5));
  }
}
