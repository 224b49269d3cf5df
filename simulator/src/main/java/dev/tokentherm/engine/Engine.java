package dev.tokentherm.engine;
import java.util.PriorityQueue;
/** TEMPORARY stub: replaced by the real engine. */
public final class Engine {
  private record Ev(long t, int phase, long key, long seq, EventHandler h, long arg, long handle) {}
  private final PriorityQueue<Ev> q = new PriorityQueue<>((a, b) -> a.t != b.t ? Long.compare(a.t, b.t) : a.phase != b.phase ? Integer.compare(a.phase, b.phase) : a.key != b.key ? Long.compare(a.key, b.key) : Long.compare(a.seq, b.seq));
  private final java.util.HashSet<Long> cancelled = new java.util.HashSet<>();
  private long now, seq, events; private boolean stopped;
  public Engine() {}
  public Engine(long shuffleSeed) {}
  public long now() { return now; }
  public long schedule(long t, int phase, long key, EventHandler h, long arg) { if (t < now) throw new IllegalStateException("past"); long id = ++seq; q.add(new Ev(t, phase, key, id, h, arg, id)); return id; }
  public long scheduleAfter(long d, int phase, long key, EventHandler h, long arg) { return schedule(now + d, phase, key, h, arg); }
  public boolean cancel(long handle) { return cancelled.add(handle); }
  public void run() { runWhile(() -> true); }
  public void runUntil(long t) { stopped = false; while (!stopped && !q.isEmpty() && q.peek().t <= t) step(); if (!stopped) now = Math.max(now, t); }
  public void runWhile(java.util.function.BooleanSupplier c) { stopped = false; while (!stopped && !q.isEmpty() && c.getAsBoolean()) step(); }
  private void step() { Ev e = q.poll(); if (cancelled.remove(e.handle)) return; now = e.t; events++; e.h.onEvent(this, e.arg); }
  public void stop() { stopped = true; }
  public long eventsProcessed() { return events; }
  public int pending() { return q.size(); }
}
