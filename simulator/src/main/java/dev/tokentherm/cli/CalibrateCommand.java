package dev.tokentherm.cli;

import dev.tokentherm.calibration.AttentionPoint;
import dev.tokentherm.calibration.CalibrationReport;
import dev.tokentherm.calibration.Calibrations;
import dev.tokentherm.calibration.CollectiveBin;
import dev.tokentherm.calibration.CollectivePoint;
import dev.tokentherm.calibration.LinearLayerPoint;
import dev.tokentherm.calibration.EnergyRow;
import dev.tokentherm.calibration.PowerCalibration;
import dev.tokentherm.calibration.SplitwiseCalibration;
import dev.tokentherm.calibration.SplitwisePowerCheck;
import dev.tokentherm.calibration.SplitwiseFit;
import dev.tokentherm.calibration.SplitwiseGroup;
import dev.tokentherm.calibration.SplitwiseRow;
import dev.tokentherm.calibration.SplitwiseSelection;
import dev.tokentherm.calibration.VidurAttention;
import dev.tokentherm.calibration.VidurCompute;
import dev.tokentherm.calibration.VidurFit;
import dev.tokentherm.calibration.VidurNetwork;
import dev.tokentherm.config.ConfigException;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.NodeProfile;
import dev.tokentherm.perf.CollectiveModel;
import dev.tokentherm.scenario.ProfileLibrary;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tokentherm calibrate splitwise|vidur-linear|vidur-elementwise|vidur-attention|vidur-network}: a measured
 * table against the profiles, every row's error (or the worst N) and the summary per group; the
 * {@code *-fit} subcommands refit a profile's numbers to the table and print them.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = "Compare the profiles with a measured table: each row's error and the summary statistics.",
    subcommands = {CalibrateCommand.Splitwise.class, CalibrateCommand.SplitwiseFitCmd.class, CalibrateCommand.VidurLinear.class,
        CalibrateCommand.VidurAttentionCmd.class, CalibrateCommand.VidurNetworkCmd.class,
        CalibrateCommand.VidurElementwise.class, CalibrateCommand.VidurLinearFitCmd.class,
        CalibrateCommand.VidurElementwiseFitCmd.class, CalibrateCommand.VidurAttentionFitCmd.class,
        CalibrateCommand.VidurNetworkFitCmd.class, CalibrateCommand.Power.class})
final class CalibrateCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Which rows to print: all of them (the default) or the worst N. */
  static final class RowChoice {
    @Option(names = "--worst", paramLabel = "N", description = "print only the N rows of largest error")
    Integer worst;

    @Option(names = "--all", description = "print every row (the default)")
    boolean all;
  }

  /** The --profiles option and the library it names. */
  static class ProfilesOption {
    @Option(names = "--profiles", paramLabel = "DIR", description = "hardware-profiles folder (default: ./hardware-profiles)")
    Path profilesDir;

    ProfileLibrary library() {
      return ProfileLibrary.at(profilesDir);
    }
  }

  /** Options every table subcommand shares, and the printing. */
  static final class Common extends ProfilesOption {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RowChoice rows;

    void print(PrintWriter out, CalibrationReport r, String unit) {
      Integer worst = rows == null ? null : rows.worst;
      List<CalibrationReport.Row> shown = worst == null ? r.rows() : r.worst(worst);
      out.println(r.title() + (worst == null ? "" : " (worst " + shown.size() + " of " + r.rows().size() + ")"));
      out.print(CalibrationReport.formatRows(shown, unit));
    }
  }

  /** The Splitwise table and the stack profile it is compared with or fitted into. */
  static final class SplitwiseInputs {
    @Option(names = "--stack", paramLabel = "ID", defaultValue = "splitwise-2023",
        description = "serving-stack profile (default: ${DEFAULT-VALUE})")
    String stack;

    @Option(names = "--csv", paramLabel = "FILE", defaultValue = "data/traces/splitwise_sim_perf_model.csv",
        description = "the table (default: ${DEFAULT-VALUE})")
    Path csv;
  }

  /** A GPU profile and the Vidur per-operator files of its family. */
  static final class LinearInputs {
    @Option(names = "--gpu", paramLabel = "ID", defaultValue = "h100-sxm", description = "GPU profile (default: ${DEFAULT-VALUE})")
    String gpu;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/profiles/vidur_compute",
        description = "folder of the Vidur compute profiles (default: ${DEFAULT-VALUE})")
    Path data;
  }

  /** A GPU profile and a Vidur attention profile. */
  static final class AttentionInputs {
    @Option(names = "--gpu", paramLabel = "ID", defaultValue = "a100-80gb", description = "GPU profile (default: ${DEFAULT-VALUE})")
    String gpu;

    @Option(names = "--csv", paramLabel = "FILE", defaultValue = "data/profiles/vidur_compute/a100_attention_n8192_q64_kv8_tp2.csv",
        description = "the attention profile (default: ${DEFAULT-VALUE})")
    Path csv;
  }

  /** A node profile and the Vidur NCCL profiles of its GPU family. */
  static final class NetworkInputs {
    @Option(names = "--node", paramLabel = "ID", defaultValue = "dgx-h100", description = "node profile (default: ${DEFAULT-VALUE})")
    String node;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/traces/vidur_network_profiles",
        description = "folder of <gpu>_dgx_all_reduce.csv and <gpu>_dgx_send_recv.csv (default: ${DEFAULT-VALUE})")
    Path data;
  }

  /** Runs {@code body}; bad input (file, option, profile) is one line on stderr and exit 2. */
  static int guarded(CommandSpec spec, Body body) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      body.run(out);
      out.flush();
      return 0;
    } catch (ConfigException | IllegalArgumentException | UncheckedIOException e) {
      out.flush();
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      err.println("tokentherm calibrate " + spec.name() + ": " + message.lines().findFirst().orElse(""));
      err.flush();
      return Main.BAD_INPUT;
    }
  }

  interface Body {
    void run(PrintWriter out) throws ConfigException;
  }

  @Command(name = "splitwise", mixinStandardHelpOptions = true,
      description = "Splitwise's profiled table (prompt_time, token_time) against a serving-stack profile, per group: "
          + "fitted (Llama2-70B TP2 + TP8), held out (Llama2-70B TP4, BLOOM-176B on H100, on A100).")
  static final class Splitwise implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SplitwiseInputs in = new SplitwiseInputs();

    @Mixin
    Common common = new Common();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        ProfileLibrary library = common.library();
        SplitwiseCalibration calibration = new SplitwiseCalibration(library, library.stack(in.stack));
        SplitwiseSelection selection = SplitwiseSelection.of(SplitwiseRow.read(in.csv));
        Map<SplitwiseGroup, CalibrationReport> reports = calibration.reports(selection);
        for (CalibrationReport r : reports.values()) {
          common.print(out, r, "ms");
          out.println();
        }
        out.printf(Locale.ROOT, "left out: %d measurements (%s)%n", selection.excluded().size(),
            "power-capped h100-80gb-pcap rows, impossible TP2 batch-64 prefills");
        for (Map.Entry<SplitwiseGroup, CalibrationReport> e : reports.entrySet()) {
          out.printf(Locale.ROOT, "%s (target MAPE <= %.0f %%)%n", e.getValue().summaryLine(), e.getKey().mapeTarget() * 100);
        }
      });
    }
  }

  @Command(name = "splitwise-fit", mixinStandardHelpOptions = true,
      description = "Refit the Splitwise stack's overheads on Llama2-70B TP2 + TP8 (Nelder-Mead on the MAPE) and print "
          + "the numbers the profile holds, with every group's summary under them.")
  static final class SplitwiseFitCmd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProfilesOption profiles = new ProfilesOption();

    @Mixin
    SplitwiseInputs in = new SplitwiseInputs();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        ProfileLibrary library = profiles.library();
        out.print(SplitwiseFit.fit(library, library.stack(in.stack), SplitwiseRow.read(in.csv)).report());
      });
    }
  }

  @Command(name = "vidur-linear", mixinStandardHelpOptions = true,
      description = "Vidur per-layer linear operators (<prefix>_*_mlp.csv) against a GPU profile's GEMM model.")
  static final class VidurLinear implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LinearInputs in = new LinearInputs();

    @Mixin
    Common common = new Common();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        GpuProfile profile = common.library().gpu(in.gpu);
        CalibrationReport r = Calibrations.linearOperators(in.gpu + " linear operators (Vidur " + filePrefix(in.gpu) + ")",
            profile, VidurCompute.readLinearLayers(in.data, filePrefix(in.gpu)));
        common.print(out, r, "us");
        out.println(r.summaryLine());
      });
    }
  }

  @Command(name = "vidur-elementwise", mixinStandardHelpOptions = true,
      description = "Vidur per-layer element-wise operators (input_layernorm, attn_rope, post_attention_layernorm, "
          + "mlp_act, add of <prefix>_*_mlp.csv) against a GPU profile's element-wise model: the rows the numbers were "
          + "fitted on (Llama-2 files) and the held-out rows (the other files), apart.")
  static final class VidurElementwise implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LinearInputs in = new LinearInputs();

    @Mixin
    Common common = new Common();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        GpuProfile profile = common.library().gpu(in.gpu);
        List<LinearLayerPoint> points = VidurCompute.readLinearLayers(in.data, filePrefix(in.gpu));
        List<CalibrationReport> reports = new ArrayList<>();
        List<LinearLayerPoint> fit = VidurFit.elementwiseSplit(points, true);
        List<LinearLayerPoint> held = VidurFit.elementwiseSplit(points, false);
        if (!fit.isEmpty()) {
          reports.add(Calibrations.elementwise(in.gpu + " element-wise operators, fit rows (Vidur " + filePrefix(in.gpu)
              + " " + VidurFit.ELEMENTWISE_FIT_MODELS + "*)", profile, fit));
        }
        if (!held.isEmpty()) {
          reports.add(Calibrations.elementwise(in.gpu + " element-wise operators, held-out rows (Vidur "
              + filePrefix(in.gpu) + ", other models)", profile, held));
        }
        for (CalibrationReport r : reports) {
          common.print(out, r, "us");
          out.println();
        }
        for (CalibrationReport r : reports) {
          out.println(r.summaryLine());
        }
      });
    }
  }

  @Command(name = "vidur-attention", mixinStandardHelpOptions = true,
      description = "A Vidur attention profile against a GPU profile's attention-kernel model (decode rows of 20 us and more).")
  static final class VidurAttentionCmd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AttentionInputs in = new AttentionInputs();

    @Mixin
    Common common = new Common();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        GpuProfile profile = common.library().gpu(in.gpu);
        List<AttentionPoint> points = VidurAttention.read(in.csv);
        List<CalibrationReport> reports = List.of(
            Calibrations.prefillAttention(in.gpu + " prefill attention", profile, points),
            Calibrations.decodeAttention(in.gpu + " decode attention (rows >= 20 us)", profile, points,
                Calibrations.DECODE_MIN_MEASURED_S));
        for (CalibrationReport r : reports) {
          common.print(out, r, "us");
          out.println();
        }
        for (CalibrationReport r : reports) {
          out.println(r.summaryLine());
        }
      });
    }
  }

  @Command(name = "vidur-network", mixinStandardHelpOptions = true,
      description = "Vidur NCCL profiles (all-reduce over 2, 4, 8 GPUs and send/recv, one bin per power of two "
          + "2 KiB-64 MiB) against a node profile's collective fits.")
  static final class VidurNetworkCmd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetworkInputs in = new NetworkInputs();

    @Mixin
    Common common = new Common();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        NodeProfile profile = common.library().node(in.node);
        String prefix = filePrefix(profile.gpu());
        List<CalibrationReport> reports = new ArrayList<>();
        List<CollectivePoint> allReduce = VidurNetwork.read(in.data.resolve(prefix + "_dgx_all_reduce.csv"));
        for (int gpus : new int[] {2, 4, 8}) {
          if (gpus <= profile.gpusPerNode()) {
            reports.add(Calibrations.collective(in.node + " all-reduce " + gpus + " GPUs",
                CollectiveModel.allReduce(profile, gpus), bins(VidurNetwork.singleNode(allReduce, gpus))));
          }
        }
        List<CollectivePoint> sendRecv = VidurNetwork.read(in.data.resolve(prefix + "_dgx_send_recv.csv"));
        reports.add(Calibrations.collective(in.node + " send/recv 2 GPUs", CollectiveModel.sendRecv(profile),
            bins(VidurNetwork.singleNode(sendRecv, 2))));
        for (CalibrationReport r : reports) {
          common.print(out, r, "us");
          out.println();
        }
        for (CalibrationReport r : reports) {
          out.println(r.summaryLine());
        }
      });
    }

    private static List<CollectiveBin> bins(List<CollectivePoint> points) {
      return CollectiveBin.powersOfTwo(points, 2048, 64L << 20);
    }
  }

  @Command(name = "vidur-linear-fit", mixinStandardHelpOptions = true,
      description = "Refit a GPU's GEMM curve (gemm, gemm_half_tokens, gemm_overhead_us; memory kept) to every point of "
          + "the Vidur <prefix>_*_mlp.csv files (Nelder-Mead on the mean smoothed |log error|) and print the numbers "
          + "the profile holds, fitted against the profile's.")
  static final class VidurLinearFitCmd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProfilesOption profiles = new ProfilesOption();

    @Mixin
    LinearInputs in = new LinearInputs();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        GpuProfile profile = profiles.library().gpu(in.gpu);
        out.print(VidurFit.fitLinear(profile, VidurCompute.readLinearLayers(in.data, filePrefix(in.gpu)), FIT_RESTARTS).report());
      });
    }
  }

  @Command(name = "vidur-elementwise-fit", mixinStandardHelpOptions = true,
      description = "Refit a GPU's element-wise numbers (elementwise_memory, elementwise_overhead_us) to the Vidur "
          + "<prefix>_*_mlp.csv rows of the Llama-2 files (Nelder-Mead on the mean smoothed |log error|) and print them, "
          + "fitted against the profile's, with the error on the fit rows and on the held-out rows of the other files.")
  static final class VidurElementwiseFitCmd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProfilesOption profiles = new ProfilesOption();

    @Mixin
    LinearInputs in = new LinearInputs();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        GpuProfile profile = profiles.library().gpu(in.gpu);
        out.print(VidurFit.fitElementwise(profile, VidurCompute.readLinearLayers(in.data, filePrefix(in.gpu)),
            FIT_RESTARTS).report());
      });
    }
  }

  @Command(name = "vidur-attention-fit", mixinStandardHelpOptions = true,
      description = "Refit a GPU's attention-kernel numbers to a Vidur attention profile (prefill: attention, "
          + "attention_prefill_overhead_us, attention_diagonal_factor; decode rows of 20 us and more: "
          + "attention_decode_overhead_us, attention_decode_memory) and print them, fitted against the profile's.")
  static final class VidurAttentionFitCmd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProfilesOption profiles = new ProfilesOption();

    @Mixin
    AttentionInputs in = new AttentionInputs();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        GpuProfile profile = profiles.library().gpu(in.gpu);
        out.print(VidurFit.fitAttention(profile, VidurAttention.read(in.csv), FIT_RESTARTS).report());
      });
    }
  }

  @Command(name = "vidur-network-fit", mixinStandardHelpOptions = true,
      description = "Refit a node's collective fits (all-reduce over 2, 4, 8 GPUs, send/recv over 2) to the Vidur NCCL "
          + "profiles, one bin per power of two 2 KiB-64 MiB (Nelder-Mead maximising bins within 20 % or 15 us) and "
          + "print them, fitted against the profile's.")
  static final class VidurNetworkFitCmd implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProfilesOption profiles = new ProfilesOption();

    @Mixin
    NetworkInputs in = new NetworkInputs();

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        NodeProfile profile = profiles.library().node(in.node);
        out.print(VidurFit.fitNetwork(profile, in.data, filePrefix(profile.gpu())).report());
      });
    }
  }

  @Command(name = "power", mixinStandardHelpOptions = true,
      description = "GPU power against ML.ENERGY v3: the 13 H100 dense bf16 gpqa rows, each model held out in turn "
          + "(sm_active_w, memory_w fitted by least squares on the others), beside a W = a + b·log2(batch) baseline; "
          + "median ITL from the roofline; the rows not targeted with the reason; the Splitwise A100 power columns "
          + "as a second held-out source. Ends with the held-out summary line.")
  static final class Power implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProfilesOption profiles = new ProfilesOption();

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/profiles/ml_energy_v3",
        description = "folder of the ML.ENERGY v3 task files gpqa.json and sourcegraph-fim.json (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--csv", paramLabel = "FILE", defaultValue = "data/traces/splitwise_sim_perf_model.csv",
        description = "the Splitwise table with its A100 power columns (default: ${DEFAULT-VALUE})")
    Path csv;

    @Override
    public Integer call() {
      return guarded(spec, out -> {
        ProfileLibrary library = profiles.library();
        List<EnergyRow> rows = new ArrayList<>(EnergyRow.read(data.resolve("gpqa.json")));
        rows.addAll(EnergyRow.read(data.resolve("sourcegraph-fim.json")));
        SplitwisePowerCheck a100 = SplitwisePowerCheck.of(library, library.stack("splitwise-2023"), csv);
        out.print(new PowerCalibration(library).report(rows, a100));
      });
    }
  }

  /** Nelder-Mead runs of the kernel fits, each from the best point so far. */
  static final int FIT_RESTARTS = 3;

  /** Vidur names its files by GPU family: h100-sxm → h100, a100-80gb → a100. */
  static String filePrefix(String gpuId) {
    int dash = gpuId.indexOf('-');
    return dash > 0 ? gpuId.substring(0, dash) : gpuId;
  }
}
