package dev.tokentherm.serving;

import dev.tokentherm.model.Architecture;
import dev.tokentherm.perf.IterationCost;
import dev.tokentherm.perf.Roofline;
import dev.tokentherm.serving.books.DecodeEnergyLedger;
import dev.tokentherm.serving.books.IdleLedger;

/**
 * A replica's energy books and the charging of its requests from them: each iteration's energy
 * (the delta of the replica's GPU meters over it, split by work) goes to its prompt chunks at once and to its decodes through
 * the {@link DecodeEnergyLedger}, read by a sequence when it leaves a segment of its decode curve
 * or the decodes; idle energy goes through the {@link IdleLedger} to the conversations whose KV
 * the replica holds (resident ones).
 */
final class EnergyBooks {
  private static final double[] NO_UNITS = new double[Architecture.SLOTS];
  private final DecodeEnergyLedger decode = new DecodeEnergyLedger();
  private final IdleLedger idle;
  private final Roofline roofline;
  private final double[] slotRate = new double[Architecture.SLOTS];
  // the iteration being charged: its cost, joules per unit of cost, shared cost per sequence
  private IterationCost cost;
  private double perCost;
  private double sharedPerSeq;

  /** @param meterJ reads the replica's GPUs' meters (energy from time 0 to an instant, J) */
  EnergyBooks(Roofline roofline, java.util.function.LongToDoubleFunction meterJ) {
    this.roofline = roofline;
    this.idle = new IdleLedger(meterJ);
  }

  IdleLedger idleLedger() {
    return idle;
  }

  // --- iterations

  /**
   * The replica starts ({@code false}) or ends ({@code true}) an iteration; returns its GPUs' meter
   * reading at {@code now}, J.
   */
  double setIdle(long now, boolean idleNow) {
    return idle.setIdle(now, idleNow);
  }

  /** An iteration of {@code seqs} sequences whose GPUs' meters read {@code replicaJ} joules over it is to be charged. */
  void iterationEnded(IterationCost cost, double replicaJ, int seqs) {
    this.cost = cost;
    this.sharedPerSeq = cost.sharedCost / seqs;
    this.perCost = replicaJ / cost.totalCost;
  }

  /** A prompt chunk of the iteration: its share goes to its request at once. */
  void chargeChunk(Request r, long chunk, long cachedBefore, boolean samples) {
    r.activeJ += perCost * (sharedPerSeq + roofline.prefillSeqCost(cost, chunk, cachedBefore, samples));
  }

  /** Decode step k of the iteration: its per-sequence constant and per-unit rates enter the ledger. */
  void chargeDecodeStep(long k) {
    for (int s = 0; s < Architecture.SLOTS; s++) {
      slotRate[s] = perCost * cost.perUnitCost[s];
    }
    decode.addIteration(k, perCost * (sharedPerSeq + Roofline.decodeSeqCost(cost, NO_UNITS)), slotRate);
  }

  // --- a decoding sequence's share, read from the ledger's marks

  /** The sequence joins the decodes: the mark of the constant part. */
  void markDecodes(Sequence q) {
    q.markA = decode.sumA();
  }

  /** The sequence starts a segment of slot s's curve: the slot's marks. */
  void markSlot(Sequence q, int s) {
    q.markB[s] = decode.sumB(s);
    q.markBk[s] = decode.sumBk(s);
  }

  /** The sequence leaves the decodes: the constant part since its mark. */
  void chargeDecodes(Sequence q) {
    q.request.activeJ += decode.constantSince(q.markA);
  }

  /** The sequence ends its segment of slot s's curve: the segment's energy. */
  void chargeSlot(Sequence q, int s) {
    q.request.activeJ += decode.slotSince(s, q.segmentStart[s], q.segmentValue[s], q.segmentSlope[s],
        q.markB[s], q.markBk[s]);
  }

  // --- idle energy

  /** Integrates idle energy up to {@code now} (end of run). */
  void advanceIdle(long now) {
    idle.advance(now);
  }

  /** The replica now holds KV of the conversation: it shares the idle energy from now on. */
  void joinResidency(Conversation c, long now) {
    if (!c.resident) {
      c.resident = true;
      c.idleMark = idle.join(now);
    }
  }

  /** The replica holds no more KV of the conversation: its idle share so far is banked. */
  void leaveResidency(Conversation c, long now) {
    if (c.resident) {
      c.resident = false;
      c.idleJ += idle.leave(now, c.idleMark);
    }
  }

  /** The conversation's idle share so far, up to {@code now}. */
  double idleShareJ(Conversation c, long now) {
    return c.idleJ + (c.resident ? idle.shareSince(now, c.idleMark) : 0);
  }
}
