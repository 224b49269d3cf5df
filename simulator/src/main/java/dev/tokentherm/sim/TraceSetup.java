package dev.tokentherm.sim;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.scenario.Scenario;
import dev.tokentherm.scenario.TraceSpec;
import dev.tokentherm.serving.Fleet;
import dev.tokentherm.workload.trace.SessionEnds;
import dev.tokentherm.workload.trace.TraceException;
import dev.tokentherm.workload.trace.TraceFormat;
import dev.tokentherm.workload.trace.TraceProblems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starts a workload entry's trace replay on a target ({@link TraceDriver}), and checks every trace
 * of a scenario for {@code validate}; bad rows become setup problems at
 * {@code workload[i].trace.path}.
 */
public final class TraceSetup {
  private TraceSetup() {
  }

  /**
   * Runs the trace's pre-pass and schedules its first record on {@code fleet}; the trace counts as
   * live work until its last record, each conversation it starts until it ends.
   */
  static void start(Engine engine, Fleet fleet, TraceSpec spec, Path baseDir, int wi,
      ConversationNumbers.OfEntry numbers, LiveWork work) throws SetupException {
    TraceDriver.Host host = new TraceDriver.Host() {
      private long started;

      @Override
      public long newConversation() {
        return numbers.get(started++);
      }

      @Override
      public void conversationStarted() {
        work.add();
      }

      @Override
      public void sourceDone() {
        work.done();
      }
    };
    try {
      TraceProblems problems = new TraceProblems();
      TraceDriver driver = new TraceDriver(engine, fleet, spec, baseDir, host, wi, problems);
      if (problems.any()) {
        throw setupException(wi, problems);
      }
      work.add(); // the trace counts as live work until its last record
      if (!driver.start()) {
        work.withdraw();
      }
    } catch (TraceException e) {
      throw new SetupException(List.of(new SetupException.Problem("workload[" + wi + "].trace.path", e.getMessage())));
    }
  }

  /**
   * Reads every trace of the scenario as the run's pre-pass would, but any format and past the
   * first bad row: every problem, the first {@link TraceProblems#KEPT} listed, for {@code validate}.
   */
  public static void check(Scenario scenario, Path baseDir) throws SetupException {
    List<SetupException.Problem> problems = new ArrayList<>();
    long unlisted = 0;
    for (int wi = 0; wi < scenario.workload().size(); wi++) {
      TraceSpec t = scenario.workload().get(wi).trace();
      if (t == null) {
        continue;
      }
      TraceProblems found = new TraceProblems();
      Path path = baseDir.resolve(t.path());
      try {
        SessionEnds.check(path, TraceFormat.valueOf(t.format().toUpperCase(Locale.ROOT)),
            t.maxRequests() == null ? Long.MAX_VALUE : t.maxRequests(),
            SessionEnds.InputTokens.of(t.inputTokens()), found);
      } catch (TraceException e) {
        found.add(e.getMessage());
      }
      if (found.any()) {
        SetupException e = setupException(wi, found);
        problems.addAll(e.problems());
        unlisted += e.unlisted();
      }
    }
    if (!problems.isEmpty()) {
      throw new SetupException(problems, unlisted);
    }
  }

  /** A bad record found mid-run, as the trace's one-line setup problem. */
  static SetupException midRun(TraceDriver.TraceFailure e) {
    return new SetupException(List.of(new SetupException.Problem("workload", e.getMessage())));
  }

  private static SetupException setupException(int wi, TraceProblems found) {
    List<SetupException.Problem> list = new ArrayList<>();
    for (String m : found.messages()) {
      list.add(new SetupException.Problem("workload[" + wi + "].trace.path", m));
    }
    return new SetupException(list, found.count() - list.size());
  }
}
