package dev.tokentherm.thermal;

/**
 * A node's fan controller (a BMC fan curve): the speed, a fraction of full speed, from the
 * hottest GPU's die temperature T: min_speed up to {@code rampStartC}, rising linearly to 1 at
 * {@code fullSpeedC}, 1 above. The curve reaches full speed below the GPU's slowdown threshold, so
 * fans rise before clocks drop.
 */
public record FanCurve(double minSpeed, double rampStartC, double fullSpeedC) {
  public FanCurve {
    if (!(minSpeed > 0 && minSpeed <= 1) || !(fullSpeedC > rampStartC)) {
      throw new IllegalArgumentException("fan curve: min speed " + minSpeed + ", ramp " + rampStartC + "-" + fullSpeedC + " °C");
    }
  }

  /** Fans at full speed whatever the temperature (a node without a fan controller). */
  public static final FanCurve FULL = new FanCurve(1, 0, 1);

  /** The speed at a hottest-GPU temperature of {@code tempC}, in [min_speed, 1]. */
  public double speedAt(double tempC) {
    double s = minSpeed + (1 - minSpeed) * (tempC - rampStartC) / (fullSpeedC - rampStartC);
    return Math.min(1, Math.max(minSpeed, s));
  }

  /**
   * The fans' power above what they draw at min speed with every fan working (the share host_idle_w
   * holds), W: max_w × (working share × s³ − min_speed³), the fan affinity law. Full speed with every
   * fan working is the most it can be (a rack budget's reserve).
   */
  public static double powerAboveMinW(double maxW, double minSpeed, double workingShare, double speed) {
    return maxW * (workingShare * speed * speed * speed - minSpeed * minSpeed * minSpeed);
  }
}
