package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.serving.Request;
import org.junit.jupiter.api.Test;

/**
 * Two requests on a replica of 40 KV blocks (640 tokens): A (prompt 200, 400 out) ends with 599
 * tokens of KV = 38 blocks, B (prompt 100, 300 out) with 399 = 25 blocks; both are admitted (13 + 7
 * blocks) but cannot both finish, so when a decode step finds no free block the most recently
 * admitted one, B, is preempted (vLLM's victim) and resumes after A.
 */
class PreemptionTest {
  static final String SCENARIO = """
      name: preempt
      horizon_s: 60
      cluster: {nodes: [{profile: dgx-h100, count: 1}]}
      deployments:
        - {name: chat, model: llama-3.1-8b, replicas: 1, kv: {num_gpu_blocks: 40, preemption: %s}}
      workload:
        - target: chat
          trace: {format: csv, path: simulator/src/test/resources/sim/two-requests.csv}
      """;

  private static Request byPrompt(SimTestSupport.Run run, long context) {
    return run.turns().stream().filter(t -> t.contextTokens() == context).findFirst().orElseThrow();
  }

  @Test
  void recomputeDropsTheLatestAdmittedAndRecomputesItsTokens() {
    SimTestSupport.Run run = SimTestSupport.text(SCENARIO.formatted("recompute")).run();
    Request a = byPrompt(run, 200);
    Request b = byPrompt(run, 100);
    assertThat(a.preemptions()).isZero();
    assertThat(b.preemptions()).isPositive();
    assertThat(b.doneNs()).isGreaterThan(a.doneNs());
    // its generated tokens joined the prompt it recomputed
    assertThat(b.prefillTokens()).isGreaterThan(100);
    assertThat(b.outputTokens()).isEqualTo(300);
    assertThat(run.result().metrics().counters().runOutputTokens()).isEqualTo(700);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void swapMovesTheKvToHostAndBackWithoutRecomputing() {
    SimTestSupport.Run run = SimTestSupport.text(SCENARIO.formatted("swap")).run();
    Request b = byPrompt(run, 100);
    assertThat(b.preemptions()).isPositive();
    assertThat(b.prefillTokens()).isZero(); // its KV came back from host memory
    assertThat(run.result().metrics().counters().runOutputTokens()).isEqualTo(700);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void withoutPreemptionTheTurnReservesItsBlocksAndWaits() {
    // reserve mode: B waits until A's 38 blocks are free, and nothing is preempted
    SimTestSupport.Run run = SimTestSupport.text(SCENARIO.formatted("none")).run();
    Request b = byPrompt(run, 100);
    assertThat(b.preemptions()).isZero();
    assertThat(b.queueNs()).isGreaterThan(byPrompt(run, 200).e2eNs() - 2_000_000L);
    InvariantsTest.assertConserved(run);
  }

  @Test
  void aSwapIsATimedTransferOfTheSwappedRequestAlone() {
    // B is preempted after 167 decode steps holding ceil(267/16) = 17 blocks; a Llama-3.1-8B block
    // is 16 tokens × 2 (K, V) × 32 layers × 8 KV heads × 128 × 2 B = 2,097,152 B, so each copy moves
    // 35,651,584 B per GPU over the DGX H100's 50 GB/s host link: 713,031.68 ns, rounded once to
    // 713,032 ns; out and back in, 1,426,064 ns
    SimTestSupport.Run swap = SimTestSupport.text(SCENARIO.formatted("swap")).run();
    Request b = byPrompt(swap, 100);
    assertThat(b.preemptions()).isEqualTo(1);
    assertThat(b.swapTransferNs()).isEqualTo(2 * 713_032L);
    assertThat(swap.result().books().get(0).replicas().get(0).books().swapFallbacks()).isZero();
    // the transfer is B's alone: A's token gaps are those of a run in which B is simply dropped
    // (recompute: B's prefill comes only after A is done, as B's swap-in does)
    SimTestSupport.Run recompute = SimTestSupport.text(SCENARIO.formatted("recompute")).run();
    Request a = byPrompt(swap, 200);
    Request aAlone = byPrompt(recompute, 200);
    assertThat(a.maxTbtNs()).isEqualTo(aAlone.maxTbtNs());
    assertThat(a.doneNs()).isEqualTo(aAlone.doneNs());
    InvariantsTest.assertConserved(swap);
  }

  @Test
  void aSwapThatFindsNoRoomInHostMemoryRecomputes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    // the same two requests on a DGX H100 whose host DRAM is 0.01 GiB (10.7 MB): B's 17 blocks
    // are 35.7 MB, so its KV cannot go to host memory and it is recomputed, nothing transferred
    java.nio.file.Path profiles = tmp.resolve("hardware-profiles");
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("hardware-profiles"))) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        java.nio.file.Path to = profiles.resolve(java.nio.file.Path.of("hardware-profiles").relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(to);
        } else {
          java.nio.file.Files.copy(f, to);
        }
      }
    }
    java.nio.file.Path node = profiles.resolve("nodes/dgx-h100.yaml");
    String yaml = java.nio.file.Files.readString(node);
    assertThat(yaml).contains("host_dram_gib: {value: 2048,");
    java.nio.file.Files.writeString(node, yaml.replace("host_dram_gib: {value: 2048,", "host_dram_gib: {value: 0.01,"));
    var bound = dev.tokentherm.scenario.ScenarioLoader.parse(SCENARIO.formatted("swap"), "test.yaml", java.util.List.of());
    var resolved = new dev.tokentherm.scenario.ProfileLibrary(profiles).resolve(bound);
    SimTestSupport.Turns turns = new SimTestSupport.Turns();
    RunResult r = Simulation.run(bound.value(), resolved, dev.tokentherm.metrics.RunSinks.turnsOnly(turns),
        Progress.NONE, java.nio.file.Path.of(""));
    Request b = turns.rows.stream().filter(t -> t.contextTokens() == 100).findFirst().orElseThrow();
    assertThat(b.preemptions()).isEqualTo(1);
    assertThat(b.swapTransferNs()).isZero();
    assertThat(b.prefillTokens()).isGreaterThan(100); // its context and generated tokens, recomputed
    assertThat(r.books().get(0).replicas().get(0).books().swapFallbacks()).isEqualTo(1);
    assertThat(Conservation.violations(r)).isEmpty();
  }
}
