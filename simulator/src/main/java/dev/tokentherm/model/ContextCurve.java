package dev.tokentherm.model;

/**
 * How many cached tokens a sequence at context n attends to (or holds): n, min(n, cap), or the
 * sawtooth of compressive memory (n below two segments; then memory slots + one segment + the
 * tokens since the last fold). Piecewise linear with slope 0 or 1, so a batch's sum can be kept
 * in aggregate and updated only when a sequence crosses a breakpoint.
 */
public final class ContextCurve {
  private final long cap;
  private final long segment;
  private final long memorySlots;

  private ContextCurve(long cap, long segment, long memorySlots) {
    this.cap = cap;
    this.segment = segment;
    this.memorySlots = memorySlots;
  }

  /** g(n) = n. */
  public static final ContextCurve LINEAR = new ContextCurve(Long.MAX_VALUE, 0, 0);

  /** g(n) = min(n, cap). */
  public static ContextCurve capped(long cap) {
    return new ContextCurve(cap, 0, 0);
  }

  /** g(n) = n for n < 2S, else m + S + (n mod S): a fold every S tokens after the first 2S. */
  public static ContextCurve sawtooth(long segment, long memorySlots) {
    return new ContextCurve(Long.MAX_VALUE, segment, memorySlots);
  }

  public long value(long n) {
    if (segment > 0) {
      return n < 2 * segment ? n : memorySlots + segment + n % segment;
    }
    return Math.min(n, cap);
  }

  /** 1 while g rises with n, 0 where it is flat. */
  public int slope(long n) {
    if (segment > 0) {
      return 1;
    }
    return n < cap ? 1 : 0;
  }

  /** The smallest n' > n at which the slope changes or g jumps (a fold); Long.MAX_VALUE if none. */
  public long nextBreak(long n) {
    if (segment > 0) {
      long next = (n / segment + 1) * segment;
      return Math.max(next, 2 * segment);
    }
    return n < cap ? cap : Long.MAX_VALUE;
  }

  /**
   * Attention pairs of a prefill chunk of c tokens after n cached: ∫₀^c g(n + x) dx, which for
   * g = n is docs/DOMAIN.md's c·(n + c/2).
   */
  public double prefillPairs(long c, long n) {
    if (segment > 0) {
      double sum = 0;
      long pos = n;
      long remaining = c;
      while (remaining > 0) { // rising segments between folds
        long len = Math.min(remaining, nextBreak(pos) - pos);
        sum += len * (double) value(pos) + len * (double) len / 2.0;
        remaining -= len;
        pos += len;
      }
      return sum;
    }
    if (n + c <= cap) {
      return c * (n + c / 2.0);
    }
    if (n >= cap) {
      return c * (double) cap;
    }
    long rising = cap - n;
    return rising * (n + rising / 2.0) + (c - rising) * (double) cap;
  }

  /** Compressive memory folds S tokens every S tokens past 2S: folds when growing from n to n + c. */
  public long foldsBetween(long n, long nPlusC) {
    if (segment == 0) {
      return 0;
    }
    return foldCount(nPlusC) - foldCount(n);
  }

  private long foldCount(long n) {
    return n < 2 * segment ? 0 : n / segment - 1;
  }

  /** Largest g over [n0, n1] (monotone curves: g(n1); a sawtooth peaks just before a fold). */
  public long maxOver(long n0, long n1) {
    if (segment > 0 && n1 >= 2 * segment) {
      long lastBreak = (n1 / segment) * segment;
      return lastBreak > n0 ? Math.max(value(n1), memorySlots + 2 * segment - 1) : value(n1);
    }
    return value(n1);
  }

  public long segment() {
    return segment;
  }

  public boolean isLinear() {
    return segment == 0 && cap == Long.MAX_VALUE;
  }
}
