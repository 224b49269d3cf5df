package dev.tokentherm.net;

import dev.tokentherm.engine.Engine;
import dev.tokentherm.engine.EventHandler;
import dev.tokentherm.engine.Phase;
import java.util.Arrays;

/**
 * Links shared max-min fairly by the flows that cross them (a fluid model, never per-packet or
 * per-block events).
 *
 * <p>A <b>link</b> ({@link #addLink}) has a capacity (bytes/s; +∞ for a link a profile does not
 * bound), a fixed latency (ns), a class name (host-link, dram, nvme-read, nvme-write, nic, fabric)
 * and a per-chunk overhead (ns) that caps the rate of a flow moving small chunks ({@link
 * ChunkRate}). A <b>flow</b> ({@link #startFlow}) has bytes, a route (link ids) and a chunk size.
 * Rates are shared by progressive filling: every unfrozen flow's rate rises together until a link
 * on its route is full or it reaches its own chunk cap, which freezes it; the rest go on rising. The
 * rates are recomputed only when a flow starts, ends or is cancelled; the next fluid completion is
 * one engine event ({@link Phase#STATE}), cancelled in O(1) and scheduled again at each recompute.
 *
 * <p><b>Latency</b> is added at the end: a flow's bytes move from its start; it is delivered (its
 * {@link FlowDone} called) the route's summed latency after its last byte left the links. A
 * zero-latency flow is delivered inside the completion event; the fluid finish is rounded up to the
 * next nanosecond, and is at least 1 ns after the start (a flow of 0 bytes too).
 *
 * <p><b>API</b> for the rest of the simulator: {@link #addLink} returns a link id (sim builds one
 * network per run from the placement and keeps the ids: per GPU its host link, per node its DRAM,
 * NVMe read, NVMe write and NIC links); {@link #startFlow}{@code (route, bytes, chunkBytes, done)}
 * returns a flow id; {@link #cancel}{@code (flow)} takes a flow out (its moved bytes stay counted);
 * {@link #books} gives the byte accounts for the conservation law; {@link #carriedBytes} the bytes
 * each link moved so far (links.csv).
 *
 * <p>Allocation-light: flows live in parallel primitive arrays indexed by a slot, reused through a
 * free list; a flow id is (serial &lt;&lt; 24 | slot), so a stale id is recognised.
 */
public final class Network implements EventHandler {
  /** Told when a flow is delivered: its id and the instant, ns. */
  @FunctionalInterface
  public interface FlowDone {
    void flowDone(long flow, long nowNs);
  }

  /** The flow ids' slot bits: at most 2^24 flows at once. */
  private static final int SLOT_BITS = 24;
  private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
  /** Event key of the completion event: no other part of the model uses the largest key. */
  private static final long COMPLETION_KEY = Engine.MAX_KEY;
  /** A flow with fewer bytes left is done (rounding of rate × time leaves sub-byte residues). */
  private static final double DONE_BYTES = 1e-3;

  private static final byte FREE = 0;
  private static final byte MOVING = 1;
  private static final byte DELIVERING = 2;

  private final Engine engine;

  // links
  private int links;
  private String[] linkClass = new String[8];
  private String[] linkName = new String[8];
  private double[] capacity = new double[8];
  private long[] latencyNs = new long[8];
  private double[] chunkOverheadNs = new double[8];
  /** Bytes each link moved, integrated interval by interval as the rates run. */
  private double[] carried = new double[8];
  /** Bytes of the flows that crossed each link, counted per flow when it ends (the other side of the law). */
  private double[] endedFlowBytes = new double[8];
  // scratch of the solver
  private double[] residual = new double[8];
  private int[] unfrozenOn = new int[8];

  // flows, by slot
  private int[][] route = new int[16][];
  private double[] bytes = new double[16];
  private double[] remaining = new double[16];
  private double[] rate = new double[16];
  private double[] cap = new double[16];
  private long[] flowId = new long[16];
  private long[] deliveryHandle = new long[16];
  private FlowDone[] done = new FlowDone[16];
  private byte[] state = new byte[16];
  private boolean[] frozen = new boolean[16];
  private int[] freeSlots = new int[16];
  private int freeCount;
  private int slotsUsed;
  /** Slots of the moving flows, in start order (ids ascending: a deterministic order). */
  private int[] active = new int[16];
  private int activeCount;
  private long nextSerial = 1;

  private long lastAdvanceNs;
  private long completionHandle = Engine.NO_HANDLE;
  private final EventHandler deliver = (engine, flow) -> delivered(flow);
  // scratch: flows that finished at one event
  private int[] finished = new int[16];
  private long[] finishedIds = new long[16];

  private double startedBytes;
  private double cancelledBytes;
  /** Test-only fault: the first interval's bytes on the first link of the first flow are not counted. */
  private boolean loseLinkBytes;

  public Network(Engine engine) {
    this.engine = engine;
  }

  /**
   * Adds a link; returns its id (0, 1, 2, ... in the order added).
   *
   * @param bytesPerS capacity, bytes/s (&gt; 0; +∞: not a bound)
   * @param latencyNs added to the delivery of every flow crossing it, ns (≥ 0)
   * @param chunkOverheadNs fixed cost per chunk moved (DMA descriptor, RDMA work request), ns (≥ 0)
   */
  public int addLink(String kind, String name, double bytesPerS, long latency, double overheadNs) {
    if (!(bytesPerS > 0) || latency < 0 || !(overheadNs >= 0) || Double.isInfinite(overheadNs)) {
      throw new IllegalArgumentException("link " + name + ": capacity must be > 0 B/s (was " + bytesPerS
          + "), latency >= 0 ns (was " + latency + "), chunk overhead finite and >= 0 ns (was " + overheadNs
          + ")");
    }
    if (links == capacity.length) {
      int n = links * 2;
      linkClass = Arrays.copyOf(linkClass, n);
      linkName = Arrays.copyOf(linkName, n);
      capacity = Arrays.copyOf(capacity, n);
      latencyNs = Arrays.copyOf(latencyNs, n);
      chunkOverheadNs = Arrays.copyOf(chunkOverheadNs, n);
      carried = Arrays.copyOf(carried, n);
      endedFlowBytes = Arrays.copyOf(endedFlowBytes, n);
      residual = Arrays.copyOf(residual, n);
      unfrozenOn = Arrays.copyOf(unfrozenOn, n);
    }
    this.linkClass[links] = kind;
    this.linkName[links] = name;
    this.capacity[links] = bytesPerS;
    this.latencyNs[links] = latency;
    this.chunkOverheadNs[links] = overheadNs;
    return links++;
  }

  public int linkCount() {
    return links;
  }

  public String linkClass(int link) {
    return linkClass[link];
  }

  public String linkName(int link) {
    return linkName[link];
  }

  public double capacityBytesPerS(int link) {
    return capacity[link];
  }

  public long latencyNs(int link) {
    return latencyNs[link];
  }

  public double chunkOverheadNs(int link) {
    return chunkOverheadNs[link];
  }

  /**
   * Bytes the link moved from the start of the run to {@code nowNs} (≥ the last event), for the
   * sampler: read without integrating the flows up to {@code nowNs}, so that sampling (links.csv,
   * summary.json's links block) never splits an interval and moves a result by a rounding.
   */
  public double carriedBytes(int link, long nowNs) {
    double c = carried[link];
    long dt = nowNs - lastAdvanceNs;
    if (dt > 0) {
      double seconds = dt / 1e9;
      for (int i = 0; i < activeCount; i++) {
        int s = active[i];
        for (int l : route[s]) {
          if (l == link) {
            c += Math.min(remaining[s], rate[s] * seconds);
            break;
          }
        }
      }
    }
    return c;
  }

  /** Flows moving bytes now. */
  public int activeFlows() {
    return activeCount;
  }

  /** The flow's current rate, bytes/s (0 for a flow not moving). */
  public double rateBytesPerS(long flow) {
    int s = slotOf(flow);
    return s < 0 || state[s] != MOVING ? 0 : rate[s];
  }

  /** Test-only fault ({@code --fault lose-link-bytes}): one interval's bytes go missing from a link's count. */
  public void loseLinkBytes() {
    loseLinkBytes = true;
  }

  /**
   * Starts a flow of {@code bytes} over {@code route} (link ids; the array is kept, not copied)
   * moving chunks of {@code chunkBytes} (+∞: one stream, no chunk cap); {@code done} is told when it
   * is delivered. Returns the flow's id.
   */
  public long startFlow(int[] path, long size, double chunkBytes, FlowDone callback) {
    if (path.length == 0 || size < 0 || !(chunkBytes > 0)) {
      throw new IllegalArgumentException("a flow needs a route of at least one link, bytes >= 0 (was " + size
          + ") and chunk bytes > 0 (was " + chunkBytes + ")");
    }
    double flowCap = Double.POSITIVE_INFINITY;
    boolean bounded = false;
    for (int l : path) {
      if (l < 0 || l >= links) {
        throw new IllegalArgumentException("no link " + l + " (there are " + links + ")");
      }
      bounded |= capacity[l] != Double.POSITIVE_INFINITY;
      flowCap = Math.min(flowCap, ChunkRate.bytesPerS(capacity[l], chunkOverheadNs[l], chunkBytes));
    }
    if (!bounded && flowCap == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("a flow's route must have a link of finite capacity or a chunk cap");
    }
    advance(engine.now());
    int s = takeSlot();
    long id = (nextSerial++ << SLOT_BITS) | s;
    route[s] = path;
    bytes[s] = size;
    remaining[s] = size;
    rate[s] = 0;
    cap[s] = flowCap;
    flowId[s] = id;
    done[s] = callback;
    state[s] = MOVING;
    deliveryHandle[s] = Engine.NO_HANDLE;
    active[activeCount++] = s;
    startedBytes += size;
    resolve();
    return id;
  }

  /**
   * Takes a flow out before it is delivered: its moved bytes stay on its links' books, the rest is
   * never moved. False for a flow already delivered or cancelled, or an id never given.
   */
  public boolean cancel(long flow) {
    int s = slotOf(flow);
    if (s < 0) {
      return false;
    }
    if (state[s] == DELIVERING) { // its bytes all moved: only its delivery is called off
      engine.cancel(deliveryHandle[s]);
      freeSlot(s);
      return true;
    }
    advance(engine.now());
    removeActive(s);
    cancelledBytes += remaining[s];
    endFlow(s);
    freeSlot(s);
    resolve();
    return true;
  }

  /** The completion event: flows whose last byte moved leave; the rest share again. */
  @Override
  public void onEvent(Engine e, long arg) {
    completionHandle = Engine.NO_HANDLE;
    long now = e.now();
    advance(now);
    int n = 0;
    for (int i = 0; i < activeCount; ) {
      int s = active[i];
      if (remaining[s] < DONE_BYTES) {
        if (n == finished.length) {
          finished = Arrays.copyOf(finished, n * 2);
          finishedIds = Arrays.copyOf(finishedIds, n * 2);
        }
        finished[n++] = s;
        removeActiveAt(i);
      } else {
        i++;
      }
    }
    for (int k = 0; k < n; k++) {
      int s = finished[k];
      for (int l : route[s]) {
        carried[l] += remaining[s]; // the sub-byte residue: the flow moved all its bytes
      }
      remaining[s] = 0;
      endFlow(s);
      state[s] = DELIVERING; // a callback below may cancel it before its turn
      deliveryHandle[s] = Engine.NO_HANDLE;
      finishedIds[k] = flowId[s];
    }
    resolve();
    for (int k = 0; k < n; k++) { // callbacks last: they may start or cancel flows
      int s = slotOf(finishedIds[k]);
      if (s < 0) {
        continue; // cancelled by an earlier callback
      }
      long latency = 0;
      for (int l : route[s]) {
        latency += latencyNs[l];
      }
      if (latency == 0) {
        deliverSlot(s, now);
      } else {
        deliveryHandle[s] = engine.schedule(now + latency, Phase.STATE, COMPLETION_KEY - 1 - (flowId[s] >>> SLOT_BITS
            & (Engine.MAX_KEY >>> 1)), deliver, flowId[s]);
      }
    }
  }

  private void delivered(long flow) {
    int s = slotOf(flow);
    if (s >= 0) {
      deliverSlot(s, engine.now());
    }
  }

  private void deliverSlot(int s, long now) {
    FlowDone callback = done[s];
    long id = flowId[s];
    freeSlot(s);
    callback.flowDone(id, now);
  }

  /** The byte accounts of the conservation law, moved to {@code nowNs}. */
  public Books books(long nowNs) {
    advance(nowNs);
    double[] flowSide = Arrays.copyOf(endedFlowBytes, links);
    double remainingAll = 0;
    for (int i = 0; i < activeCount; i++) {
      int s = active[i];
      double moved = bytes[s] - remaining[s];
      remainingAll += remaining[s];
      for (int l : route[s]) {
        flowSide[l] += moved;
      }
    }
    String[] names = Arrays.copyOf(linkName, links);
    return new Books(names, Arrays.copyOf(carried, links), flowSide, startedBytes, remainingAll, cancelledBytes);
  }

  /**
   * Byte accounts: per link, the bytes integrated interval by interval ({@code linkBytes}) against
   * the bytes of the flows that crossed it, counted per flow ({@code flowBytes}); and the flows'
   * bytes started, still to move and never moved (cancelled).
   */
  public record Books(String[] linkNames, double[] linkBytes, double[] flowBytes, double startedBytes,
      double remainingBytes, double cancelledBytes) {}

  // --- the fluid model

  /** Moves every active flow's bytes on to {@code nowNs} at the current rates. */
  private void advance(long nowNs) {
    long dt = nowNs - lastAdvanceNs;
    if (dt <= 0) {
      return;
    }
    lastAdvanceNs = nowNs;
    double seconds = dt / 1e9;
    for (int i = 0; i < activeCount; i++) {
      int s = active[i];
      double moved = Math.min(remaining[s], rate[s] * seconds);
      remaining[s] -= moved;
      int[] r = route[s];
      for (int k = 0; k < r.length; k++) {
        if (loseLinkBytes && k == 0 && moved > 0) {
          loseLinkBytes = false; // the fault: these bytes never reach the link's count
          continue;
        }
        carried[r[k]] += moved;
      }
    }
  }

  /** Progressive filling, then one completion event for the earliest finish. */
  private void resolve() {
    if (completionHandle != Engine.NO_HANDLE) {
      engine.cancel(completionHandle);
      completionHandle = Engine.NO_HANDLE;
    }
    if (activeCount == 0) {
      return;
    }
    fill();
    long soonest = Long.MAX_VALUE;
    for (int i = 0; i < activeCount; i++) {
      int s = active[i];
      double ns = Math.ceil(remaining[s] / rate[s] * 1e9);
      soonest = Math.min(soonest, Math.max(1, ns >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) ns));
    }
    long now = engine.now();
    completionHandle = engine.schedule(Math.min(Engine.MAX_TIME, now + soonest), Phase.STATE, COMPLETION_KEY, this, 0);
  }

  /**
   * Max-min fair rates: all unfrozen flows rise by the same step, the largest that fills no link
   * past its capacity and lifts no flow past its cap; the flows on a full link, or at their cap,
   * freeze. Each round freezes at least one flow.
   */
  private void fill() {
    for (int l = 0; l < links; l++) {
      residual[l] = capacity[l];
      unfrozenOn[l] = 0;
    }
    for (int i = 0; i < activeCount; i++) {
      int s = active[i];
      rate[s] = 0;
      frozen[s] = false;
      for (int l : route[s]) {
        unfrozenOn[l]++;
      }
    }
    int unfrozen = activeCount;
    while (unfrozen > 0) {
      double step = Double.POSITIVE_INFINITY;
      for (int l = 0; l < links; l++) {
        if (unfrozenOn[l] > 0) {
          step = Math.min(step, residual[l] / unfrozenOn[l]);
        }
      }
      for (int i = 0; i < activeCount; i++) {
        int s = active[i];
        if (!frozen[s]) {
          step = Math.min(step, cap[s] - rate[s]);
        }
      }
      for (int l = 0; l < links; l++) {
        if (unfrozenOn[l] > 0) {
          residual[l] -= step * unfrozenOn[l];
        }
      }
      for (int i = 0; i < activeCount; i++) {
        int s = active[i];
        if (frozen[s]) {
          continue;
        }
        rate[s] += step;
        boolean freeze = rate[s] >= cap[s] * (1 - 1e-12);
        for (int l : route[s]) {
          freeze |= capacity[l] != Double.POSITIVE_INFINITY && residual[l] <= capacity[l] * 1e-12;
        }
        if (freeze) {
          frozen[s] = true;
          unfrozen--;
        }
      }
      recountUnfrozen();
    }
  }

  private void recountUnfrozen() {
    for (int l = 0; l < links; l++) {
      unfrozenOn[l] = 0;
    }
    for (int i = 0; i < activeCount; i++) {
      int s = active[i];
      if (!frozen[s]) {
        for (int l : route[s]) {
          unfrozenOn[l]++;
        }
      }
    }
  }

  // --- bookkeeping

  /** The flow's bytes moved so far join each of its links' flow-side count. */
  private void endFlow(int s) {
    double moved = bytes[s] - remaining[s];
    for (int l : route[s]) {
      endedFlowBytes[l] += moved;
    }
  }

  private int slotOf(long flow) {
    int s = (int) (flow & SLOT_MASK);
    return flow > 0 && s < slotsUsed && flowId[s] == flow && state[s] != FREE ? s : -1;
  }

  private int takeSlot() {
    if (freeCount > 0) {
      return freeSlots[--freeCount];
    }
    if (slotsUsed == state.length) {
      if (slotsUsed > SLOT_MASK) {
        throw new IllegalStateException("more than " + (SLOT_MASK + 1) + " flows at once");
      }
      int n = slotsUsed * 2;
      route = Arrays.copyOf(route, n);
      bytes = Arrays.copyOf(bytes, n);
      remaining = Arrays.copyOf(remaining, n);
      rate = Arrays.copyOf(rate, n);
      cap = Arrays.copyOf(cap, n);
      flowId = Arrays.copyOf(flowId, n);
      deliveryHandle = Arrays.copyOf(deliveryHandle, n);
      done = Arrays.copyOf(done, n);
      state = Arrays.copyOf(state, n);
      frozen = Arrays.copyOf(frozen, n);
      freeSlots = Arrays.copyOf(freeSlots, n);
      active = Arrays.copyOf(active, n);
    }
    return slotsUsed++;
  }

  private void freeSlot(int s) {
    state[s] = FREE;
    done[s] = null;
    route[s] = null;
    freeSlots[freeCount++] = s;
  }

  private void removeActive(int s) {
    for (int i = 0; i < activeCount; i++) {
      if (active[i] == s) {
        removeActiveAt(i);
        return;
      }
    }
  }

  /** Removes keeping the start order (the solver's and the callbacks' order stays deterministic). */
  private void removeActiveAt(int i) {
    System.arraycopy(active, i + 1, active, i, activeCount - i - 1);
    activeCount--;
  }
}
