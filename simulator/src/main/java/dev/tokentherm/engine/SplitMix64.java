package dev.tokentherm.engine;
public final class SplitMix64 { private long s; public SplitMix64(long seed) { s = seed; }
  public long nextLong() { long z = (s += 0x9E3779B97F4A7C15L); z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L; z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL; return z ^ (z >>> 31); }
  public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }
  public double nextDoubleOpen() { double d; do { d = nextDouble(); } while (d == 0); return d; }
  public double nextGaussian() { double u1 = nextDoubleOpen(), u2 = nextDouble(); return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2); } }
