package dev.tokentherm.engine;
public final class Durations { private Durations() {}
  public static long toNanos(double s) { if (!(s >= 0) || Double.isInfinite(s)) throw new IllegalArgumentException("bad duration " + s); if (s == 0) return 0; long n = Math.round(s * 1e9); return Math.max(1, n); }
  public static double toSeconds(long ns) { return ns * 1e-9; } }
