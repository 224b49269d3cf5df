package dev.tokentherm.metrics;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tokentherm.engine.Durations;
import dev.tokentherm.perf.BatchWork;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.power.GpuDevices;
import dev.tokentherm.scenario.Outputs;
import dev.tokentherm.serving.Replica;
import dev.tokentherm.serving.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * timeline.json: the run in the Chrome trace-event format (JSON object form, timestamps in µs,
 * which Perfetto and chrome://tracing open), streamed as the run goes and limited to a window of
 * simulated time. Each replica is a process (pid = replica number + 1) with a thread of iterations
 * (tid 1: one complete event each, named prefill, decode or mixed, its batch in the args) and a
 * thread of arrivals (tid 2: a zero-length slice at each arrival). Each request is an async slice
 * (cat request, id = conversation × 1,000,000 + turn) holding its phases, queue, loading (KV coming
 * up from a lower tier), prefill (admission to the first token) and decode, written when its fate
 * is known; a flow runs from its arrival to the iteration its prefill starts in. Counters: each
 * replica's running batch (at each iteration's start; 0 from the end of one the replica idled
 * after, written when the next starts) and KV blocks in use (at its end); each GPU's power and die
 * temperature at each sample, in its replica's process (GPUs no deployment uses in one more
 * process). An event is written when it lies wholly inside the window; a request's slices
 * are cut at the window's edges, and its flow written only when both ends lie inside.
 */
public final class TimelineWriter implements TimelineSink {
  /** Turns of one conversation an id keeps apart (ids: conversation × this + turn). */
  static final long TURNS_PER_ID = 1_000_000;
  private static final int ITERATIONS_TID = 1;
  private static final int ARRIVALS_TID = 2;

  private final Writer out;
  private final long windowStartNs;
  private final long windowEndNs;
  private final StringBuilder b = new StringBuilder(512);
  private boolean firstEvent = true;
  private LongSupplier clockNs = () -> 0;
  private GpuDevices devices;
  /** Each GPU's process id. */
  private int[] pidOfGpu = new int[0];
  /** Each replica's running batch and KV blocks in use as last written (-1: none yet). */
  private int[] lastBatch = new int[0];
  private long[] lastKvBlocks = new long[0];
  /** The end of each replica's latest iteration written, ns (-1: none yet). */
  private long[] lastEndNs = new long[0];
  /** Each replica's GPUs (Replica#gpus copies them). */
  private int[][] gpusOf = new int[0][];

  /** The timeline {@code outputs.timeline_window_s} asks for, written to {@code out}. */
  public static TimelineWriter of(Outputs outputs, Writer out) throws IOException {
    return new TimelineWriter(out, Durations.toNanos(outputs.timelineWindowS().get(0)),
        Durations.toNanos(outputs.timelineWindowS().get(1)));
  }

  /** Starts the file; events from {@code windowStartNs} to {@code windowEndNs} of simulated time follow. */
  public TimelineWriter(Writer out, long windowStartNs, long windowEndNs) throws IOException {
    this.out = out;
    this.windowStartNs = windowStartNs;
    this.windowEndNs = windowEndNs;
    b.append("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"source\":\"tokentherm\",\"window_start_s\":");
    Num.append(b, windowStartNs * 1e-9);
    b.append(",\"window_end_s\":");
    Num.append(b, windowEndNs * 1e-9);
    b.append("},\"traceEvents\":[");
    out.append(b);
    b.setLength(0);
  }

  @Override
  public void start(List<Replica> replicas, GpuDevices devices, LongSupplier clockNs) {
    try {
      processes(replicas, devices, clockNs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void processes(List<Replica> replicas, GpuDevices devices, LongSupplier clockNs) throws IOException {
    this.devices = devices;
    this.clockNs = clockNs;
    int unusedPid = replicas.size() + 1;
    lastBatch = new int[replicas.size()];
    lastKvBlocks = new long[replicas.size()];
    gpusOf = new int[replicas.size()][];
    lastEndNs = new long[replicas.size()];
    java.util.Arrays.fill(lastEndNs, -1);
    java.util.Arrays.fill(lastBatch, -1);
    java.util.Arrays.fill(lastKvBlocks, -1);
    pidOfGpu = new int[devices.count()];
    java.util.Arrays.fill(pidOfGpu, unusedPid);
    for (Replica r : replicas) {
      int pid = pid(r);
      gpusOf[r.index()] = r.gpus();
      for (int g : gpusOf[r.index()]) {
        pidOfGpu[g] = pid;
      }
      metadata(pid, 0, "process_name", "name", "replica " + r.index() + " (" + r.deployment() + ")");
      metadata(pid, 0, "process_sort_index", "sort_index", r.index());
      metadata(pid, ITERATIONS_TID, "thread_name", "name", "iterations");
      metadata(pid, ITERATIONS_TID, "thread_sort_index", "sort_index", 0);
      metadata(pid, ARRIVALS_TID, "thread_name", "name", "arrivals");
      metadata(pid, ARRIVALS_TID, "thread_sort_index", "sort_index", 1);
    }
    for (int pid : pidOfGpu) {
      if (pid == unusedPid) {
        metadata(pid, 0, "process_name", "name", "GPUs no deployment uses");
        metadata(pid, 0, "process_sort_index", "sort_index", unusedPid - 1);
        break;
      }
    }
  }

  @Override
  public void arrived(Request r) throws IOException {
    long t = r.arrivalNs();
    if (!inside(t, t)) {
      return;
    }
    open("X", "arrival", "arrival", pid(r.conversation().replica()), ARRIVALS_TID, t);
    b.append(",\"dur\":0,\"args\":{\"conversation\":").append(r.conversation().id())
        .append(",\"turn\":").append(r.turn()).append('}');
    emit();
  }

  @Override
  public void iteration(Replica replica, long startNs, long durationNs, IterationCost cost) throws IOException {
    long endNs = startNs + durationNs;
    if (!inside(startNs, endNs)) {
      return;
    }
    BatchWork w = cost.batch;
    int prefills = w.prefillSeqs();
    int decodes = w.decodeSeqs;
    String name = prefills == 0 ? "decode" : decodes == 0 ? "prefill" : "mixed";
    int pid = pid(replica);
    int[] gpus = gpusOf[replica.index()];
    double powerW = 0;
    for (int g : gpus) {
      powerW += devices.meters().powerW(g);
    }
    double clockMhz = devices.device(gpus[0]).clockMhz();
    open("X", "iteration", name, pid, ITERATIONS_TID, startNs);
    b.append(",\"dur\":");
    micros(durationNs);
    b.append(",\"args\":{\"prefill_requests\":").append(prefills)
        .append(",\"prefill_tokens\":").append(w.prefillTokens())
        .append(",\"decode_requests\":").append(decodes)
        .append(",\"kv_blocks_used\":").append(replica.blocks().live())
        .append(",\"kv_blocks\":").append(replica.blocks().capacity())
        .append(",\"power_w\":");
    Num.append(b, powerW);
    if (Double.isFinite(clockMhz)) {
      b.append(",\"clock_mhz\":");
      Num.append(b, clockMhz);
    }
    b.append('}');
    emit();
    int r = replica.index();
    if (lastEndNs[r] >= 0 && startNs > lastEndNs[r] && lastBatch[r] != 0) { // it idled in between
      lastBatch[r] = 0;
      counter(pid, "running batch", lastEndNs[r], "requests", 0);
    }
    lastEndNs[r] = endNs;
    if (w.seqs() != lastBatch[r]) { // a counter holds its value until the next: written on change only
      lastBatch[r] = w.seqs();
      counter(pid, "running batch", startNs, "requests", w.seqs());
    }
    if (replica.blocks().live() != lastKvBlocks[r]) {
      lastKvBlocks[r] = replica.blocks().live();
      counter(pid, "KV blocks used", endNs, "blocks", lastKvBlocks[r]);
    }
  }

  @Override
  public void request(Request r, String status) throws IOException {
    long arrival = r.arrivalNs();
    long end = Math.max(arrival, "completed".equals(status) ? r.doneNs() : clockNs.getAsLong());
    if (arrival > windowEndNs || end < windowStartNs) {
      return;
    }
    int pid = pid(r.conversation().replica());
    long id = r.conversation().id() * TURNS_PER_ID + r.turn();
    long admitted = r.queueNs() >= 0 ? Math.min(arrival + r.queueNs(), end) : -1;
    long firstToken = r.firstTokenNs() >= 0 ? Math.min(r.firstTokenNs(), end) : -1;
    long prefillEnd = firstToken >= 0 ? firstToken : end;
    long prefillStart = admitted >= 0 ? Math.min(admitted + Math.max(0, r.loadNs()), prefillEnd) : -1;
    begin(pid, id, "request", arrival);
    b.append(",\"args\":{\"conversation\":").append(r.conversation().id()).append(",\"turn\":").append(r.turn())
        .append(",\"status\":\"").append(status).append("\",\"prompt_tokens\":").append(r.contextTokens())
        .append(",\"cached_tokens\":").append(r.cachedTokens()).append(",\"output_tokens\":")
        .append(r.outputTokens()).append(",\"preemptions\":").append(r.preemptions()).append('}');
    emit();
    phase(pid, id, "queue", arrival, admitted >= 0 ? admitted : end);
    if (admitted >= 0 && prefillStart > admitted) {
      phase(pid, id, "loading", admitted, prefillStart);
    }
    if (admitted >= 0) {
      phase(pid, id, "prefill", prefillStart, prefillEnd);
    }
    if (firstToken >= 0 && end > firstToken) {
      phase(pid, id, "decode", firstToken, end);
    }
    end(pid, id, "request", end);
    if (admitted >= 0 && firstToken >= 0 && inside(arrival, firstToken)) {
      open("s", "request", "to first iteration", pid, ARRIVALS_TID, arrival);
      b.append(",\"id\":").append(id);
      emit();
      open("f", "request", "to first iteration", pid, ITERATIONS_TID, prefillStart);
      b.append(",\"id\":").append(id).append(",\"bp\":\"e\"");
      emit();
    }
  }

  @Override
  public void device(int gpu, double powerW, double tempC) throws IOException {
    long now = clockNs.getAsLong();
    if (!inside(now, now)) {
      return;
    }
    counter(pidOfGpu[gpu], "gpu " + gpu + " power", now, "W", powerW);
    if (Double.isFinite(tempC)) {
      counter(pidOfGpu[gpu], "gpu " + gpu + " temperature", now, "C", tempC);
    }
  }

  /** Ends the event list and the file's object (the writer is the caller's to close). */
  @Override
  public void close() throws IOException {
    out.append("\n]}\n");
    out.close();
  }

  private boolean inside(long fromNs, long toNs) {
    return fromNs >= windowStartNs && toNs <= windowEndNs;
  }

  private static int pid(Replica r) {
    return r.index() + 1;
  }

  /** A phase of a request's slice, cut at the window's edges; nothing when it lies outside. */
  private void phase(int pid, long id, String name, long fromNs, long toNs) throws IOException {
    if (fromNs > windowEndNs || toNs < windowStartNs) {
      return;
    }
    begin(pid, id, name, fromNs);
    emit();
    end(pid, id, name, toNs);
  }

  private void begin(int pid, long id, String name, long tsNs) {
    open("b", "request", name, pid, ARRIVALS_TID, Math.max(tsNs, windowStartNs));
    b.append(",\"id\":").append(id);
  }

  private void end(int pid, long id, String name, long tsNs) throws IOException {
    open("e", "request", name, pid, ARRIVALS_TID, Math.min(tsNs, windowEndNs));
    b.append(",\"id\":").append(id);
    emit();
  }

  private void counter(int pid, String name, long tsNs, String key, double value) throws IOException {
    open("C", "counter", name, pid, 0, tsNs);
    b.append(",\"args\":{\"").append(key).append("\":");
    Num.append(b, value);
    b.append('}');
    emit();
  }

  private void metadata(int pid, int tid, String name, String key, Object value) throws IOException {
    open("M", "__metadata", name, pid, tid, 0);
    b.append(",\"args\":{\"").append(key).append("\":");
    if (value instanceof String s) {
      b.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
    } else {
      b.append(value);
    }
    b.append('}');
    emit();
  }

  /** Starts an event in {@link #b}: its phase, category, name, process, thread and timestamp. */
  private void open(String ph, String cat, String name, int pid, int tid, long tsNs) {
    b.append(firstEvent ? "\n" : ",\n");
    firstEvent = false;
    b.append("{\"ph\":\"").append(ph).append("\",\"cat\":\"").append(cat).append("\",\"name\":\"").append(name)
        .append("\",\"pid\":").append(pid).append(",\"tid\":").append(tid).append(",\"ts\":");
    micros(tsNs);
  }

  /** Ends the event and writes it out. */
  private void emit() throws IOException {
    b.append('}');
    out.append(b);
    b.setLength(0);
  }

  /** Nanoseconds as microseconds, exactly (up to three decimals). */
  private void micros(long ns) {
    b.append(ns / 1000);
    long fraction = ns % 1000;
    if (fraction != 0) {
      b.append('.');
      if (fraction < 100) {
        b.append('0');
      }
      if (fraction < 10) {
        b.append('0');
      }
      b.append(fraction);
      while (b.charAt(b.length() - 1) == '0') {
        b.setLength(b.length() - 1);
      }
    }
  }
}
