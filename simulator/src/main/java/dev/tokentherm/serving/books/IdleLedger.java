package dev.tokentherm.serving.books;

import java.util.function.LongToDoubleFunction;

/**
 * Splits a replica's idle energy (its GPUs' energy while no iteration runs, the delta of their
 * meters) equally, instant by instant, among the conversations whose KV it holds: a running sum of
 * "idle joules per resident conversation" that a conversation reads when it becomes resident and
 * when it stops being so. Idle energy with no resident conversation is unattributed.
 */
public final class IdleLedger {
  /** The replica's GPUs' meter reading at an instant, J. */
  private final LongToDoubleFunction meterJ;
  private long lastNs;
  /** The meter reading at {@code lastNs}. */
  private double lastJ;
  private boolean idle = true;
  private int residents;
  private double perResidentJ;
  private double attributedJ;
  private double unattributedJ;

  /** @param meterJ reads the replica's GPUs' meters (energy from time 0 to an instant, J) */
  public IdleLedger(LongToDoubleFunction meterJ) {
    this.meterJ = meterJ;
  }

  /** Takes the idle energy up to {@code nowNs} from the meters (what they read since the last advance). */
  public void advance(long nowNs) {
    if (nowNs == lastNs) {
      return;
    }
    double j = meterJ.applyAsDouble(nowNs);
    if (idle) {
      double e = j - lastJ;
      if (residents > 0) {
        perResidentJ += e / residents;
        attributedJ += e;
      } else {
        unattributedJ += e;
      }
    }
    lastNs = nowNs;
    lastJ = j;
  }

  /** The replica becomes idle or busy at {@code nowNs}; returns its GPUs' meter reading then, J. */
  public double setIdle(long nowNs, boolean idleNow) {
    advance(nowNs);
    idle = idleNow;
    return lastJ;
  }

  /** A conversation becomes resident; returns the mark to subtract when it leaves. */
  public double join(long nowNs) {
    advance(nowNs);
    residents++;
    return perResidentJ;
  }

  /** A conversation stops being resident; returns its idle share since {@code mark}. */
  public double leave(long nowNs, double mark) {
    advance(nowNs);
    residents--;
    return perResidentJ - mark;
  }

  /** Idle share since {@code mark} of a conversation still resident, up to {@code nowNs}. */
  public double shareSince(long nowNs, double mark) {
    advance(nowNs);
    return perResidentJ - mark;
  }

  public int residents() {
    return residents;
  }

  public double attributedJ() {
    return attributedJ;
  }

  public double unattributedJ() {
    return unattributedJ;
  }
}
