package dev.tokentherm.cli;

import static dev.tokentherm.cli.TinyScenario.changed;
import static dev.tokentherm.cli.TinyScenario.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Bad scenarios and options through the real command line: exit code 2, exactly the expected
 * one-line error(s) on stderr (file:line:column: field.path: what is wrong; what is allowed), no
 * stack trace, nothing on stdout, and no results folder (nor a staging folder) left behind.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class BadInputTest {
  private static final String TOP_KEYS =
      "name, seed, horizon_s, max_drain_s, measure, cluster, deployments, workload, slo, outputs";
  private static final String DEPLOYMENT_KEYS = "name, model, stack, weights_dtype, "
      + "compute_dtype, kv_dtype, replicas, parallelism, scheduler, kv, admission, router, attention";

  @TempDir
  Path tmp;

  private Path out;

  @BeforeEach
  void outFolder() {
    out = tmp.resolve("out");
  }

  // ---- the cases of the brief --------------------------------------------------------------

  @Test
  void wrongType() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("replicas: 2", "replicas: two"));
    expectRunFails(file, List.of(file + ":13:15: deployments[0].replicas: expected a whole number, "
        + "got \"two\"; allowed: an integer ≥ 1"));
  }

  @Test
  void unknownFieldWithDidYouMean() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("horizon_s: 20\n", "horizon_s: 20\nhorizn_s: 20\n"));
    expectRunFails(file, List.of(file + ":4:1: horizn_s: unknown field; did you mean 'horizon_s'?"));
  }

  /** A misspelt required key is two problems: the key that is missing and the unknown one. */
  @Test
  void misspeltRequiredField() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("horizon_s: 20", "horizn_s: 20"));
    expectRunFails(file, List.of(
        file + ":1:1: horizon_s: required field is missing; allowed: a number ≥ 0 and ≤ 1000000000",
        file + ":3:1: horizn_s: unknown field; did you mean 'horizon_s'?"));
  }

  @Test
  void unknownModelProfile() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("model: llama-3.1-8b", "model: lama-3.1-8b"));
    expectRunFails(file, List.of(file + ":9:12: deployments[0].model: unknown model profile "
        + "'lama-3.1-8b'; did you mean 'llama-3.1-8b'? (see hardware-profiles/models/)"));
  }

  @Test
  void negativeDuration() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("horizon_s: 20", "horizon_s: -5"));
    expectRunFails(file, List.of(file + ":3:12: horizon_s: -5 is out of range; allowed: a number ≥ 0 and ≤ 1000000000"));
  }

  /** Llama-3.1-70B in bf16 on one H100 (tp 1): 131 GiB of weights do not fit in 80 GB. */
  @Test
  void modelThatDoesNotFit() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("model: llama-3.1-8b", "model: llama-3.1-70b"));
    Cli.Result r = expectRunFails(file, 1);
    String line = r.errLines().get(0);
    assertThat(line).startsWith(file + ":9:12: deployments[0].model: 'llama-3.1-70b' does not fit "
        + "on h100-sxm with tp 1, pp 1: per GPU 131.41 GiB of bf16 weights + ");
    assertThat(line).matches(java.util.regex.Pattern.quote(file.toString())
        + ":9:12: deployments\\[0\\]\\.model: 'llama-3\\.1-70b' does not fit on h100-sxm with tp 1, pp 1: "
        + "per GPU 131\\.41 GiB of bf16 weights \\+ \\d+\\.\\d\\d GiB activations \\+ "
        + "\\d+\\.\\d\\d GiB reserve leave -\\d+\\.\\d\\d GiB of the 71\\.68 GiB usable "
        + "\\(0\\.90 × 81559 MiB\\) for KV; allowed: a larger tp or pp, fp8 weights, or a larger GPU");
  }

  @Test
  void malformedYaml() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("count: 1}]", "count: 1}"));
    expectRunFails(file, List.of(file + ":7:1: malformed YAML: expected ',' or ']', but got <scalar> "
        + "(while parsing a flow sequence that starts at 6:10)"));
  }

  /** An empty file has no line to point at: the message names the file alone. */
  @Test
  void emptyFile() throws IOException {
    Path file = write(tmp, "empty.yaml", "");
    expectRunFails(file, List.of(file + ": the file is empty; expected a mapping with keys: " + TOP_KEYS));
  }

  @Test
  void topLevelNotAMapping() throws IOException {
    Path file = write(tmp, "bad.yaml", "just a string\n");
    expectRunFails(file, List.of(file + ":1:1: the top level is \"just a string\"; "
        + "expected a mapping with keys: " + TOP_KEYS));
  }

  @Test
  void setWithAnIndexOutOfRange() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    expectRunFails(file, List.of("--set deployments[5].replicas=2: deployments[5]: index out of range; "
        + "the file has 1 deployment(s)"), "--set", "deployments[5].replicas=2");
  }

  @Test
  void setOfAnUnknownKey() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    expectRunFails(file, List.of("--set deployments[0].replics=2: deployments[0].replics: unknown field; "
        + "did you mean 'replicas'?"), "--set", "deployments[0].replics=2");
    expectRunFails(file, List.of("--set horizn_s=30: horizn_s: unknown field; did you mean 'horizon_s'?"),
        "--set", "horizn_s=30");
  }

  @Test
  void setOfAWrongTypeAndSetWithoutEquals() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    expectRunFails(file, List.of("--set deployments[0].replicas=two: deployments[0].replicas: "
        + "expected a whole number, got \"two\"; allowed: an integer ≥ 1"),
        "--set", "deployments[0].replicas=two");
    expectRunFails(file, List.of("--set replicas: no '=' found; expected path=value, "
        + "e.g. --set deployments[0].replicas=24"), "--set", "replicas");
  }

  @Test
  void weightsDtypeOutOfSet() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("weights_dtype: bf16", "weights_dtype: fp4"));
    expectRunFails(file, List.of(file + ":11:20: deployments[0].weights_dtype: unknown value 'fp4'; "
        + "did you mean 'fp8'? allowed: bf16, fp16, fp8"));
  }

  @Test
  void missingRequiredField() throws IOException {
    String text = TinyScenario.TEXT;
    String withoutDeployments = text.substring(0, text.indexOf("deployments:"))
        + text.substring(text.indexOf("workload:"));
    Path file = write(tmp, "bad.yaml", withoutDeployments);
    expectRunFails(file, List.of(file + ":1:1: deployments: required field is missing; allowed: "
        + "a list of at least 1, each a mapping with keys: " + DEPLOYMENT_KEYS));
  }

  @Test
  void workloadTargetNamingNoDeployment() throws IOException {
    Path file = write(tmp, "bad.yaml", changed("target: chat", "target: chatt"));
    expectRunFails(file, List.of(file + ":18:13: workload[0].target: no deployment is named 'chatt'; "
        + "allowed: chat"));
  }

  /** Five problems: the first three in file order, then a count of the rest. */
  @Test
  void moreThanThreeErrors() throws IOException {
    String text = TinyScenario.TEXT;
    text = changed(text, "horizon_s: 20", "horizon_s: -5");              // line 3
    text = changed(text, "weights_dtype: bf16", "weights_dtype: fp4");   // line 11
    text = changed(text, "kv_dtype: bf16", "kv_dtype: fp3");             // line 12
    text = changed(text, "replicas: 2", "replicas: two");                // line 13
    text = changed(text, "rate_per_s: 0.5", "rate_per_s: -1");           // line 20
    Path file = write(tmp, "bad.yaml", text);
    expectRunFails(file, List.of(
        file + ":3:12: horizon_s: -5 is out of range; allowed: a number ≥ 0 and ≤ 1000000000",
        file + ":11:20: deployments[0].weights_dtype: unknown value 'fp4'; did you mean 'fp8'? "
            + "allowed: bf16, fp16, fp8",
        file + ":12:15: deployments[0].kv_dtype: unknown value 'fp3'; did you mean 'fp8'? "
            + "allowed: bf16, fp16, fp8",
        "… and 2 more"));
  }

  @Test
  void nonexistentScenarioFile() {
    Path file = tmp.resolve("no-such-scenario.yaml");
    expectRunFails(file, List.of(file + ": no such file"));
  }

  @Test
  void fp8ComputeOnA100() throws IOException {
    String text = changed("profile: dgx-h100", "profile: dgx-a100");
    text = changed(text, "weights_dtype: bf16\n", "weights_dtype: fp8\n    compute_dtype: fp8\n");
    Path file = write(tmp, "bad.yaml", text);
    expectRunFails(file, List.of(file + ":12:20: deployments[0].compute_dtype: is fp8 but a100-80gb "
        + "has no fp8 tensor cores; allowed: bf16, fp16"));
  }

  /** Errors of picocli itself (bad option values, unknown options) exit 2 with a usage hint. */
  @Test
  void badCommandLineOptions() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    expectRunFails(file, List.of("tokentherm: Invalid value for option '--seed': 'abc' is not a long",
        "try: tokentherm run --help"), "--seed", "abc");
    expectRunFails(file, List.of("tokentherm: Unknown option: '--bogus'", "try: tokentherm run --help"),
        "--bogus");
  }

  // ---- the same problems through validate -------------------------------------------------

  @Test
  void validateReportsEachBadFileAndOkForGoodOnes() throws IOException {
    Path good = write(tmp, "good.yaml", TinyScenario.TEXT);
    Path tooBig = write(tmp, "too-big.yaml", changed("model: llama-3.1-8b", "model: llama-3.1-70b"));
    Path a100 = write(tmp, "a100.yaml", changed(changed("profile: dgx-h100", "profile: dgx-a100"),
        "weights_dtype: bf16\n", "weights_dtype: fp8\n    compute_dtype: fp8\n"));
    Path target = write(tmp, "target.yaml", changed("target: chat", "target: chatt"));
    Path missing = tmp.resolve("missing.yaml");

    Cli.Result r = Cli.run("validate", tooBig, good, a100, target, missing);

    assertThat(r.code()).as("%s", r).isEqualTo(2);
    assertThat(r.outLines()).containsExactly("ok: " + good);
    List<String> err = r.errLines();
    assertThat(err).hasSize(4);
    assertThat(err.get(0)).startsWith(tooBig + ":9:12: deployments[0].model: 'llama-3.1-70b' does not "
        + "fit on h100-sxm with tp 1, pp 1: per GPU 131.41 GiB of bf16 weights").contains(" GiB activations ")
        .endsWith("; allowed: a larger tp or pp, fp8 weights, or a larger GPU");
    assertThat(err.get(1)).isEqualTo(a100 + ":12:20: deployments[0].compute_dtype: is fp8 but "
        + "a100-80gb has no fp8 tensor cores; allowed: bf16, fp16");
    assertThat(err.get(2)).isEqualTo(target + ":18:13: workload[0].target: no deployment is named "
        + "'chatt'; allowed: chat");
    assertThat(err.get(3)).isEqualTo(missing + ": no such file");
    assertNoStackTrace(r);
  }

  @Test
  void validateOfBadTypesAndEmptyFile() throws IOException {
    Path wrongType = write(tmp, "wrong-type.yaml", changed("replicas: 2", "replicas: two"));
    Path empty = write(tmp, "empty.yaml", "");
    Cli.Result r = Cli.run("validate", wrongType, empty);
    assertThat(r.code()).as("%s", r).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly(
        wrongType + ":13:15: deployments[0].replicas: expected a whole number, got \"two\"; "
            + "allowed: an integer ≥ 1",
        empty + ": the file is empty; expected a mapping with keys: " + TOP_KEYS);
    assertNoStackTrace(r);
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Runs {@code run FILE --out tmp/out EXTRA...} and checks it failed cleanly with these lines. */
  private Cli.Result expectRunFails(Path file, List<String> expectedErrLines, String... extra) {
    Cli.Result r = runInto(file, extra);
    assertThat(r.errLines()).as("stderr of %s", r).containsExactlyElementsOf(expectedErrLines);
    return r;
  }

  /** Runs and checks the clean failure; the caller checks the {@code lines} error lines. */
  private Cli.Result expectRunFails(Path file, int lines, String... extra) {
    Cli.Result r = runInto(file, extra);
    assertThat(r.errLines()).as("stderr of %s", r).hasSize(lines);
    return r;
  }

  private Cli.Result runInto(Path file, String... extra) {
    List<Object> args = new ArrayList<>(List.of("run", file, "--out", out));
    args.addAll(List.of(extra));
    Cli.Result r = Cli.run(args.toArray());
    assertThat(r.code()).as("exit code of %s", r).isEqualTo(2);
    assertThat(r.out()).as("stdout of a failed run").isEmpty();
    assertNoStackTrace(r);
    assertNothingWritten();
    return r;
  }

  private static void assertNoStackTrace(Cli.Result r) {
    assertThat(r.err()).doesNotContain("at dev.", "Exception", "\tat ", "internal error");
  }

  private void assertNothingWritten() {
    assertThat(out).as("--out folder of a failed run").doesNotExist();
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .as("staging folders next to --out")
          .noneMatch(name -> name.contains(".partial-") || name.contains(".old-"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
