package dev.tokentherm.plan;

import dev.tokentherm.experiment.Executor;
import dev.tokentherm.experiment.PointStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's searches, candidate by candidate: first the stable capacity (bisection on "no run ends
 * unstable or stalled"), then the SLO capacity (bisection on the plan's SLO), the second starting
 * from what the first's probes already say (every unstable probe fails the SLO too), so that a
 * value is probed at most once. Probes are the only runs; each probe's replications run in
 * parallel ({@link ProbeRunner}).
 */
public final class PlanRunner {
  /** Told of each finished probe (one call at a time). */
  public interface Listener {
    void probed(Probe probe);

    Listener NONE = probe -> { };
  }

  /**
   * A candidate's searches.
   *
   * @param probes in the order they were made
   */
  public record CandidateResult(int candidate, Bisection.Result stable, Bisection.Result slo, List<Probe> probes) {
    /** The probe at the SLO capacity (null when there is none). */
    public Probe atCapacity() {
      for (Probe p : probes) {
        if (p.value() == slo.capacity()) {
          return p;
        }
      }
      return null;
    }
  }

  /** Probes one value of a candidate's axis (a test's synthetic oracle, or real runs). */
  public interface Prober {
    Probe probe(int candidate, int number, double value) throws Exception;
  }

  private final Plan plan;
  private final Prober prober;

  public PlanRunner(Plan plan, Prober prober) {
    this.plan = plan;
    this.prober = prober;
  }

  /** Runs of a plan file, committed into {@code store}, replications in parallel on {@code executor}. */
  public static PlanRunner of(PlanFile file, PointStore store, Executor executor) {
    ProbeRunner runner = new ProbeRunner(file, store, executor);
    return new PlanRunner(file.plan(), runner::run);
  }

  /** Every candidate's searches, in the plan's order. */
  public List<CandidateResult> runAll(Listener listener) throws Exception {
    List<CandidateResult> results = new ArrayList<>();
    for (int c = 0; c < plan.candidates().size(); c++) {
      results.add(run(c, listener));
    }
    return results;
  }

  /** One candidate's two searches. */
  public CandidateResult run(int c, Listener listener) throws Exception {
    Plan.Search search = plan.search();
    Map<Double, Probe> probed = new LinkedHashMap<>();
    Bisection.Oracle stableOracle = v -> probe(c, v, probed, listener).verdict().stable();
    Bisection.Result stable = Bisection.search(search.easy(), search.hard(), search.tolerance(), search.integer(),
        stableOracle);
    // the SLO search starts between the hardest value known to pass the SLO and the easiest known to fail it
    double fail = search.hard();
    boolean failKnown = false;
    for (Probe p : probed.values()) {
      if (!p.verdict().slo() && (!failKnown || hardness(p.value()) < hardness(fail))) {
        fail = p.value();
        failKnown = true;
      }
    }
    double pass = search.easy();
    for (Probe p : probed.values()) {
      if (p.verdict().slo() && hardness(p.value()) > hardness(pass) && hardness(p.value()) < hardness(fail)) {
        pass = p.value();
      }
    }
    if (hardness(fail) < hardness(pass)) {
      fail = pass; // only when the easy end fails: the search below stops at once
    }
    Bisection.Oracle sloOracle = v -> probe(c, v, probed, listener).verdict().slo();
    Bisection.Result slo = Bisection.search(pass, fail, search.tolerance(), search.integer(), sloOracle);
    return new CandidateResult(c, stable, slo, new ArrayList<>(probed.values()));
  }

  private double hardness(double value) {
    return plan.search().isLoad() ? value : -value;
  }

  private Probe probe(int c, double value, Map<Double, Probe> probed, Listener listener) throws Exception {
    Probe known = probed.get(value);
    if (known != null) {
      return known;
    }
    Probe p = prober.probe(c, probed.size() + 1, value);
    probed.put(value, p);
    listener.probed(p);
    return p;
  }
}
