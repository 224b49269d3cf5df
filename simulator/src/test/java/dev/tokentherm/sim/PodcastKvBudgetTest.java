package dev.tokentherm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.kv.KvCapacity;
import org.junit.jupiter.api.Test;

class PodcastKvBudgetTest {

  @Test
  void kvBudgetOfPodcast1tByHand() throws SetupException {
    // per H200: usable 0.9 · 143,771 MiB = 0.9 · 150,754,820,096 B = 135,679,338,086.4 B
    //   weights: 1,011,521,945,600 params · 1 B (fp8) / 8 = 126,440,243,200 B
    //   activation peak: 2,048 tokens · (4 · 25,600 + 3 · 84,480 / 8) · 2 B + 16 seqs · 128,256 · 12 B
    //     = 549,191,680 + 24,625,152 = 573,816,832 B
    //   reserve 1,024 MiB = 1,073,741,824 B
    //   KV budget = 7,591,536,230.4 B ≈ 7.59 GB (docs/DOMAIN.md's "~9 GB" is before activations and reserve)
    //   fp8 KV: 512 KiB / 2 / 8 GPUs = 32,768 B per token per GPU; blocks = floor(budget / (16 · 32,768)) = 14,479
    SimTestSupport.Loaded podcast = SimTestSupport.file("scenarios/podcast-1t.yaml");
    KvCapacity kv = Simulation.plan(podcast.scenario(), podcast.profiles()).get(0).kv();
    assertThat(kv.usableBytes()).isCloseTo(135_679_338_086.4, within(1e-3));
    assertThat(kv.weightsBytes()).isEqualTo(126_440_243_200.0);
    assertThat(kv.activationPeakBytes()).isEqualTo(573_816_832.0);
    assertThat(kv.reserveBytes()).isEqualTo(1_073_741_824.0);
    assertThat(kv.kvBudgetBytes()).isCloseTo(7_591_536_230.4, within(1e-3));
    assertThat(kv.kvBytesPerToken()).isEqualTo(32_768.0);
    assertThat(kv.blocks()).isEqualTo(14_479);
    assertThat(kv.tokens()).isEqualTo(231_664);
  }
}
