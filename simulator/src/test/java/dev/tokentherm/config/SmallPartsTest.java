package dev.tokentherm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SmallPartsTest {
  @Test
  void snakeCaseKeys() {
    assertThat(Names.snakeCase("horizonS")).isEqualTo("horizon_s");
    assertThat(Names.snakeCase("ratePerS")).isEqualTo("rate_per_s");
    assertThat(Names.snakeCase("hbmMib")).isEqualTo("hbm_mib");
    assertThat(Names.snakeCase("bf16Tflops")).isEqualTo("bf16_tflops");
    assertThat(Names.snakeCase("fp8Tflops")).isEqualTo("fp8_tflops");
    assertThat(Names.snakeCase("qLoraRank")).isEqualTo("q_lora_rank");
    assertThat(Names.snakeCase("carbonGPerKwh")).isEqualTo("carbon_g_per_kwh");
    assertThat(Names.snakeCase("seed")).isEqualTo("seed");
  }

  @Test
  void didYouMean() {
    List<String> keys = List.of("replicas", "model", "stack", "weights_dtype", "kv_dtype");
    assertThat(DidYouMean.closest("replicaz", keys)).contains("replicas");
    assertThat(DidYouMean.closest("rpelicas", keys)).contains("replicas"); // swapped letters
    assertThat(DidYouMean.closest("weightsDtype", keys)).contains("weights_dtype");
    assertThat(DidYouMean.closest("weights", keys)).contains("weights_dtype"); // a prefix
    assertThat(DidYouMean.closest("colour", keys)).isEmpty();
    assertThat(DidYouMean.closest("fp4", List.of("bf16", "fp16", "fp8"))).contains("fp8");
    assertThat(DidYouMean.closest("lama-3.1-8b", List.of("llama-3.1-70b", "llama-3.1-8b")))
        .contains("llama-3.1-8b");
    assertThat(DidYouMean.hint("zzz", List.of("a", "b"))).isEqualTo("allowed: a, b");
    assertThat(DidYouMean.hint("zzz", List.of())).isEqualTo("none are defined");
  }

  @Property(tries = 200)
  void editDistanceIsSymmetricAndBounded(@ForAll @StringLength(max = 12) String a,
      @ForAll @StringLength(max = 12) String b) {
    int d = DidYouMean.distance(a, b);
    assertThat(d).isEqualTo(DidYouMean.distance(b, a));
    assertThat(d).isBetween(Math.abs(a.length() - b.length()), Math.max(a.length(), b.length()));
    assertThat(d == 0).isEqualTo(a.equals(b));
  }

  @Test
  void messageShowsAtMostThreeErrors() {
    List<ConfigError> errors = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      errors.add(new ConfigError("f.yaml", i, 2, "k" + i, "bad"));
    }
    assertThat(new ConfigException(errors).getMessage()).isEqualTo("""
        f.yaml:1:2: k1: bad
        f.yaml:2:2: k2: bad
        f.yaml:3:2: k3: bad
        … and 2 more""");
    assertThat(new ConfigException(errors.subList(0, 3)).getMessage())
        .doesNotContain("more").hasLineCount(3);
    assertThat(new ConfigException(errors).getStackTrace()).isEmpty();
    assertThatThrownBy(() -> new ConfigException(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorLinesWithAndWithoutPositionOrPath() {
    assertThat(new ConfigError("f.yaml", 3, 12, "horizon_s", "bad").format())
        .isEqualTo("f.yaml:3:12: horizon_s: bad");
    assertThat(ConfigError.inSource("f.yaml", "the file is empty").format())
        .isEqualTo("f.yaml: the file is empty");
    assertThat(ConfigError.at(Position.of("--set a=1"), "a", "bad").format())
        .isEqualTo("--set a=1: a: bad");
  }

  @Test
  void pathsStepUp() {
    assertThat(Paths.parent("a.b[2].c")).isEqualTo("a.b[2]");
    assertThat(Paths.parent("a.b[2]")).isEqualTo("a.b");
    assertThat(Paths.parent("a")).isEmpty();
    assertThat(Paths.relative("deployments[0]", "")).isEqualTo("deployments[0]");
    assertThat(Paths.relative("", "deployments[0].name")).isEqualTo("deployments[0].name");
    assertThat(Paths.relative("x", "[1]")).isEqualTo("x[1]");
  }

  /** Whatever the text, loading ends in a value or a ConfigException, never another throwable. */
  @Property(tries = 300)
  void anyTextGivesAValueOrConfigErrors(@ForAll("yamlish") String text) {
    try {
      ConfigLoader.parse(text, "f.yaml", TestRecords.Rack.class, List.of());
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> yamlish() {
    return net.jqwik.api.Arbitraries.of("machines", ":", " ", "\n", "  ", "- ", "{", "}", "[",
        "]", ",", "name", "cores", "1", "-2", "x", "&a", "*a", "'", "\"", "#", "---", "~",
        "max_machines", "fan", "rpm", "1.5", "\t", "? ", "!!int")
        .list().ofMaxSize(30).map(parts -> String.join("", parts));
  }
}
