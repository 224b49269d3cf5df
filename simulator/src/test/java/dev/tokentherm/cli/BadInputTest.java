package dev.tokentherm.cli;

import static dev.tokentherm.cli.TinyScenario.changed;
import static dev.tokentherm.cli.TinyScenario.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
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
      + "compute_dtype, kv_dtype, replicas, parallelism, scheduler, kv, admission, router, attention, power";

  @TempDir
  Path tmp;

  private Path out;

  @BeforeEach
  void outFolder() {
    out = tmp.resolve("out");
  }

  // ---- cooling: inlet curves and cluster events --------------------------------------------

  private static final String NODES = "  nodes: [{profile: dgx-h100, count: 1}]";

  @Test
  void aFanFailureOnANodeTheClusterDoesNotHave() throws IOException {
    Path file = write(tmp, "bad.yaml", changed(NODES, NODES + "\n  events: [{at_s: 5, kind: fan-failure, node: 3}]"));
    expectRunFails(file, List.of(file + ":7:47: cluster.events[0].node: is 3; allowed: 0 to 0 (the cluster has 1 node)"));
  }

  @Test
  void anUnknownEventKind() throws IOException {
    Path file = write(tmp, "bad.yaml", changed(NODES, NODES + "\n  events: [{at_s: 5, kind: fan-fail, node: 0}]"));
    expectRunFails(file, List.of(file + ":7:28: cluster.events[0].kind: unknown value 'fan-fail'; did you mean "
        + "'fan-failure'? allowed: fan-failure"));
  }

  @Test
  void anInletCurveGoingBackInTime() throws IOException {
    Path file = write(tmp, "bad.yaml", changed(NODES,
        NODES + "\n  racks: {inlet_curve: [{at_s: 10, inlet_c: 30}, {at_s: 5, inlet_c: 40}]}"));
    expectRunFails(file, List.of(file + ":7:57: cluster.racks.inlet_curve[1].at_s: is not after the previous point; "
        + "allowed: increasing times"));
  }

  @Test
  void anInletCurveForLiquidCooling() throws IOException {
    Path file = write(tmp, "bad.yaml", changed(NODES,
        NODES + "\n  racks: {cooling: liquid, inlet_curve: [{at_s: 10, inlet_c: 30}]}"));
    expectRunFails(file, List.of(file + ":7:41: cluster.racks.inlet_curve: is not used by liquid cooling; "
        + "allowed: inlet_curve with cooling: air"));
  }

  @Test
  void anNvmeTierOnANodeWhoseProfileBoundsNeitherDramNorNvmeWrites() throws IOException {
    Path profiles = copyOfProfiles();
    Path node = profiles.resolve("nodes/dgx-h100.yaml");
    StringBuilder kept = new StringBuilder();
    for (String line : Files.readAllLines(node)) {
      if (!line.startsWith("dram_gb_per_s:") && !line.startsWith("nvme_write_gb_per_s:")) {
        kept.append(line).append('\n');
      }
    }
    Files.writeString(node, kept.toString());
    Path file = write(tmp, "bad.yaml", changed(NODES, NODES + "\n  kv_tiers: {nvme_gib: 10}"));
    Cli.Result r = expectRunFails(file, 1, "--profiles", profiles.toString());
    assertThat(r.errLines().get(0)).contains("cluster.kv_tiers.nvme_gib: node profile dgx-h100 gives neither "
        + "dram_gb_per_s nor nvme_write_gb_per_s, so KV moving from DRAM to NVMe has no bandwidth; allowed: nvme_gib 0,"
        + " or a node profile with them");
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
  void powerCapOutsideIdleToTheBoardLimit() throws IOException {
    Path file = write(tmp, "cap.yaml", TinyScenario.TEXT);
    Cli.Result r = Cli.run("run", file, "--set", "deployments[0].power.cap_w=800");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("deployments[0].power.cap_w: is 800 W; allowed: above");
  }

  @Test
  void lockedClockWithoutItsClockOrOutsideTheGpuRange() throws IOException {
    Path file = write(tmp, "locked.yaml", TinyScenario.TEXT);
    Cli.Result r = Cli.run("run", file, "--set", "deployments[0].power.clock=locked");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("deployments[0].power.clock: is locked but no locked_mhz is given; allowed: set"
        + " power.locked_mhz, or clock boost");
    // the H100 profile's clock range: min_mhz 210, max_mhz 1980
    r = Cli.run("run", file, "--set", "deployments[0].power.clock=locked", "--set",
        "deployments[0].power.locked_mhz=2500");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("deployments[0].power.locked_mhz: is 2500 MHz; allowed: 210 to 1980 MHz"
        + " (h100-sxm's min_mhz to max_mhz)");
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
    expectRunFails(file, List.of("tokentherm: unknown option '--bogus' (try: tokentherm run --help)"),
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

  // ---- issue 8: names, clock, domains, profiles, sizes, files, results folders --------------

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "a/b", "../x", ".hidden", "end.", "a..b", "x y", "~"})
  void aScenarioNameIsANameNotAPath(String name) throws IOException {
    refused(changed("name: tiny", "name: \"" + name + "\""), "name: '" + name + "' is not a name; "
        + "allowed: letters, digits, '-', '_', and '.' inside (not first or last, never '..'), at most 100 characters");
  }

  @Test
  void aScenarioNameOfMoreThan100Characters() throws IOException {
    refused(changed("name: tiny", "name: " + "n".repeat(101)),
        "name: is 101 characters long; allowed: at most 100");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "horizon_s: 20       | horizon_s: 1e12      | horizon_s: 1e12 is out of range; allowed: a number ≥ 0 and ≤ 1000000000",
      "max_drain_s: 60     | max_drain_s: 1e10    | max_drain_s: 1e10 is out of range; allowed: a number ≥ 0 and ≤ 1000000000",
      "'think_time_s: {distribution: exponential, mean: 20}' | 'think_time_s: {distribution: constant, value: 1e12}' | think_time_s.value: is 1000000000000 s; allowed: at most 1000000000 s",
      "'rate_per_s: 0.5}'  | 'rate_per_s: 1e9}'    | arrival.rate_per_s: 1e9 is out of range; allowed: a number > 0 and ≤ 10000",
      "'rate_per_s: 0.5}'  | 'rate_per_s: 0.5, cv: 1e6}' | arrival.cv: 1e6 is out of range; allowed: a number ≥ 0.01 and ≤ 10",
      "'rate_per_s: 0.5}'  | 'rate_per_s: 0.5, cv: 1e-9}' | arrival.cv: 1e-9 is out of range; allowed: a number ≥ 0.01 and ≤ 10",
      "'{process: poisson, rate_per_s: 0.5}' | '{process: closed-loop, users: 10000000}' | arrival.users: 10000000 is out of range; allowed: an integer ≥ 1 and ≤ 1000000",
      "'{process: poisson, rate_per_s: 0.5}' | '{process: closed-loop, users: 5, user_idle_s: {distribution: constant, value: 1e10}}' | user_idle_s.value: is 10000000000 s; allowed: at most 1000000000 s",
      "'sigma: 1.0, max: 8000}' | 'sigma: 0, max: 8000}' | user_tokens.sigma: is 0.0; allowed: a positive number",
      "'sigma: 1.0, max: 8000}' | 'sigma: 100, max: 8000}' | user_tokens.sigma: is 100; allowed: a number > 0 and ≤ 10",
      "'sigma: 1.0, max: 8000}' | 'sigma: 1.0, min: 9000, max: 8000}' | user_tokens.max: is 8000.0, below min 9000.0; allowed: max ≥ min",
      "'{distribution: geometric, mean: 4}' | '{distribution: constant, value: 4, mean: 3}' | turns.mean: is not used by a constant distribution; allowed: value (and distribution)",
      "'{distribution: lognormal, median: 200, sigma: 1.0, max: 8000}' | '{distribution: constant, value: 0}' | user_tokens: can only draw 0 or less, which rounds to 0; allowed: a distribution that can draw ≥ 1 (a turn needs at least one new token)",
      "'{distribution: lognormal, median: 150, sigma: 0.8, max: 2000}' | '{distribution: uniform, min: 0, max: 0.4}' | model_tokens: can only draw 0.4 or less, which rounds to 0; allowed: a distribution that can draw ≥ 1 (a reply has at least one token)",
      "replicas: 2         | replicas: null       | deployments[0].replicas: has no value (null); allowed: an integer ≥ 1, or leave the key out for the default 1",
      "'kv: {block_tokens: 16, gpu_memory_utilization: 0.9}' | 'kv: {num_gpu_blocks: 2147483647}' | deployments[0].kv.num_gpu_blocks: 2147483647 is out of range; allowed: an integer ≥ 1 and ≤ 20000000",
      "'parallelism: {tp: 1}' | 'parallelism: {tp: 3}' | deployments[0].parallelism.tp: is 3 but hardware-profiles/nodes/dgx-h100.yaml has no scale_up.all_reduce entry for 3 GPUs (nothing is interpolated between measured GPU counts); allowed: 1, 2, 4, 8"})
  void valuesThatWouldOverflowTheClockOrLeaveTheirDomain(String from, String to, String expected)
      throws IOException {
    refused(changed(from, to), expected);
  }

  @Test
  void aOneNanosecondSampleIntervalWouldHang() throws IOException {
    refused(TinyScenario.TEXT + "outputs: {sample_interval_s: 1e-9}\n",
        "outputs.sample_interval_s: 1e-9 is out of range; allowed: a number ≥ 0.001 and ≤ 1000000000");
    refused(changed("horizon_s: 20", "horizon_s: 1e6") + "outputs: {sample_interval_s: 0.001}\n",
        "outputs.sample_interval_s: is 0.001 s, which takes 1.00e+09 samples over horizon_s + max_drain_s;"
            + " allowed: at most 1e+08 samples, so sample_interval_s ≥ 0.0100006");
  }

  @Test
  void aHundredThousandReplicasAreRefusedUpFront() throws IOException {
    refused(changed(changed("count: 1}", "count: 12500}"), "replicas: 2", "replicas: 100000"),
        "deployments[0].replicas: brings the scenario to 100000 replicas; allowed: at most 10000 replicas");
  }

  @Test
  void kvBlocksOfAllReplicasTogetherAreBounded() throws IOException {
    refused(changed(changed("replicas: 2", "replicas: 8"), "kv: {block_tokens: 16, gpu_memory_utilization: 0.9}",
        "kv: {num_gpu_blocks: 10000000}"), "deployments[0].kv.num_gpu_blocks: brings the run to 80000000 KV blocks",
        "allowed: at most 20000000 KV blocks in one run");
  }

  // ---- profiles ---------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "gpus/h100-sxm.yaml | 'hbm_gb_per_s: {value: 3350' | 'hbm_gb_per_s: {value: 0' | hbm_gb_per_s.value: is 0; allowed: a number > 0",
      "gpus/h100-sxm.yaml | 'active_idle_w: {value: 120' | 'active_idle_w: {value: 900' | active_idle_w.value: is 900 W, above power_limit_w 700 W; allowed: active_idle_w ≤ power_limit_w",
      "gpus/h100-sxm.yaml | 'idle_w: {value: 75' | 'idle_w: {value: 130' | idle_w.value: is 130 W, above active_idle_w 120 W",
      "gpus/h100-sxm.yaml | 'gemm: {value: 0.758' | 'gemm: {value: 1.5' | efficiency.gemm.value: is 1.5; allowed: a share > 0 and ≤ 1 of the peak",
      "stacks/vllm-v1.yaml | 'per_sequence_overhead_us: {value: 10' | 'per_sequence_overhead_us: {value: -10' | per_sequence_overhead_us.value: is -10; allowed: a number ≥ 0",
      "models/llama-3.1-8b.yaml | 'kv_heads: 8' | 'kv_heads: 7' | kv_heads: is 7 but 32 query heads do not split into groups of equal size over it; allowed: a divisor of heads (32)",
      "models/llama-3.1-8b.yaml | 'attention: gqa' | 'attention: gqa\nsliding_window: 4096' | sliding_window: is not used by gqa attention; allowed: sliding_window only with attention: sliding-window"})
  void profilesAreCheckedAsStrictlyAsScenarios(String profile, String from, String to, String expected)
      throws IOException {
    Path profiles = copyOfProfiles();
    Path file = profiles.resolve(profile);
    Files.writeString(file, TinyScenario.changed(Files.readString(file), from, to.replace("\\n", "\n")));
    Path scenario = write(tmp, "ok.yaml", TinyScenario.TEXT);
    Cli.Result r = expectRunFails(scenario, 1, "--profiles", profiles.toString());
    assertThat(r.errLines().get(0)).startsWith(file + ":").contains(": " + expected);
  }

  // ---- files that are not regular files ----------------------------------------------------

  @Test
  void aFolderOrAFifoAsAScenarioIsRefusedBeforeReading() throws IOException, InterruptedException {
    Path folder = Files.createDirectory(tmp.resolve("folder.yaml"));
    expectRunFails(folder, List.of(folder + ": is not a regular file (a folder); allowed: a YAML file"));
    Path fifo = tmp.resolve("fifo.yaml");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    expectRunFails(fifo, List.of(fifo + ": is not a regular file (a device, pipe or socket); allowed: a YAML file"));
  }

  @Test
  void devZeroAsATraceIsRefused() throws IOException {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")));
    Path file = write(tmp, "bad.yaml", trace("/dev/zero"));
    Cli.Result r = expectRunFails(file, 1);
    assertThat(r.errLines().get(0)).endsWith("workload[0].trace.path: /dev/zero: is not a regular file"
        + " (a device, pipe or socket); allowed: a trace file");
  }

  @Test
  void aTraceLineLongerThanOneMebibyteNamesFileAndLine() throws IOException {
    Path csv = tmp.resolve("long.csv");
    Files.writeString(csv, "arrival_s,input_tokens,output_tokens\n0,10,5\n" + "9".repeat((1 << 20) + 1) + "\n");
    Path file = write(tmp, "bad.yaml", trace("long.csv"));
    Cli.Result r = expectRunFails(file, 1);
    assertThat(r.errLines().get(0)).endsWith(csv + ":3: line: is longer than 1048576 characters;"
        + " allowed: lines of at most 1048576 characters (1 MiB)");
  }

  // ---- results folders --------------------------------------------------------------------

  @Test
  void anEmptyOrDangerousOutIsRefused() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    Path cwd = Path.of("").toAbsolutePath();
    Path home = Path.of(System.getProperty("user.home"));
    assertRefused(file, "", "tokentherm: --out is empty (an unset variable?); allowed: a folder path");
    assertRefused(file, ".", "tokentherm: --out .: is the working folder or a folder above it; allowed: a new"
        + " folder or an earlier run's results folder");
    assertRefused(file, cwd.getParent().toString(), "tokentherm: --out " + cwd.getParent()
        + ": is the working folder or a folder above it; allowed: a new folder or an earlier run's results folder");
    assertRefused(file, "/", "tokentherm: --out /: is the root folder; allowed: a new folder or an earlier run's"
        + " results folder");
    if (!cwd.startsWith(home)) {
      assertRefused(file, home.toString(), "tokentherm: --out " + home + ": is the home folder or a folder above it;"
          + " allowed: a new folder or an earlier run's results folder");
    }
  }

  @Test
  void aFolderWithFilesNoRunWroteIsNotReplaced() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    Files.createDirectories(out);
    Files.writeString(out.resolve("manifest.json"), "{\"tool\": \"tokentherm\"}");
    Path notes = Files.writeString(out.resolve("notes.txt"), "mine");
    Cli.Result r = Cli.run("run", file, "--out", out);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("tokentherm: --out " + out + ": holds notes.txt, which no run wrote,"
        + " so the folder will not be replaced; allowed: a results folder holding only manifest.json,"
        + " summary.json, conversations.csv, requests.csv, timeseries.csv, devices.csv, links.csv, tiers.csv");
    assertThat(notes).hasContent("mine");
  }

  @Test
  void outUnderAFileOrWithATooLongNameFailsInOneLine() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    Path regular = Files.writeString(tmp.resolve("regular"), "x");
    assertRefused(file, regular.resolve("x").toString(), "tokentherm: --out " + regular.resolve("x") + ": "
        + regular + " is a file, not a folder; allowed: a path under folders");
    Path deep = tmp.resolve("new").resolve("a".repeat(300));
    Cli.Result r = Cli.run("run", file, "--out", deep);
    assertThat(r.code()).as("%s", r).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("tokentherm: --out " + deep + ": cannot be written: ")
        .endsWith("File name too long");
    assertNoStackTrace(r);
    assertThat(tmp.resolve("new")).as("the parent the failed run created").doesNotExist();
  }

  @Test
  void aReadOnlyPlaceFailsInOneLineWithNothingLeft() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    Path place = Files.createDirectory(tmp.resolve("read-only"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Path target;
    if (!root && place.toFile().setWritable(false, false)) {
      target = place.resolve("out");
    } else {
      Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc")), "a place even root cannot write");
      target = Path.of("/proc/tokentherm-test/out");
    }
    try {
      Cli.Result r = Cli.run("run", file, "--out", target);
      assertThat(r.code()).as("%s", r).isEqualTo(2);
      assertThat(r.errLines()).hasSize(1);
      assertThat(r.errLines().get(0)).startsWith("tokentherm: --out " + target + ": cannot be written: ");
      assertNoStackTrace(r);
      assertThat(target).doesNotExist();
    } finally {
      place.toFile().setWritable(true, false);
    }
  }

  @Test
  void aSecondRunIntoALockedFolderFailsAtOnceNamingTheFirst() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    Path lockFile = tmp.resolve(".out.lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      channel.write(ByteBuffer.wrap("pid 4242, started 2025-01-01T00:00:00Z".getBytes(StandardCharsets.UTF_8)));
      Cli.Result r = Cli.run("run", file, "--out", out);
      assertThat(r.code()).as("%s", r).isEqualTo(2);
      assertThat(r.errLines()).containsExactly("tokentherm: --out " + out + ": another run is writing it (pid 4242,"
          + " started 2025-01-01T00:00:00Z; lock " + lockFile + "); allowed: wait for it to end, or another --out");
      assertThat(out).doesNotExist();
    }
    Files.delete(lockFile);
    Cli.Result ok = Cli.run("run", file, "--out", out);
    assertThat(ok.code()).as("%s", ok).isZero();
    assertThat(lockFile).as("the lock of a finished run").doesNotExist();
  }

  @Test
  void leftoversOfKilledRunsAreRemovedByTheNextRun() throws IOException {
    Path file = write(tmp, "ok.yaml", TinyScenario.TEXT);
    Path partial = Files.createDirectories(tmp.resolve(".out.partial-1a2b3c"));
    Files.writeString(partial.resolve("conversations.csv"), "half");
    Path old = Files.createDirectories(tmp.resolve(".out.old-123"));
    Path otherRun = Files.createDirectories(tmp.resolve(".out2.partial-1a2b3c"));
    Path notOurs = Files.createDirectories(tmp.resolve(".out.partial-keep me"));
    Cli.Result ok = Cli.run("run", file, "--out", out);
    assertThat(ok.code()).as("%s", ok).isZero();
    assertThat(partial).doesNotExist();
    assertThat(old).doesNotExist();
    assertThat(otherRun).as("another target's staging folder").exists();
    assertThat(notOurs).as("a name no run makes").exists();
    assertThat(out.resolve("manifest.json")).isRegularFile();
  }

  private void assertRefused(Path scenario, String outArg, String line) {
    Cli.Result r = Cli.run("run", scenario, "--out", outArg);
    assertThat(r.code()).as("%s", r).isEqualTo(2);
    assertThat(r.errLines()).containsExactly(line);
    assertThat(r.out()).isEmpty();
    assertNoStackTrace(r);
  }

  /** The tiny scenario with its workload replaced by a trace replay of {@code path}. */
  private static String trace(String path) {
    return TinyScenario.TEXT.substring(0, TinyScenario.TEXT.indexOf("    conversations:"))
        + "    trace: {format: csv, path: " + path + "}\n";
  }

  /** Runs the scenario text and checks the one error line names the file and holds {@code parts}. */
  private void refused(String text, String... parts) throws IOException {
    Path file = write(tmp, "bad.yaml", text);
    Cli.Result r = expectRunFails(file, 1);
    assertThat(r.errLines().get(0)).startsWith(file + ":").contains(parts);
  }

  private Path copyOfProfiles() throws IOException {
    Path from = Path.of("hardware-profiles");
    Path to = tmp.resolve("profiles");
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
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
