package dev.tokentherm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import org.junit.jupiter.api.Test;

class ModelWorkTest {

  private static Architecture arch(String model, Dtype kv, int tp) {
    return new Architecture(TestProfiles.model(model), null, kv, tp, 1, 1);
  }

  @Test
  void llama3_70bHolds320KibOfBf16KvPerToken() {
    // 80 layers · 8 KV heads · 128 dim · 2 (K, V) · 2 B = 327,680 B = 320 KiB
    Architecture m = arch("llama-3.1-70b", Dtype.BF16, 1);
    assertThat(m.kvBytesPerTokenAllGpus()).isEqualTo(320.0 * 1024);
    assertThat(m.bytesPerHeldTokenPerGpu()).isEqualTo(320.0 * 1024);
    // 128k tokens = 40 GiB (Mooncake's "40 GB ≈ 128k tokens")
    assertThat(m.heldBytesPerGpu(131_072)).isEqualTo(40.0 * (1L << 30));
  }

  @Test
  void dense1tHolds512KibPerTokenAnd64KibPerGpuAtTp8() {
    // 128 layers · 8 · 128 · 2 · 2 B = 524,288 B = 512 KiB; 8 KV heads over 8 GPUs: 64 KiB each
    assertThat(arch("dense-1t", Dtype.BF16, 8).kvBytesPerTokenAllGpus()).isEqualTo(512.0 * 1024);
    assertThat(arch("dense-1t", Dtype.BF16, 8).bytesPerHeldTokenPerGpu()).isEqualTo(64.0 * 1024);
    assertThat(arch("dense-1t", Dtype.FP8, 8).bytesPerHeldTokenPerGpu()).isEqualTo(32.0 * 1024);
  }

  @Test
  void kvHeadsAreReplicatedBeyondTheirCount() {
    // Llama-3.1-8B has 8 KV heads: TP 16 still divides its 128 KiB per token by 8, not 16
    assertThat(arch("llama-3.1-8b", Dtype.BF16, 4).bytesPerHeldTokenPerGpu()).isEqualTo(128.0 * 1024 / 4);
    assertThat(arch("llama-3.1-8b", Dtype.BF16, 16).bytesPerHeldTokenPerGpu()).isEqualTo(128.0 * 1024 / 8);
  }

  @Test
  void parameterCountsMatchThePublishedTotals() {
    // Llama-3.1-8B: per layer 4096·4096·2 (q, o) + 4096·1024·2 (k, v) + 3·4096·14336 = 218,103,808;
    // · 32 = 6,979,321,856; LM head and embedding 128,256 · 4096 = 525,336,576 each → 8.03 B
    Architecture llama = arch("llama-3.1-8b", Dtype.BF16, 1);
    assertThat(llama.activeParamsPerToken()).isEqualTo(218_103_808L * 32);
    assertThat(llama.totalParams()).isEqualTo(6_979_321_856L + 2 * 525_336_576L);
    // dense-1t: per layer 25600·25600·2 + 25600·1024·2 + 3·25600·84480 = 7,851,212,800; · 128 +
    // 2 · 128,256 · 25,600 = 1,004,955,238,400 + 6,566,707,200 = 1.0115 T (docs/DOMAIN.md §8)
    Architecture dense = arch("dense-1t", Dtype.BF16, 8);
    assertThat(dense.totalParams()).isEqualTo(1_011_521_945_600L);
    assertThat(dense.totalParams() / 1e9).isCloseTo(dense.profile().statedParamsB(), within(0.1));
  }

  @Test
  void bloomIsMhaWithTiedEmbeddingsAndAnUngatedFfn() {
    // per layer 14336² · 4 (q, k, v, o: 112 KV heads = MHA) + 2 · 14336 · 57344; · 70;
    // one tied 250,880 · 14,336 matrix → 176.2 B
    Architecture bloom = arch("bloom-176b", Dtype.BF16, 1);
    long perLayer = 4L * 14336 * 14336 + 2L * 14336 * 57344;
    assertThat(bloom.totalParams()).isEqualTo(perLayer * 70 + 250_880L * 14_336);
    assertThat(bloom.totalParams() / 1e9).isCloseTo(176.2, within(0.5));
  }
}
