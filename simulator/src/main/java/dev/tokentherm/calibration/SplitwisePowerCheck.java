package dev.tokentherm.calibration;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.hardware.GpuProfile;
import dev.tokentherm.hardware.StackProfile;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.power.StagePower;
import dev.tokentherm.scenario.ProfileLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A second held-out source for the power model, printed with no target: Splitwise's A100 power
 * columns (peak_power, average_power: fractions of the 400 W TDP, per request) against the A100
 * profile, whose power numbers are the H100 fit scaled by dynamic range. Each (model, TP, batch,
 * prompt, output) configuration becomes its prefill iteration and its decode iteration at the mean
 * context (the splitwise-2023 stack); predicted peak = the larger busy power of the two, predicted
 * average = energy of the prefill and (output − 1) decodes over their time. Left out: the rows with
 * 8,192-token prompts (average 0.17-0.18 of TDP for Llama2-70B, implausible beside 0.5-0.7 for every
 * other prompt), the 8,192-token outputs (no power recorded: 0), and the power-capped H100 rows
 * (a 1.30× scaling rule, not a measurement).
 */
public final class SplitwisePowerCheck {
  private final List<Config> configs = new ArrayList<>();

  record Config(SplitwiseRow row, double peak, double average, double predictedPeak, double predictedAverage) {}

  public static SplitwisePowerCheck of(ProfileLibrary profiles, StackProfile stack, Path csv) throws ConfigException {
    List<SplitwiseRow> rows = SplitwiseRow.read(csv);
    List<Map<String, String>> raw = CsvRows.read(csv);
    Map<String, double[]> sums = new LinkedHashMap<>();
    Map<String, SplitwiseRow> first = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      SplitwiseRow r = rows.get(i);
      double avg = CsvRows.number(raw.get(i), "average_power", csv, i);
      if (!r.hardware().equals(SplitwiseCalibration.A100) || r.promptSize() == 8192 || avg <= 0) {
        continue;
      }
      String key = r.model() + "|" + r.tensorParallel() + "|" + r.batchSize() + "|" + r.promptSize() + "|" + r.tokenSize();
      double[] s = sums.computeIfAbsent(key, k -> new double[3]);
      s[0] += CsvRows.number(raw.get(i), "peak_power", csv, i);
      s[1] += avg;
      s[2]++;
      first.putIfAbsent(key, r);
    }
    SplitwiseCalibration calibration = new SplitwiseCalibration(profiles, stack);
    GpuProfile a100 = profiles.gpu(profiles.node("dgx-a100").gpu());
    double tdp = a100.powerLimitW().value();
    StagePower power = StagePower.of(a100);
    SplitwisePowerCheck check = new SplitwisePowerCheck();
    IterationCost prefill = new IterationCost();
    IterationCost decode = new IterationCost();
    BatchWork w = new BatchWork();
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      SplitwiseRow r = first.get(e.getKey());
      double[] s = e.getValue();
      new SplitwisePoint(r, SplitwisePoint.Kind.PREFILL).fill(w);
      calibration.cost(r, w, prefill);
      new SplitwisePoint(r, SplitwisePoint.Kind.DECODE).fill(w);
      calibration.cost(r, w, decode);
      int decodes = r.tokenSize() - 1;
      // one stage (pp 1): stage 0's power
      double energy = power.watts(prefill.activity, 0, prefill.totalS()) * prefill.totalS()
          + power.watts(decode.activity, 0, decode.totalS()) * decode.totalS() * decodes;
      double time = prefill.totalS() + decode.totalS() * decodes;
      double peak = Math.max(power.busyWatts(prefill.activity, 0), power.busyWatts(decode.activity, 0));
      check.configs.add(new Config(r, s[0] / s[2], s[1] / s[2], peak / tdp, energy / time / tdp));
    }
    return check;
  }

  public double peakMedian() {
    List<Double> e = new ArrayList<>();
    for (Config c : configs) {
      e.add(Math.abs(c.predictedPeak() / c.peak() - 1));
    }
    return PowerCalibration.median(e);
  }

  public double averageMedian() {
    List<Double> e = new ArrayList<>();
    for (Config c : configs) {
      e.add(Math.abs(c.predictedAverage() / c.average() - 1));
    }
    return PowerCalibration.median(e);
  }

  public int size() {
    return configs.size();
  }

  public String report() {
    StringBuilder out = new StringBuilder("second held-out source (no target): Splitwise A100 power columns, fraction of"
        + " TDP, a100-80gb profile (H100 fit scaled), splitwise-2023 stack\n");
    out.append(String.format(Locale.ROOT, "%-40s %6s %6s %6s %6s%n", "config", "peak", "pred", "avg", "pred"));
    for (Config c : configs) {
      SplitwiseRow r = c.row();
      out.append(String.format(Locale.ROOT, "%-40s %6.3f %6.3f %6.3f %6.3f%n", String.format(Locale.ROOT,
          "%s tp%d b%d p%d t%d", r.model(), r.tensorParallel(), r.batchSize(), r.promptSize(), r.tokenSize()),
          c.peak(), c.predictedPeak(), c.average(), c.predictedAverage()));
    }
    out.append(String.format(Locale.ROOT, "Splitwise A100: %d configurations, peak median |error| %.1f %%, average median"
        + " |error| %.1f %%%n", configs.size(), peakMedian() * 100, averageMedian() * 100));
    return out.toString();
  }
}
