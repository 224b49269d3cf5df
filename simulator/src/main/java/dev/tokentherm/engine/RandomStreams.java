package dev.tokentherm.engine;
public final class RandomStreams { private RandomStreams() {}
  public static SplitMix64 stream(long seed, int family, long index) { SplitMix64 m = new SplitMix64(seed); long a = m.nextLong() ^ (family * 0x9E3779B97F4A7C15L); SplitMix64 m2 = new SplitMix64(a); long b = m2.nextLong() ^ index; return new SplitMix64(new SplitMix64(b).nextLong()); } }
