package dev.tokentherm.serving.books;

import dev.tokentherm.power.GpuMeters;

/**
 * Splits a replica's idle energy (its GPUs' energy while no iteration runs) equally, instant by
 * instant, among the conversations whose KV it holds: a running sum of "idle joules per resident
 * conversation" that a conversation reads when it becomes resident and when it stops being so.
 * Idle energy with no resident conversation is unattributed.
 */
public final class IdleLedger {
  private final double idlePowerW;
  private long lastNs;
  private boolean idle = true;
  private int residents;
  private double perResidentJ;
  private double attributedJ;
  private double unattributedJ;

  /** @param idlePowerW the whole replica's power while idle (GPUs × active-idle watts) */
  public IdleLedger(double idlePowerW) {
    this.idlePowerW = idlePowerW;
  }

  /** Integrates the idle energy up to {@code nowNs}. */
  public void advance(long nowNs) {
    if (idle && nowNs > lastNs) {
      double e = GpuMeters.joules(idlePowerW, nowNs - lastNs);
      if (residents > 0) {
        perResidentJ += e / residents;
        attributedJ += e;
      } else {
        unattributedJ += e;
      }
    }
    lastNs = nowNs;
  }

  public void setIdle(long nowNs, boolean idleNow) {
    advance(nowNs);
    idle = idleNow;
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
