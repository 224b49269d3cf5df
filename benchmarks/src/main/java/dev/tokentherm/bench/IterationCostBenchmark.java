package dev.tokentherm.bench;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.model.Architecture;
import dev.tokentherm.model.Dtype;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.scenario.ProfileLibrary;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Nanoseconds per iteration-cost call (the roofline of one forward pass) for a dense model
 * (Llama-3.1-70B, TP 4 on DGX-H100) and an MoE model (DeepSeek-V3, TP 8, EP 8 on DGX-H200), with a
 * batch of 64 decodes and two prefill chunks. Run from the repository root (it reads
 * hardware-profiles/).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IterationCostBenchmark {
  @Param({"dense", "moe"})
  public String model;

  private Roofline roofline;
  private final BatchWork work = new BatchWork();
  private final IterationCost cost = new IterationCost();
  private long tick;

  @Setup
  public void setUp() throws ConfigException {
    ProfileLibrary profiles = new ProfileLibrary(Path.of("hardware-profiles"));
    boolean moe = model.equals("moe");
    String node = moe ? "dgx-h200" : "dgx-h100";
    int tp = moe ? 8 : 4;
    Architecture arch = new Architecture(profiles.model(moe ? "deepseek-v3" : "llama-3.1-70b"), null,
        Dtype.BF16, tp, 1, moe ? 8 : 1);
    var nodeProfile = profiles.node(node);
    roofline = new Roofline(arch, profiles.gpu(nodeProfile.gpu()), nodeProfile, profiles.stack("vllm-v1"),
        moe ? Dtype.FP8 : Dtype.BF16, moe ? Dtype.FP8 : Dtype.BF16, false);
  }

  @Benchmark
  public double cost() {
    tick++;
    work.clear();
    work.decodeSeqs = 64;
    work.samplingSeqs = 64;
    work.decodeUnits[0] = 64 * 4_000 + tick % 1024; // keep the JIT from folding the call
    work.addPrefillChunk(512, 2048, false);
    work.addPrefillChunk(1536, 0, true);
    roofline.cost(work, cost);
    return cost.totalS();
  }
}
