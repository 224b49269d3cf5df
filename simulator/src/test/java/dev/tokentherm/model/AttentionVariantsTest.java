package dev.tokentherm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.TestProfiles;
import dev.tokentherm.model.AttentionSpec;
import org.junit.jupiter.api.Test;

/**
 * KV held and decode cost of each attention variant on dense-1t (128 layers, hidden 25,600, 200
 * query heads × 128, 8 KV heads) at TP 8, PP 1, bf16 KV, with the study's default parameters,
 * computed by hand; 1k, 128k and 1M mean 1,024, 131,072 and 1,048,576 tokens.
 */
class AttentionVariantsTest {
  private static final long K1 = 1_024;
  private static final long K128 = 131_072;
  private static final long M1 = 1_048_576;
  private static final double GQA_TOKEN = 2.0 * 8 * 128 * 2 / 8 * 128; // 65,536 B per token per GPU

  static AttentionSpec spec(String variant) {
    return new AttentionSpec(variant, 4096, 128, 512, 8, 512, 100_000_000L, 1.0, 512, 64, 2048, 64, 128,
        16, 4, 2, 8);
  }

  static Architecture dense1t(String variant) {
    return new Architecture(TestProfiles.model("dense-1t"), spec(variant), Dtype.BF16, 8, 1, 1);
  }

  @Test
  void gqaHoldsEveryTokenSplitOverTheKvHeads() {
    // 2 · 8 KV heads · 128 · 2 B / min(8, 8) GPUs · 128 layers = 65,536 B per token per GPU
    Architecture a = dense1t("gqa");
    assertThat(a.heldBytesPerGpu(K1)).isEqualTo(64.0 * (1 << 20));      // 64 MiB
    assertThat(a.heldBytesPerGpu(K128)).isEqualTo(8.0 * (1L << 30));    // 8 GiB
    assertThat(a.heldBytesPerGpu(M1)).isEqualTo(64.0 * (1L << 30));     // 64 GiB
  }

  @Test
  void gqaKvHeadsAreReplicatedBeyondTheirCount() {
    // at TP 16 each GPU still holds one of the 8 KV heads: the same 65,536 B per token as at TP 8
    Architecture tp16 = new Architecture(TestProfiles.model("dense-1t"), null, Dtype.BF16, 16, 1, 1);
    assertThat(tp16.bytesPerHeldTokenPerGpu()).isEqualTo(GQA_TOKEN);
  }

  @Test
  void mlaLatentIsNotDividedByTp() {
    // (512 + 64) · 2 B = 1,152 B per token per layer on every rank · 128 layers = 147,456 B
    Architecture a = dense1t("mla");
    assertThat(a.heldBytesPerGpu(K1)).isEqualTo(147_456.0 * K1);
    assertThat(a.heldBytesPerGpu(K128)).isEqualTo(147_456.0 * K128);
    assertThat(a.heldBytesPerGpu(M1)).isEqualTo(147_456.0 * M1);        // 144 GiB: does not fit
    assertThat(new Architecture(TestProfiles.model("dense-1t"), spec("mla"), Dtype.BF16, 1, 1, 1)
        .bytesPerHeldTokenPerGpu()).isEqualTo(147_456.0);
  }

  @Test
  void dsaAddsTheIndexerKeys() {
    // latent 1,152 B + fp8 indexer keys 128 B per token per layer · 128 layers = 163,840 B
    assertThat(dense1t("dsa").heldBytesPerGpu(M1)).isEqualTo(163_840.0 * M1);
  }

  @Test
  void windowsCapTheHeldTokens() {
    // sliding window: min(n, 4,096); global-local: min(n, 4,096 + 128); chunked retrieval:
    // min(n, 4,096 + 8 · 512)
    assertThat(dense1t("sliding-window").heldBytesPerGpu(K1)).isEqualTo(GQA_TOKEN * K1);
    assertThat(dense1t("sliding-window").heldBytesPerGpu(K128)).isEqualTo(GQA_TOKEN * 4096);
    assertThat(dense1t("sliding-window").heldBytesPerGpu(M1)).isEqualTo(GQA_TOKEN * 4096); // 256 MiB
    assertThat(dense1t("global-local").heldBytesPerGpu(M1)).isEqualTo(GQA_TOKEN * 4224);
    assertThat(dense1t("global-local").heldBytesPerGpu(K1)).isEqualTo(GQA_TOKEN * K1);
    assertThat(dense1t("chunked-retrieval").heldBytesPerGpu(K128)).isEqualTo(GQA_TOKEN * 8192);
    assertThat(dense1t("chunked-retrieval").heldBytesPerGpu(M1)).isEqualTo(GQA_TOKEN * 8192);
  }

  @Test
  void compressiveMemoryKeepsSlotsPlusOneOrTwoSegments() {
    // n < 2 S = 8,192: n raw tokens; beyond, 512 slots + 4,096 + n mod 4,096 (folds every 4,096)
    Architecture a = dense1t("compressive-memory");
    assertThat(a.heldBytesPerGpu(K1)).isEqualTo(GQA_TOKEN * 1024);
    assertThat(a.heldBytesPerGpu(K128)).isEqualTo(GQA_TOKEN * (512 + 4096));   // 131,072 = 32 · 4,096
    assertThat(a.heldBytesPerGpu(M1)).isEqualTo(GQA_TOKEN * (512 + 4096));
    assertThat(a.heldBytesPerGpu(M1 + 1000)).isEqualTo(GQA_TOKEN * (512 + 4096 + 1000));
    // a fold every 4,096 tokens past 8,192: from 0 to 1M, 1,048,576 / 4,096 − 1 = 255 forward passes
    assertThat(a.foldsBetween(0, M1)).isEqualTo(255);
    assertThat(a.foldsBetween(0, 8191)).isZero();
  }

  @Test
  void mambaHoldsAConstantState() {
    // d_inner = 2 · 25,600 = 51,200; (16 + 4 − 1) · 51,200 · 4 B / 8 GPUs = 486,400 B per layer; · 128
    Architecture a = dense1t("mamba");
    assertThat(a.heldBytesPerGpu(K1)).isEqualTo(486_400.0 * 128);
    assertThat(a.heldBytesPerGpu(M1)).isEqualTo(486_400.0 * 128);
    assertThat(a.bytesPerHeldTokenPerGpu()).isZero();
  }

  @Test
  void hybridHasOneAttentionLayerInEight() {
    // 16 GQA layers · 512 B per token per GPU + 112 Mamba layers · 486,400 B of state
    Architecture a = dense1t("hybrid");
    assertThat(a.bytesPerHeldTokenPerGpu()).isEqualTo(16 * 512.0);
    assertThat(a.heldBytesPerGpu(M1)).isEqualTo(16 * 512.0 * M1 + 112 * 486_400.0);
  }

  @Test
  void mlaAbsorbedDecodeOfDeepSeekV3() {
    // 2 · 128 heads · (2 · 512 + 64) = 278,528 FLOPs per cached token per layer at TP 1
    Architecture v3 = new Architecture(TestProfiles.model("deepseek-v3"), null, Dtype.BF16, 1, 1, 1);
    MlaAttention mla = (MlaAttention) v3.mixer(0);
    assertThat(mla.absorbedFlopsPerToken()).isEqualTo(278_528.0);
    // ~3.4 × the generic 4 · heads · head_dim = 65,536
    assertThat(mla.absorbedFlopsPerToken() / (4.0 * 128 * 128)).isCloseTo(4.25, within(1e-12));
    // the latent is read whole: (512 + 64) · 2 B per token per layer
    assertThat(mla.decodeBytesPerUnit(0)).isEqualTo(1152.0);
  }

  @Test
  void slidingWindowDecodeAtOneMillionCostsWhatItCostsAtTheWindow() {
    Mixer swa = dense1t("sliding-window").mixer(0);
    assertThat(swa.decodeFlops(M1)).isEqualTo(swa.decodeFlops(4096));
    assertThat(swa.decodeBytes(M1)).isEqualTo(swa.decodeBytes(4096));
    assertThat(swa.decodeFlops(1000)).isLessThan(swa.decodeFlops(4096));
  }

  @Test
  void mambaDecodeAtOneMillionCostsWhatItCostsAtOneThousand() {
    Mixer mamba = dense1t("mamba").mixer(0);
    assertThat(mamba.decodeFlops(M1)).isEqualTo(mamba.decodeFlops(K1));
    assertThat(mamba.decodeBytes(M1)).isEqualTo(mamba.decodeBytes(K1));
    // reads and writes its 486,400 B of state per layer per step
    assertThat(mamba.decodeBytes(K1)).isEqualTo(2 * 486_400.0);
  }

  @Test
  void dsaDecodeGrowsOnlyThroughItsIndexer() {
    // past top-k = 2,048 the main attention stops growing; the indexer adds 2 · 64 · 128 / 8 = 2,048
    // FLOPs per token per layer per GPU: 3.8 % of MLA's absorbed slope 2 · 200 · 1,088 / 8 = 54,400
    // (DeepSeek's 128 heads give docs/DOMAIN.md's ~6 %)
    Mixer dsa = dense1t("dsa").mixer(0);
    double slope = (dsa.decodeFlops(M1) - dsa.decodeFlops(M1 - 1000)) / 1000;
    assertThat(slope).isEqualTo(2.0 * 64 * 128 / 8);
    double mlaSlope = 2.0 * 200 * (2 * 512 + 64) / 8;
    assertThat(slope / mlaSlope).isCloseTo(0.0376, within(0.001));
  }

  @Test
  void deepSeekV3ReadsOnlyTheExpertsItsTokensReach() {
    // per MoE layer: 256 routed experts of 3 · 7,168 · 2,048 = 44,040,192 params; one token reaches
    // 8 of them: 256 · (1 − (1 − 8/256)^1) = 8
    Architecture v3 = new Architecture(TestProfiles.model("deepseek-v3"), null, Dtype.BF16, 1, 1, 1);
    assertThat(v3.expertsHit(1)).isCloseTo(8.0, within(1e-9));
    double dense = v3.weightBytesReadPerGpu(Dtype.BF16, 0);
    double oneToken = v3.weightBytesReadPerGpu(Dtype.BF16, 1) - dense;
    assertThat(oneToken).isCloseTo(8 * 44_040_192.0 * 2 * 58, within(1.0)); // 58 MoE layers, 2 B
    // 256 tokens reach ≥ 99.9 % of the experts: 256 · (1 − (31/32)^256) = 255.97
    assertThat(v3.expertsHit(256) / 256).isGreaterThanOrEqualTo(0.999);
    // and the whole model is DeepSeek's 671 B
    assertThat(v3.totalParams() / 1e9).isCloseTo(671, within(1.0));
  }
}
