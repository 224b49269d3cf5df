package dev.tokentherm.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokentherm.engine.RandomStreams;
import dev.tokentherm.engine.SplitMix64;
import dev.tokentherm.scenario.Distribution;
import dev.tokentherm.scenario.Podcast;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final int N = 100_000;

  private static double[] draws(Distribution d) {
    Sampler s = new Sampler(d);
    SplitMix64 stream = RandomStreams.stream(7, 1, 0);
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = s.sample(stream);
    }
    Arrays.sort(x);
    return x;
  }

  @Test
  void lognormalMedianIsTheMedian() {
    // median m means μ = ln m: half the draws fall below m
    double[] x = draws(new Distribution("lognormal", null, null, 250.0, 0.8, null, null));
    assertThat(x[N / 2]).isCloseTo(250, within(250 * 0.02));
  }

  @Test
  void geometricMeanCountsTurnsFromOne() {
    // Commons Math counts failures from 0; a turn count is ≥ 1 with the stated mean
    double[] x = draws(new Distribution("geometric", null, 6.0, null, null, null, null));
    assertThat(x[0]).isEqualTo(1.0);
    assertThat(Arrays.stream(x).average().orElseThrow()).isCloseTo(6.0, within(0.1));
  }

  @Test
  void exponentialMeanAndClamping() {
    double[] x = draws(new Distribution("exponential", null, 30.0, null, null, null, null));
    assertThat(Arrays.stream(x).average().orElseThrow()).isCloseTo(30.0, within(0.5));
    double[] clamped = draws(new Distribution("exponential", null, 30.0, null, null, 5.0, 60.0));
    assertThat(clamped[0]).isEqualTo(5.0);
    assertThat(clamped[N - 1]).isEqualTo(60.0);
  }

  @Test
  void countsAreWholeAndAtLeastOne() {
    Sampler s = new Sampler(new Distribution("constant", 0.2, null, null, null, null, null));
    assertThat(s.sampleCount(RandomStreams.stream(1, 1, 1))).isEqualTo(1);
  }

  @Test
  void podcastPhrasesAlternateEveryPhrase() {
    // 510 min, a phrase every 8 s: turn j's prompt at 16 j s while 16 j < 30,600 → 1,913 turns of 26 tokens
    Podcast p = new Podcast(510, 8, 20, 1.3, 0, List.of(5.0));
    assertThat(p.tokensPerPhrase()).isEqualTo(26);
    assertThat(PodcastScript.turnCount(p)).isEqualTo(1913);
    PodcastScript script = new PodcastScript(p);
    TurnDraw d = new TurnDraw();
    script.nextTurn(d);
    assertThat(d.userTokens).isEqualTo(26);
    assertThat(d.modelTokens).isEqualTo(26);
    assertThat(d.nextArrivalNs).isEqualTo(16_000_000_000L);
    for (int i = 1; i < 1913; i++) {
      script.nextTurn(d);
    }
    assertThat(d.last).isTrue();
  }

  @Test
  void conversationsDrawFromTheirOwnStreams() {
    // conversation 5's turns do not depend on whether conversations 0–4 were drawn first
    var spec = new dev.tokentherm.scenario.Conversations(
        new dev.tokentherm.scenario.Arrival("poisson", 1.0, 1.0, null, 86400, null,
            new Distribution("constant", 0.0, null, null, null, null, null), null),
        new Distribution("geometric", null, 4.0, null, null, null, null),
        new Distribution("lognormal", null, null, 200.0, 1.0, null, null),
        new Distribution("lognormal", null, null, 150.0, 0.8, null, null),
        new Distribution("exponential", null, 20.0, null, null, null, null), false);
    TurnDraw a = new TurnDraw();
    TurnDraw b = new TurnDraw();
    SyntheticConversations first = new SyntheticConversations(spec, 42, 0);
    for (int i = 0; i < 5; i++) {
      first.script(i).nextTurn(new TurnDraw());
    }
    first.script(5).nextTurn(a);
    new SyntheticConversations(spec, 42, 0).script(5).nextTurn(b);
    assertThat(a.userTokens).isEqualTo(b.userTokens);
    assertThat(a.modelTokens).isEqualTo(b.modelTokens);
    assertThat(a.thinkNs).isEqualTo(b.thinkNs);
  }
}
