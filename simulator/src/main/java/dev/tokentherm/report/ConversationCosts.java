package dev.tokentherm.report;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost of each phrase (turn) against the minute of its conversation, from conversations.csv:
 * the turn's start minus its conversation's first turn's start, min; its active energy, J; and
 * its end-to-end time, ms. Turns without an end-to-end time (unfinished) are left out.
 */
public final class ConversationCosts {
  public static final String FILE = "conversations.csv";
  /**
   * At most this many points are drawn: up to it, one per turn; above it, the mean of the turns
   * in each bin of whole conversation minutes (bins wide enough for at most this many).
   */
  public static final int MAX_POINTS = 500;

  /** One turn: minute of its conversation, active J, end-to-end ms. */
  public record Turn(double minute, double activeJ, double e2eMs) {}

  private final List<Turn> turns;

  private ConversationCosts(List<Turn> turns) {
    this.turns = turns;
  }

  public List<Turn> turns() {
    return turns;
  }

  /** @throws IOException when the file cannot be read or lacks a column */
  public static ConversationCosts read(Path file) throws IOException {
    CsvMapper mapper = new CsvMapper();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<long[]> ids = new ArrayList<>();
    List<double[]> cells = new ArrayList<>();
    Map<Long, Double> firstStart = new HashMap<>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class).with(schema).readValues(in)) {
      while (rows.hasNext()) {
        Map<String, String> row = rows.next();
        String conversation = row.get("conversation");
        String start = row.get("start_min");
        if (conversation == null || start == null || !row.containsKey("active_j") || !row.containsKey("e2e_ms")) {
          throw new IOException(file + ": expected the columns conversation, start_min, active_j and e2e_ms");
        }
        long id = Long.parseLong(conversation);
        double startMin = number(start);
        firstStart.merge(id, startMin, Math::min);
        ids.add(new long[] {id});
        cells.add(new double[] {startMin, number(row.get("active_j")), number(row.get("e2e_ms"))});
      }
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a conversations.csv (" + e.getMessage() + ")", e);
    }
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      double[] c = cells.get(i);
      if (Double.isFinite(c[0]) && Double.isFinite(c[2])) {
        turns.add(new Turn(c[0] - firstStart.get(ids.get(i)[0]), c[1], c[2]));
      }
    }
    return new ConversationCosts(turns);
  }

  private static double number(String cell) {
    return cell == null || cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
  }

  /**
   * The points drawn: {minute, J, ms} rows, one per turn sorted by minute when there are at most
   * {@link #MAX_POINTS} turns; otherwise the means over bins of w whole minutes (w the smallest
   * giving at most MAX_POINTS bins), at each bin's mean minute.
   */
  public double[][] points() {
    List<Turn> sorted = new ArrayList<>(turns);
    sorted.sort((a, b) -> Double.compare(a.minute(), b.minute()));
    if (sorted.size() <= MAX_POINTS) {
      double[][] p = new double[sorted.size()][];
      for (int i = 0; i < p.length; i++) {
        Turn t = sorted.get(i);
        p[i] = new double[] {t.minute(), t.activeJ(), t.e2eMs()};
      }
      return p;
    }
    double span = sorted.get(sorted.size() - 1).minute();
    long width = Math.max(1, (long) Math.ceil((Math.floor(span) + 1) / MAX_POINTS));
    List<double[]> bins = new ArrayList<>();
    long bin = -1;
    double[] acc = null;
    for (Turn t : sorted) {
      long b = (long) Math.floor(t.minute()) / width;
      if (b != bin) {
        if (acc != null) {
          bins.add(mean(acc));
        }
        acc = new double[4];
        bin = b;
      }
      acc[0] += t.minute();
      acc[1] += Double.isFinite(t.activeJ()) ? t.activeJ() : 0;
      acc[2] += t.e2eMs();
      acc[3]++;
    }
    bins.add(mean(acc));
    return bins.toArray(new double[0][]);
  }

  private static double[] mean(double[] acc) {
    return new double[] {acc[0] / acc[3], acc[1] / acc[3], acc[2] / acc[3]};
  }
}
