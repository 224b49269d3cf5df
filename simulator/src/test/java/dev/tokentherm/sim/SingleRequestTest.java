package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.serving.Request;
import org.junit.jupiter.api.Test;

/**
 * One conversation of one turn on one H100 (Llama-3.1-8B, TP 1, vllm-v1): a 2,048-token prompt and
 * a 3-token reply, computed by hand from the roofline (see RooflineTest for the parts):
 * <ul>
 *   <li>prefill 2,048 tokens: 56.487781 ms, busy 55.477781 ms at (power.PowerModel, the profile's
 *       coefficients) min(700, 120 + sm_active_w · 0.993426 + memory_w · 0.189087 + tensor_w · 0.541083),
 *       averaged with 1.010 ms of CPU at 120 W;
 *   <li>decode at context n (every operator max(compute, memory) + fixed): fixed times 128 · 6.8 µs
 *       (linear) + 160 · 1.9 µs (element-wise) + 6.8 µs (LM head) + 32 · 18 µs (attention)
 *       = 1.757200 ms; memory 4.846616 (linear) + 0.002795 (element-wise) + 0.364690 (LM head)
 *       + (n + 1) · 131,072 B / 2.9145e12 (KV read and write; at n = 2,048: 0.092149 ms) ms;
 *       + CPU 1.010 ms: at n = 2,048 8.073449 ms, at 2,049 8.073494 ms (rounded to ns); power over the
 *       busy part 120 + sm_active_w · s_sm + memory_w · u_mem + tensor_w · u_tensor with
 *       s_sm = (1.757200 ms fixed + 0.002795 ms element-wise + KV time) / busy, u_mem =
 *       (15,019,016,192 + (n + 1) · 131,072) B / 3.35e12 / busy, u_tensor = (15,009,316,864 +
 *       4 · 32 · 128 · 32 · n) FLOPs / 989e12 / busy; 120 W over the CPU part.
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
    // E = prefill average power · 56.487781 ms + decode average power at n = 2,048 · 8.073449 ms
    //   + at n = 2,049 · 8.073494 ms, all of it this request's (the only one)
    GpuProfile.Power k = TestProfiles.gpu("h100-sxm").power();
    double prefillBusyW = Math.min(700, 120 + k.smActiveW().value() * 0.993426 + k.memoryW().value() * 0.189087
        + k.tensorW().value() * 0.541083);
    double prefillW = (prefillBusyW * 55.477781 + 120 * 1.010) / 56.487781;
    double expectedJ = prefillW * 56.487781e-3 + decodeW(k, 2048) * 8.073449e-3 + decodeW(k, 2049) * 8.073494e-3;
    assertThat(r.activeJ()).isCloseTo(expectedJ, within(1e-4));
    // the conversation ends with its reply: no idle window, so with_idle = active
    assertThat(r.withIdleJ()).isCloseTo(r.activeJ(), within(1e-12));

    RunResult result = run.result();
    assertThat(result.metrics().counters().runOutputTokens()).isEqualTo(3);
    assertThat(result.endNs()).isEqualTo(r.doneNs());
    // the other seven GPUs idle at idle_w (75 W) for the whole run, and so does ours before the
    // prompt arrives, at active_idle_w (120 W): unattributed
    double endS = result.endNs() * 1e-9;
    assertThat(result.idleUnattributedJ()).isCloseTo(7 * 75 * endS + 120 * 1.0, within(1e-6));
    assertThat(result.totalGpuEnergyJ()).isCloseTo(7 * 75 * endS + 120 * 1.0 + expectedJ, within(1e-4));
  }

  /** Average power of the decode iteration at context n (see the class comment), W. */
  private static double decodeW(GpuProfile.Power k, int n) {
    double kvBytes = (n + 1) * 131_072.0;
    double kvS = kvBytes / 2.9145e12;
    double busyS = (1.757200 + 4.846616 + 0.002795 + 0.364690) * 1e-3 + kvS;
    double sm = ((1.757200 + 0.002795) * 1e-3 + kvS) / busyS;
    double mem = (15_019_016_192.0 + kvBytes) / 3.35e12 / busyS;
    double tensor = (15_009_316_864.0 + 4.0 * 32 * 128 * 32 * n) / 989e12 / busyS;
    double busyW = Math.min(700, 120 + k.smActiveW().value() * sm + k.memoryW().value() * mem + k.tensorW().value() * tensor);
    return (busyW * busyS + 120 * 1.010e-3) / (busyS + 1.010e-3);
  }
}
