package dev.tokentherm.report;

import static dev.tokentherm.results.Decimals.fixed;

import dev.tokentherm.results.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The key tables of a run, every figure from its summary.json, rounded with
 * {@link dev.tokentherm.results.Decimals#fixed} (the console table's one rounding function) to
 * the decimals each row states: latencies TTFT, E2E and queue 1, TPOT, TBT and max TBT 2 (as the
 * console); the rest as {@link #DECIMALS} says.
 */
public final class SummaryTables {
  /** Decimals of the latency table's rows, in its order (TTFT, TPOT, TBT, max TBT, E2E, queue). */
  public static final int[] LATENCY_DECIMALS = {1, 2, 2, 2, 1, 1};
  public static final List<String> LATENCY_ROWS = List.of("TTFT", "TPOT", "TBT", "max TBT", "E2E", "queue");

  private SummaryTables() {}

  /** The tables of report.md and report.html, in order. */
  public static List<Table> of(Summary s) {
    List<Table> tables = new ArrayList<>();
    tables.add(latency("Latency of the window's requests, ms", s.latency()));
    tables.add(window(s));
    tables.add(requests(s));
    tables.add(run(s));
    if (s.byDeployment().size() > 1) {
      tables.add(byDeployment(s.byDeployment()));
    }
    tables.add(thermal(s.thermal()));
    Table tiers = tiers(s.kv());
    if (!tiers.isEmpty()) {
      tables.add(tiers);
    }
    if (s.podcast() != null) {
      s.podcast().byDeployment().forEach((d, turns) -> tables.add(podcast(d, turns)));
    }
    return tables;
  }

  public static Table latency(String title, Summary.Latency l) {
    Table t = new Table(title, "metric", "p50", "p90", "p99");
    Summary.Percentiles[] rows = {l.ttftMs(), l.tpotMs(), l.tbtMs(), l.maxTbtMs(), l.e2eMs(), l.queueMs()};
    for (int i = 0; i < rows.length; i++) {
      int d = LATENCY_DECIMALS[i];
      t.row(LATENCY_ROWS.get(i), fixed(rows[i].p50(), d), fixed(rows[i].p90(), d), fixed(rows[i].p99(), d));
    }
    return t;
  }

  private static Table window(Summary s) {
    Table t = new Table("Throughput, SLO, energy and power over the window "
        + fixed(s.window().startS(), 0) + "–" + fixed(s.window().endS(), 0) + " s", "figure", "value");
    t.row("output tokens per s", fixed(s.throughput().outputTokensPerS(), 1));
    t.row("requests per s", fixed(s.throughput().requestsPerS(), 3));
    t.row("goodput, requests per s", fixed(s.goodput().requestsPerS(), 3));
    t.row("SLO attainment, %", fixed(100 * s.slo().attainment(), 1));
    t.row("SLO target, %", fixed(100 * s.slo().target(), 1));
    t.row("SLO TTFT, ms", fixed(s.slo().ttftMs(), 0));
    t.row("SLO TPOT, ms", fixed(s.slo().tpotMs(), 0));
    t.row("SLO met", s.slo().met() ? "yes" : "no");
    t.row("GPU energy, J", fixed(s.energy().gpuJ(), 0));
    t.row("J per output token", fixed(s.energy().jPerOutputToken(), 3));
    t.row("facility energy, J", fixed(s.energy().facilityJ(), 0));
    t.row("GPU mean power, W", fixed(s.power().gpuMeanW(), 1));
    t.row("GPU peak power, W", fixed(s.power().gpuPeakW(), 1));
    t.row("steady state", s.window().steadyState() ? "yes"
        : "no: " + String.join("; ", s.window().steadyStateChecks().notSteadyBecause()));
    return t;
  }

  private static Table requests(Summary s) {
    Summary.Requests r = s.requests();
    Table t = new Table("Requests that arrived in the window", "fate", "requests");
    t.row("arrived", Long.toString(r.arrived()));
    t.row("completed", Long.toString(r.completed()));
    t.row("rejected", Long.toString(r.rejected()));
    t.row("timed out", Long.toString(r.timedOut()));
    t.row("failed", Long.toString(r.failed()));
    t.row("unfinished", Long.toString(r.unfinished()));
    t.row("preemptions", Long.toString(r.preemptions()));
    return t;
  }

  private static Table run(Summary s) {
    Summary.Run r = s.run();
    Table t = new Table("The whole run", "figure", "value");
    t.row("status", r.status());
    t.row("simulated, s", fixed(r.simulatedS(), 1));
    t.row("requests arrived", Long.toString(r.requestsArrived()));
    t.row("requests completed", Long.toString(r.requestsCompleted()));
    t.row("output tokens", Long.toString(r.outputTokens()));
    t.row("iterations", Long.toString(r.iterations()));
    t.row("GPUs", Integer.toString(r.gpus()));
    t.row("GPU energy, J", fixed(r.energyGpuJ(), 0));
    return t;
  }

  private static Table byDeployment(Map<String, Summary.Deployment> byDeployment) {
    Table t = new Table("By deployment (window)", "deployment", "TTFT p99 ms", "TPOT p99 ms", "output tok/s",
        "SLO attainment %", "GPUs", "J per output token", "GPU mean W");
    byDeployment.forEach((name, d) -> t.row(name, fixed(d.latency().ttftMs().p99(), 1),
        fixed(d.latency().tpotMs().p99(), 2), fixed(d.throughput().outputTokensPerS(), 1),
        fixed(100 * d.slo().attainment(), 1), Integer.toString(d.gpus()), fixed(d.jPerOutputToken(), 3),
        fixed(d.gpuMeanW(), 1)));
    return t;
  }

  private static Table thermal(Summary.Thermal th) {
    Table t = new Table("Thermal (whole run)", "figure", "value");
    t.row("GPU peak temperature, °C", fixed(th.gpuPeakC(), 1));
    t.row("thermally throttled, GPU-s", fixed(th.throttledS(), 1));
    t.row("GPUs shut down", Long.toString(th.shutdowns()));
    if (th.cooling() != null) {
      t.row("cooling", th.cooling());
    }
    if (th.inletPeakC() != null) {
      t.row("inlet peak, °C", orDash(th.inletPeakC(), 1));
    }
    return t;
  }

  private static Table tiers(Summary.Kv kv) {
    Table t = new Table("KV tiers", "tier", "capacity GB", "peak GB", "hits", "misses", "GB in", "GB out");
    for (Summary.KvTier k : kv.tiers()) {
      if (k.capacityBytes() > 0) {
        t.row(k.tier(), fixed(k.capacityBytes() / 1e9, 1), fixed(k.peakBytes() / 1e9, 1), Long.toString(k.hits()),
            Long.toString(k.misses()), fixed(k.bytesIn() / 1e9, 1), fixed(k.bytesOut() / 1e9, 1));
      }
    }
    return t;
  }

  private static Table podcast(String deployment, List<Summary.Turn> turns) {
    Table t = new Table("Podcast phrases on " + deployment, "minute", "turn", "context", "TTFT ms", "TPOT ms",
        "active J", "with idle J");
    for (Summary.Turn p : turns) {
      if (p.turn() == null) {
        t.row(fixed(p.minute(), 0), "-", "", "", "", "", "");
      } else {
        t.row(fixed(p.minute(), 0), Integer.toString(p.turn()), String.valueOf(p.contextTokens()),
            orDash(p.ttftMs(), 1), orDash(p.tpotMs(), 2), orDash(p.activeJ(), 1), orDash(p.withIdleJ(), 1));
      }
    }
    return t;
  }

  private static String orDash(Double x, int decimals) {
    return x == null ? "-" : fixed(x, decimals);
  }
}
