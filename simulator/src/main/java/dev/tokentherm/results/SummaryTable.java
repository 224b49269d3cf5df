package dev.tokentherm.results;

import static dev.tokentherm.results.Decimals.fixed;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The few lines a person reads after a run, every figure taken from its {@link Summary}. */
public final class SummaryTable {
  private SummaryTable() {}

  /**
   * The table of a run.
   *
   * @param unfinishedAtEnd requests of the whole run still unfinished at its end (summary.json
   *     counts only the window's, under requests.unfinished)
   */
  public static String render(Summary s, long unfinishedAtEnd) {
    Summary.Run run = s.run();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %.1f s simulated, %d requests completed, %d rejected, %d output tokens%n",
        s.scenario(), run.simulatedS(), run.requestsCompleted(), run.requestsRejected(), run.outputTokens()));
    b.append(String.format(Locale.ROOT, "window %.0f–%.0f s: TTFT p50 %s ms p99 %s ms, TPOT p50 %s ms p99 %s ms, %s tok/s, %s J/token%n",
        s.window().startS(), s.window().endS(), fixed(s.latency().ttftMs().p50(), 1),
        fixed(s.latency().ttftMs().p99(), 1), fixed(s.latency().tpotMs().p50(), 2),
        fixed(s.latency().tpotMs().p99(), 2), fixed(s.throughput().outputTokensPerS(), 1),
        fixed(s.energy().jPerOutputToken(), 3)));
    if (run.stall() != null) {
      b.append("stalled: ").append(run.stall()).append('\n');
    }
    if (run.unstableReason() != null) {
      b.append(String.format(Locale.ROOT, "unstable: stopped at %.1f s, %s%n", run.simulatedS(), run.unstableReason()));
    }
    Summary.Slo slo = s.slo();
    if (s.requests().arrived() > 0) {
      b.append(String.format(Locale.ROOT, "SLO %s: %s %% of %d windowed requests within TTFT ≤ %s ms and TPOT ≤ %s ms"
          + " (target %s %%)%n", slo.met() ? "met" : "missed", fixed(100 * slo.attainment(), 1),
          s.requests().arrived(), fixed(slo.ttftMs(), 0), fixed(slo.tpotMs(), 0), fixed(100 * slo.target(), 1)));
    }
    if (unfinishedAtEnd > 0 || run.cutAtDrainLimit()) {
      b.append(String.format(Locale.ROOT, "unfinished: %d requests at the end, %d of them in the window%s%n",
          unfinishedAtEnd, s.requests().unfinished(), !"ok".equals(run.status()) ? " (the run was stopped)"
              : run.cutAtDrainLimit() ? " (cut at the drain limit: raise max_drain_s or lower the load)" : ""));
    }
    b.append(s.window().steadyState() ? "window: steady state\n"
        : "window: not in steady state: " + String.join("; ", s.window().steadyStateChecks().notSteadyBecause()) + "\n");
    for (Summary.KvDeployment kv : s.kv().deployments()) {
      b.append(String.format(Locale.ROOT, "%s: KV budget %.2f GB per GPU (%d blocks of %d tokens, %d tokens per replica), peak context %d tokens%n",
          kv.deployment(), kv.budgetGbPerGpu(), kv.blocksPerGpu(), kv.blockTokens(), kv.capacityTokens(),
          s.kv().peakContextTokens()));
    }
    if (s.podcast() != null) {
      podcast(b, s.podcast().byDeployment());
    }
    if (s.probe() != null) {
      probes(b, s.probe().rows());
    }
    return b.toString();
  }

  private static void podcast(StringBuilder b, Map<String, List<Summary.Turn>> byDeployment) {
    for (Map.Entry<String, List<Summary.Turn>> e : byDeployment.entrySet()) {
      if (byDeployment.size() > 1) {
        b.append(e.getKey()).append(":\n");
      }
      b.append(String.format(Locale.ROOT, "%7s %6s %9s %10s %10s %12s %13s%n", "minute", "turn", "context",
          "TTFT ms", "TPOT ms", "active J", "with idle J"));
      for (Summary.Turn t : e.getValue()) {
        if (t.turn() == null) {
          b.append(String.format(Locale.ROOT, "%7s %6s%n", fixed(t.minute(), 0), "-"));
          continue;
        }
        b.append(String.format(Locale.ROOT, "%7s %6d %9d %10s %10s %12s %13s%n", fixed(t.minute(), 0),
            t.turn(), t.contextTokens(), fixed(t.ttftMs(), 1), fixed(t.tpotMs(), 2),
            fixed(t.activeJ(), 1), fixed(t.withIdleJ(), 1)));
      }
    }
  }

  private static void probes(StringBuilder b, List<Summary.ProbeRow> rows) {
    b.append(String.format(Locale.ROOT, "%-28s %9s %10s %10s %12s %12s%n", "probe", "context", "KV GiB/GPU",
        "TTFT ms", "ms/token", "J/token"));
    for (Summary.ProbeRow p : rows) {
      String kv = fixed(p.kvGibPerGpu(), 2);
      if (!"ok".equals(p.status())) {
        b.append(String.format(Locale.ROOT, "%-28s %9d %10s  does_not_fit%n", p.deployment(), p.contextTokens(), kv));
        continue;
      }
      b.append(String.format(Locale.ROOT, "%-28s %9d %10s %10s %12s %12s%n", p.deployment(), p.contextTokens(), kv,
          fixed(p.ttftMs(), 1), fixed(p.timePerOutputTokenMs(), 2), fixed(p.jPerOutputToken(), 2)));
    }
  }
}
