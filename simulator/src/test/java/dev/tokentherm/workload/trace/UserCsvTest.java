package dev.tokentherm.workload.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user CSV: sessions, exact decimal arrivals, and the tolerances the format documents. */
class UserCsvTest {
  @TempDir Path dir;

  /**
   * {@code trace/sessions.csv}: a byte-order mark, \r\n line ends, columns in another order,
   * spaces around values, a blank line, a row without a session and exponent notation.
   */
  @Test
  void sessionsBecomeDenseIdsInOrderOfFirstAppearance() throws Exception {
    List<long[]> rows = readAll(resource("trace/sessions.csv"));
    // {arrival ns, input, output, session, line}
    assertThat(rows).containsExactly(
        new long[] {0L, 100, 10, 0, 2},                      // bob
        new long[] {100_000_000L, 200, 20, 1, 3},            // alice
        new long[] {100_000_001L, 300, 30, 0, 5},            // " bob " → bob
        new long[] {12_500_000_000L, 400, 40, -1, 6},        // no session; 1.25e1 s
        new long[] {12_500_000_000L, 500, 50, 2, 7},         // carol
        new long[] {4_000_000_000_000_000_001L, 600, 60, 1, 8}); // alice, exact to the ns
  }

  @Test
  void thePrePassMarksEachSessionsLastRow() throws Exception {
    // rows: bob, alice, bob, (none), carol, alice
    SessionEnds all = SessionEnds.scan(resource("trace/sessions.csv"), TraceFormat.CSV, Long.MAX_VALUE, SessionEnds.InputTokens.WHOLE, new TraceProblems());
    assertThat(all.rows()).isEqualTo(6);
    boolean[] ends = new boolean[7];
    for (int r = 0; r < ends.length; r++) {
      ends[r] = all.endsSession(r);
    }
    assertThat(ends).containsExactly(false, false, true, false, true, true, false);
    // cut after three rows: alice's last row is her first
    SessionEnds head = SessionEnds.scan(resource("trace/sessions.csv"), TraceFormat.CSV, 3, SessionEnds.InputTokens.WHOLE, new TraceProblems());
    assertThat(head.rows()).isEqualTo(3);
    assertThat(head.endsSession(1)).isTrue();
    assertThat(head.endsSession(2)).isTrue();
    assertThat(head.endsSession(5)).isFalse();
    assertThat(SessionEnds.scan(resource("trace/sessions.csv"), TraceFormat.MOONCAKE, 3, SessionEnds.InputTokens.WHOLE, new TraceProblems())).isSameAs(SessionEnds.NONE);
  }

  @Test
  void aSessionDeclaredOverIsForgottenAndItsIdNeverReused() throws Exception {
    Path file = Files.writeString(dir.resolve("over.csv"),
        "arrival_s,input_tokens,output_tokens,session_id\n0,1,0,x\n1,1,0,y\n2,1,0,z\n");
    try (TraceReader reader = TraceReaders.open(file, TraceFormat.CSV)) {
      TraceRecord r = new TraceRecord();
      reader.next(r);
      reader.sessionOver(); // x
      reader.next(r);
      assertThat(r.sessionId()).isEqualTo(1);
      reader.next(r);
      assertThat(r.sessionId()).isEqualTo(2);
    }
  }

  @Test
  void withoutTheSessionColumnNoRequestHasASession() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.csv"), "arrival_s,input_tokens,output_tokens\n0.000000001,1,0\n");
    assertThat(readAll(file)).containsExactly(new long[] {1, 1, 0, -1, 2});
  }

  @Test
  void aReusedRecordDropsTheHashesOfTheFormatBefore() throws Exception {
    TraceRecord request = new TraceRecord();
    try (TraceReader mooncake = TraceReaders.open(Path.of("data/traces/mooncake_synthetic_trace.jsonl"), TraceFormat.MOONCAKE)) {
      assertThat(mooncake.next(request)).isTrue();
    }
    assertThat(request.hashCount()).isPositive();
    try (TraceReader csv = TraceReaders.open(resource("trace/sessions.csv"), TraceFormat.CSV)) {
      assertThat(csv.next(request)).isTrue();
    }
    assertThat(request.hashCount()).isZero();
  }

  private static List<long[]> readAll(Path file) throws TraceException {
    List<long[]> rows = new ArrayList<>();
    try (TraceReader trace = TraceReaders.open(file, TraceFormat.CSV)) {
      TraceRecord r = new TraceRecord();
      while (trace.next(r)) {
        rows.add(new long[] {r.arrivalNs(), r.inputTokens(), r.outputTokens(), r.sessionId(), r.line()});
      }
    }
    return rows;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(UserCsvTest.class.getClassLoader().getResource(name).toURI());
  }
}
