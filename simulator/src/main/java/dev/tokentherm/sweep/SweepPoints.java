package dev.tokentherm.sweep;

import dev.tokentherm.engine.SplitMix64;
import dev.tokentherm.results.Decimals;
import java.util.ArrayList;
import java.util.List;

/**
 * The points of a sweep, each a list of values in axis order (as --set takes them):
 * <ul>
 *   <li>grid: every combination, the last axis varying fastest;
 *   <li>zip: the i-th value of every axis;
 *   <li>random: each axis drawn independently per sample: a range uniformly (in log space with
 *       {@code log}), a list of values by a uniform index;
 *   <li>lhs: for n samples each axis is cut into n equal strata of [0, 1); a random permutation
 *       gives sample i the stratum π(i) and a uniform draw places it inside: u = (π(i) + U) / n,
 *       mapped onto the range (or onto the index of a values list, floor(u · k)), so each stratum
 *       of each axis is hit exactly once.
 * </ul>
 * Draws come from one engine.SplitMix64 seeded with the sweep's {@code seed}, axis by axis, so
 * the points depend on nothing but the file. Range values are written with 10 significant digits
 * (results.Decimals), whole numbers with {@code integer: true}.
 */
public final class SweepPoints {
  private SweepPoints() {}

  public static List<List<String>> of(Sweep sweep) {
    return switch (sweep.mode()) {
      case "grid" -> grid(sweep.axes());
      case "zip" -> zip(sweep.axes());
      case "random" -> random(sweep.axes(), sweep.samples(), sweep.seed());
      case "lhs" -> lhs(sweep.axes(), sweep.samples(), sweep.seed());
      default -> throw new IllegalArgumentException("unknown sweep mode " + sweep.mode());
    };
  }

  static List<List<String>> grid(List<Sweep.Axis> axes) {
    List<List<String>> points = new ArrayList<>();
    points.add(List.of());
    for (Sweep.Axis axis : axes) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> p : points) {
        for (String v : axis.values()) {
          List<String> q = new ArrayList<>(p);
          q.add(v);
          next.add(List.copyOf(q));
        }
      }
      points = next;
    }
    return points;
  }

  static List<List<String>> zip(List<Sweep.Axis> axes) {
    List<List<String>> points = new ArrayList<>();
    int n = axes.get(0).values().size();
    for (int i = 0; i < n; i++) {
      List<String> p = new ArrayList<>();
      for (Sweep.Axis axis : axes) {
        p.add(axis.values().get(i));
      }
      points.add(List.copyOf(p));
    }
    return points;
  }

  static List<List<String>> random(List<Sweep.Axis> axes, int samples, long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    String[][] cells = new String[samples][axes.size()];
    for (int a = 0; a < axes.size(); a++) {
      for (int i = 0; i < samples; i++) {
        cells[i][a] = value(axes.get(a), rng.nextDouble());
      }
    }
    return rows(cells);
  }

  static List<List<String>> lhs(List<Sweep.Axis> axes, int samples, long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    String[][] cells = new String[samples][axes.size()];
    for (int a = 0; a < axes.size(); a++) {
      int[] stratum = permutation(samples, rng);
      for (int i = 0; i < samples; i++) {
        cells[i][a] = value(axes.get(a), (stratum[i] + rng.nextDouble()) / samples);
      }
    }
    return rows(cells);
  }

  /** Fisher–Yates. */
  private static int[] permutation(int n, SplitMix64 rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The axis's value at {@code u} in [0, 1). */
  static String value(Sweep.Axis axis, double u) {
    if (axis.range() == null) {
      List<String> values = axis.values();
      return values.get(Math.min(values.size() - 1, (int) Math.floor(u * values.size())));
    }
    double min = axis.range().min();
    double max = axis.range().max();
    double x = axis.log() ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
    x = Math.min(max, Math.max(min, x));
    if (axis.integer()) {
      long whole = Math.round(x);
      return String.valueOf(Math.min((long) Math.floor(max), Math.max((long) Math.ceil(min), whole)));
    }
    return Decimals.of(x).toPlainString();
  }

  private static List<List<String>> rows(String[][] cells) {
    List<List<String>> points = new ArrayList<>();
    for (String[] row : cells) {
      points.add(List.of(row));
    }
    return points;
  }
}
