package dev.tokentherm.thermal;

/** Supply air temperature over simulated time: linear between points, flat before the first and after the last. */
public final class SupplyAir {
  private final double[] atS;
  private final double[] celsius;

  /** @param atS increasing times, s; @param celsius the temperature at each, °C */
  public SupplyAir(double[] atS, double[] celsius) {
    if (atS.length == 0 || atS.length != celsius.length) {
      throw new IllegalArgumentException(atS.length + " times for " + celsius.length + " temperatures");
    }
    for (int i = 1; i < atS.length; i++) {
      if (!(atS[i] > atS[i - 1])) {
        throw new IllegalArgumentException("times must increase: " + atS[i - 1] + " then " + atS[i]);
      }
    }
    this.atS = atS.clone();
    this.celsius = celsius.clone();
  }

  public static SupplyAir constant(double celsius) {
    return new SupplyAir(new double[] {0}, new double[] {celsius});
  }

  /** The supply air temperature at {@code seconds}, °C. */
  public double at(double seconds) {
    int n = atS.length;
    if (seconds <= atS[0]) {
      return celsius[0];
    }
    if (seconds >= atS[n - 1]) {
      return celsius[n - 1];
    }
    int i = 1;
    while (atS[i] < seconds) {
      i++;
    }
    double f = (seconds - atS[i - 1]) / (atS[i] - atS[i - 1]);
    return celsius[i - 1] + f * (celsius[i] - celsius[i - 1]);
  }
}
