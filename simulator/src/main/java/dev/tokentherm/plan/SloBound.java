package dev.tokentherm.plan;

import dev.tokentherm.config.DidYouMean;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A percentile bound of a plan's SLO, {@code ttft_p90_ms <= 2000}: a latency of summary.json's
 * {@code latency} block ({@code latency.ttft_ms.p90}) whose mean over a probe's replications must
 * stay at or below (or, with {@code <}, below) a number of milliseconds.
 *
 * @param name as written, e.g. ttft_p90_ms
 * @param key the summary.json key, e.g. latency.ttft_ms.p90
 * @param strict {@code <} rather than {@code <=}
 * @param limitMs the bound, ms
 */
public record SloBound(String name, String key, boolean strict, double limitMs) {
  private static final List<String> LATENCIES = List.of("ttft", "tpot", "tbt", "max_tbt", "e2e", "queue");
  private static final List<String> PERCENTILES = List.of("p50", "p90", "p99");
  private static final Pattern FORM = Pattern.compile("\\s*([a-z0-9_]+)\\s*(<=|<)\\s*(\\S+)\\s*");

  /** The metric names a bound may use, for messages and the schema. */
  public static final String ALLOWED = "{ttft,tpot,tbt,max_tbt,e2e,queue}_{p50,p90,p99}_ms";

  /** Every metric name allowed, e.g. ttft_p90_ms. */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (String l : LATENCIES) {
      for (String p : PERCENTILES) {
        names.add(l + "_" + p + "_ms");
      }
    }
    return names;
  }

  /** What is wrong with a bound as written ("…; allowed: …"), or null when it is well formed. */
  static String problem(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return "'" + text + "' is not a bound; allowed: METRIC <= MS or METRIC < MS, e.g. ttft_p90_ms <= 2000, with"
          + " METRIC one of " + ALLOWED;
    }
    String name = m.group(1);
    if (!names().contains(name)) {
      return "unknown metric '" + name + "'" + DidYouMean.closest(name, names()).map(b -> "; did you mean '" + b
          + "'?").orElse("") + "; allowed: " + ALLOWED + " (summary.json latency.<metric>_ms.<percentile>)";
    }
    double limit;
    try {
      limit = Double.parseDouble(m.group(3));
    } catch (NumberFormatException e) {
      return "limit '" + m.group(3) + "' is not a number; allowed: milliseconds above 0";
    }
    if (!(limit > 0) || Double.isInfinite(limit)) {
      return "limit " + m.group(3) + " is not above 0; allowed: milliseconds above 0";
    }
    return null;
  }

  /** Parses a bound that {@link #problem} accepted. */
  static SloBound parse(String text) {
    if (problem(text) != null) {
      throw new IllegalArgumentException(problem(text));
    }
    Matcher m = FORM.matcher(text);
    m.matches();
    String name = m.group(1);
    String percentile = name.substring(name.length() - "p90_ms".length(), name.length() - "_ms".length());
    String latency = name.substring(0, name.length() - "_p90_ms".length());
    return new SloBound(name, "latency." + latency + "_ms." + percentile, m.group(2).equals("<"),
        Double.parseDouble(m.group(3)));
  }

  /** Whether a mean value meets the bound (NaN, a metric the runs lack, does not). */
  public boolean met(double meanMs) {
    return strict ? meanMs < limitMs : meanMs <= limitMs;
  }

  @Override
  public String toString() {
    return name + (strict ? " < " : " <= ") + Bisection.format(limitMs);
  }
}
