package dev.tokentherm.calibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Predicted against measured times for one table and one model: the rows, the share within
 * tolerance (relative, or absolute where small times are noise), the mean absolute percentage
 * error and the worst rows. {@link #format()} prints it as an aligned text table.
 */
public final class CalibrationReport {
  /** One compared row; times in seconds. */
  public record Row(String label, double measuredS, double predictedS) {
    public double relativeError() {
      return predictedS / measuredS - 1;
    }
  }

  private final String title;
  private final double relativeTolerance;
  private final double absoluteToleranceS;
  private final List<Row> rows;

  /** @param absoluteToleranceS a row also counts as within when |predicted − measured| ≤ this (0: none) */
  public CalibrationReport(String title, double relativeTolerance, double absoluteToleranceS, List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(title + ": no rows to compare");
    }
    this.title = title;
    this.relativeTolerance = relativeTolerance;
    this.absoluteToleranceS = absoluteToleranceS;
    this.rows = List.copyOf(rows);
  }

  public String title() {
    return title;
  }

  public List<Row> rows() {
    return rows;
  }

  public boolean within(Row r) {
    return Math.abs(r.relativeError()) <= relativeTolerance
        || Math.abs(r.predictedS() - r.measuredS()) <= absoluteToleranceS;
  }

  /** Share of rows within tolerance, 0–1. */
  public double shareWithin() {
    int n = 0;
    for (Row r : rows) {
      if (within(r)) {
        n++;
      }
    }
    return (double) n / rows.size();
  }

  /** Share of rows within {@code relativeTolerance} (relative error only), 0–1. */
  public double shareWithin(double relativeTolerance) {
    int n = 0;
    for (Row r : rows) {
      if (Math.abs(r.relativeError()) <= relativeTolerance) {
        n++;
      }
    }
    return (double) n / rows.size();
  }

  /** Largest |predicted / measured − 1|, 0–1. */
  public double maxError() {
    double max = 0;
    for (Row r : rows) {
      max = Math.max(max, Math.abs(r.relativeError()));
    }
    return max;
  }

  /** One line: rows, MAPE, shares within 10 % and 20 %, the largest error (and the share within an absolute tolerance). */
  public String summaryLine() {
    String line = String.format(Locale.ROOT, "%s: %d rows, MAPE %.1f %%, %.1f %% within 10 %%, %.1f %% within 20 %%, max error %.1f %%",
        title, rows.size(), mape() * 100, shareWithin(0.10) * 100, shareWithin(0.20) * 100, maxError() * 100);
    return absoluteToleranceS > 0 ? line + String.format(Locale.ROOT, ", %.1f %% within %.0f %% or %.0f us",
        shareWithin() * 100, relativeTolerance * 100, absoluteToleranceS * 1e6) : line;
  }

  /** The given rows as an aligned table, times in {@code unit}: "ms" or "us". */
  public static String formatRows(List<Row> rows, String unit) {
    double scale = unit.equals("ms") ? 1e3 : 1e6;
    int width = "row".length();
    for (Row r : rows) {
      width = Math.max(width, r.label().length());
    }
    String line = "  %-" + width + "s %12s %12s %9s%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, line, "row", "measured " + unit, "predicted " + unit, "error"));
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, line, r.label(),
          String.format(Locale.ROOT, "%.2f", r.measuredS() * scale),
          String.format(Locale.ROOT, "%.2f", r.predictedS() * scale),
          String.format(Locale.ROOT, "%+.1f %%", r.relativeError() * 100)));
    }
    return out.toString();
  }

  /** Mean of |predicted / measured − 1|, 0–1. */
  public double mape() {
    double sum = 0;
    for (Row r : rows) {
      sum += Math.abs(r.relativeError());
    }
    return sum / rows.size();
  }

  /** The {@code n} rows of largest relative error, worst first. */
  public List<Row> worst(int n) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingDouble((Row r) -> -Math.abs(r.relativeError())));
    return sorted.subList(0, Math.min(n, sorted.size()));
  }

  /** Summary and the five worst rows. */
  public String format() {
    return format(5);
  }

  public String format(int worstRows) {
    String tolerance = absoluteToleranceS > 0
        ? String.format(Locale.ROOT, "%.0f %% or %.0f us", relativeTolerance * 100, absoluteToleranceS * 1e6)
        : String.format(Locale.ROOT, "%.0f %%", relativeTolerance * 100);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s: %d rows, %.1f %% within %s, MAPE %.1f %%%n",
        title, rows.size(), shareWithin() * 100, tolerance, mape() * 100));
    List<Row> worst = worst(worstRows);
    int width = "row".length();
    for (Row r : worst) {
      width = Math.max(width, r.label().length());
    }
    String line = "  %-" + width + "s %14s %14s %9s%n";
    out.append(String.format(Locale.ROOT, line, "worst rows", "measured us", "predicted us", "error"));
    for (Row r : worst) {
      out.append(String.format(Locale.ROOT, line, r.label(),
          String.format(Locale.ROOT, "%.1f", r.measuredS() * 1e6),
          String.format(Locale.ROOT, "%.1f", r.predictedS() * 1e6),
          String.format(Locale.ROOT, "%+.1f %%", r.relativeError() * 100)));
    }
    return out.toString();
  }
}
