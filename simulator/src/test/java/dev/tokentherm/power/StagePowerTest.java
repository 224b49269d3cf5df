package dev.tokentherm.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.Dtype;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import org.junit.jupiter.api.Test;

/**
 * Watts from a stage's activity (perf.RooflineTest derives the activity of the one-stage cases by
 * hand): Llama-3.1-8B on H100s with vllm-v1, P = 120 + sm_active_w · s_sm + memory_w · u_mem +
 * tensor_w · u_tensor over the stage's busy seconds (capped at 700 W), 120 W over the rest.
 */
class StagePowerTest {
  private static final GpuProfile H100 = TestProfiles.gpu("h100-sxm");
  private static final GpuProfile.Power K = H100.power();

  private static double busyW(double sm, double mem, double tensor) {
    return Math.min(700, 120 + K.smActiveW().value() * sm + K.memoryW().value() * mem + K.tensorW().value() * tensor);
  }

  private static Roofline llama8b(int pp) {
    Architecture arch = new Architecture(TestProfiles.model("llama-3.1-8b"), null, Dtype.BF16, 1, pp, 1);
    return new Roofline(arch, H100, TestProfiles.node("dgx-h100"), TestProfiles.stack("vllm-v1"), Dtype.BF16,
        Dtype.BF16, false);
  }

  private static BatchWork oneDecodeAt1024() {
    BatchWork w = new BatchWork();
    w.decodeSeqs = 1;
    w.decodeUnits[0] = 1024;
    w.samplingSeqs = 1;
    return w;
  }

  @Test
  void aDecodeAtBatchOneDrawsItsActivitysPower() {
    // RooflineTest: busy 7.017398 ms of 8.027398; s_sm 0.257373, u_mem 0.644597, u_tensor 0.0022400
    IterationCost c = new IterationCost();
    llama8b(1).cost(oneDecodeAt1024(), c);
    StagePower p = StagePower.of(H100);
    double busyW = busyW(0.257373, 0.644597, 0.0022400);
    assertThat(busyW).isBetween(300.0, 700.0);
    assertThat(p.busyWatts(c.activity, 0)).isCloseTo(busyW, within(0.01));
    assertThat(p.watts(c.activity, 0, c.totalS())).isCloseTo((busyW * 7.017398 + 120 * 1.010) / 8.027398,
        within(0.01));
  }

  @Test
  void aPrefillOf2048TokensIsAtOrNearTheLimit() {
    // RooflineTest: s_sm 0.993426, u_mem 0.189087, u_tensor 0.541083
    BatchWork w = new BatchWork();
    w.addPrefillChunk(2048, 0, true);
    IterationCost c = new IterationCost();
    llama8b(1).cost(w, c);
    double busyW = busyW(0.993426, 0.189087, 0.541083);
    assertThat(StagePower.of(H100).busyWatts(c.activity, 0)).isCloseTo(busyW, within(0.01)).isGreaterThan(650);
  }

  @Test
  void eachStageOfATwoStagePipelineDrawsThePowerOfItsOwnWork() {
    // TP 1, PP 2: each stage holds 16 of the 32 layers; one decode at context 1,024, one micro-batch.
    // Per stage (RooflineTest's constants):
    //   linear: (6,979,321,856 B of weights + 139,264 · 16 B of activations) = 6,981,550,080 B
    //     / 2.881e12 = 2.423308 ms (memory-bound: FLOPs 2 · 3,489,660,928 · 165 / 749.662e12 = 1.536 ms)
    //     + 64 kernels · 6.8 µs = 0.435200 ms fixed, of which only the fixed time is SM-active
    //   element-wise: 163,840 · 16 = 2,621,440 B / 1.876e12 = 0.001397 ms + 80 · 1.9 µs = 0.153397 ms
    //   attention: 1,025 tokens · 4,096 B · 16 layers = 67,174,400 B / 2.9145e12 = 0.023048 ms
    //     + 16 · 18 µs = 0.311048 ms, FLOPs 4 · 32 · 128 · 16 · 1,024 = 268,435,456
    //   stage 0: busy 3.322954 ms, SM-active 0.899646 ms, 7,051,345,920 B, 7,247,757,312 FLOPs:
    //     s_sm 0.270737, u_mem 7,051,345,920 / 3.35e12 / 3.322954 ms = 0.633436, u_tensor 0.0022054
    //   stage 1 adds the LM head: 1,050,673,152 B / 2.881e12 + 6.8 µs = 0.371490 ms (6.8 µs
    //     SM-active), 1,050,673,152 FLOPs: busy 3.694444 ms, SM-active 0.906446 ms,
    //     s_sm 0.245354, u_mem 8,102,019,072 / 3.35e12 / 3.694444 ms = 0.654635, u_tensor 0.0022712
    IterationCost c = new IterationCost();
    llama8b(2).cost(oneDecodeAt1024(), c);
    assertThat(c.activity.stages()).isEqualTo(2);
    assertThat(c.activity.stageBusyS(0) * 1e3).isCloseTo(3.322954, within(1e-6));
    assertThat(c.activity.stageBusyS(1) * 1e3).isCloseTo(3.694444, within(1e-6));
    double first = busyW(0.270737, 0.633436, 0.0022054);
    double last = busyW(0.245354, 0.654635, 0.0022712);
    StagePower p = StagePower.of(H100);
    assertThat(p.busyWatts(c.activity, 0)).isCloseTo(first, within(0.01));
    assertThat(p.busyWatts(c.activity, 1)).isCloseTo(last, within(0.01));

    // on the devices: each stage's GPU draws its stage's power averaged over the iteration
    GpuDevices devices = new GpuDevices(new double[] {120, 120});
    ReplicaGpus gpus = new ReplicaGpus(devices.devices(new int[] {0, 1}), 2, p);
    double total = c.totalS();
    gpus.run(0, c.activity, total);
    assertThat(devices.meters().powerW(0)).isCloseTo((first * 3.322954e-3 + 120 * (total - 3.322954e-3)) / total,
        within(0.01));
    assertThat(devices.meters().powerW(1)).isCloseTo((last * 3.694444e-3 + 120 * (total - 3.694444e-3)) / total,
        within(0.01));
    assertThat(devices.meters().powerW(1)).isNotEqualTo(devices.meters().powerW(0));
    // the stages run in sequence: each is busy for its share of the iteration, 3.322954 / 7.017398
    // = 0.473531 and 3.694444 / 7.017398 = 0.526469, together the whole iteration
    long endNs = dev.tokentherm.engine.Durations.toNanos(total);
    assertThat(devices.device(0).busyNs(endNs) / endNs).isCloseTo(0.473531, within(1e-6));
    assertThat(devices.device(1).busyNs(endNs) / endNs).isCloseTo(0.526469, within(1e-6));
    gpus.rest(1_000_000);
    assertThat(devices.meters().powerW(0)).isEqualTo(120.0);
    assertThat(devices.meters().powerW(1)).isEqualTo(120.0);
  }
}
