package dev.tokentherm.thermal;

/**
 * Each GPU's die temperature as a one-node lumped RC to its inlet air, C·dT/dt = P − (T − T_in)/R,
 * solved exactly between changes: over a stretch of constant power P and inlet T_in,
 *
 * <pre>
 *   T(t) = T_ss + (T0 − T_ss) · e^(−t / (R·C)),   T_ss = T_in + P · R
 * </pre>
 *
 * from the temperature T0 at the stretch's start ({@link #decay}: IEEE arithmetic or {@code
 * StrictMath.exp}, so the same on every
 * machine). A change of power (or inlet) closes the stretch: the state advances to the instant at
 * the old values, then takes the new ones. Primitives in arrays per GPU; a change costs one
 * exponential and no allocation.
 *
 * <p>The peak is exact without sampling: within a stretch T moves monotonically from T0 towards
 * T_ss (T − T_ss keeps its sign and shrinks), so its highest value over the stretch is at one of
 * its two ends. The highest temperature so far is therefore the largest of the temperatures at the
 * changes, the starting one and the current one ({@link #peakC(int, long)}).
 *
 * <p>Each GPU starts at the steady state of its initial power (it has been drawing it for long
 * before the run): T_in + P0 · R. The inlet and R change in steps (supply air, recirculation, fan
 * speed: {@link CoolingLoop}), each closing a stretch like a change of power. Knows nothing of what drives the power: the power package tells
 * it of every change ({@code power.GpuDevice.draw}); the clock governor reads it back at each
 * iteration start (thermal slowdown, {@code power.ClockGovernor}).
 */
public final class RcModel {
  /** Thermal resistance die → inlet air, °C/W. */
  private final double[] resistanceCPerW;
  private final double[] capacityJPerC;
  /** −1 / (R·C) per nanosecond, so that e^(−t/RC) = exp(Δns · rate). */
  private final double[] ratePerNs;
  private final double[] inletC;
  private final double[] powerW;
  /** Temperature at {@code lastNs}, °C. */
  private final double[] tempC;
  private final long[] lastNs;
  /** Highest temperature at any change so far (the ends of every closed stretch), °C. */
  private final double[] peakC;

  /**
   * @param resistanceCPerW each GPU's R, °C/W (positive)
   * @param capacityJPerC each GPU's C, J/°C (positive)
   * @param inletC each GPU's inlet air temperature, °C
   * @param initialPowerW each GPU's power before anything runs, W
   */
  public RcModel(double[] resistanceCPerW, double[] capacityJPerC, double[] inletC, double[] initialPowerW) {
    int n = initialPowerW.length;
    if (resistanceCPerW.length != n || capacityJPerC.length != n || inletC.length != n) {
      throw new IllegalArgumentException("one R, C and inlet per GPU: " + resistanceCPerW.length + ", "
          + capacityJPerC.length + ", " + inletC.length + " for " + n + " GPUs");
    }
    this.resistanceCPerW = resistanceCPerW.clone();
    this.capacityJPerC = capacityJPerC.clone();
    this.ratePerNs = new double[n];
    this.inletC = inletC.clone();
    this.powerW = initialPowerW.clone();
    this.tempC = new double[n];
    this.lastNs = new long[n];
    this.peakC = new double[n];
    for (int g = 0; g < n; g++) {
      double r = resistanceCPerW[g];
      double c = capacityJPerC[g];
      if (!(r > 0) || !(c > 0)) {
        throw new IllegalArgumentException("GPU " + g + ": R " + r + " °C/W and C " + c + " J/°C must be positive");
      }
      ratePerNs[g] = -1e-9 / (r * c);
      tempC[g] = inletC[g] + initialPowerW[g] * r;
      peakC[g] = tempC[g];
    }
  }

  /** Every GPU with the same R, C, inlet and initial power (tests, a uniform cluster). */
  public static RcModel uniform(int gpus, double resistanceCPerW, double capacityJPerC, double inletC,
      double initialPowerW) {
    double[] r = new double[gpus];
    double[] c = new double[gpus];
    double[] in = new double[gpus];
    double[] p = new double[gpus];
    java.util.Arrays.fill(r, resistanceCPerW);
    java.util.Arrays.fill(c, capacityJPerC);
    java.util.Arrays.fill(in, inletC);
    java.util.Arrays.fill(p, initialPowerW);
    return new RcModel(r, c, in, p);
  }

  public int gpus() {
    return powerW.length;
  }

  /** GPU {@code gpu} draws {@code watts} from {@code nowNs} on (≥ its last change). */
  public void power(int gpu, long nowNs, double watts) {
    advance(gpu, nowNs);
    powerW[gpu] = watts;
  }

  /**
   * GPU {@code gpu}'s resistance to its inlet is {@code cPerW} from {@code nowNs} on (≥ its last
   * change): the door for airflow that changes with fan speed ({@link CoolingLoop}).
   */
  public void resistance(int gpu, long nowNs, double cPerW) {
    if (!(cPerW > 0)) {
      throw new IllegalArgumentException("GPU " + gpu + ": R " + cPerW + " °C/W must be positive");
    }
    advance(gpu, nowNs);
    resistanceCPerW[gpu] = cPerW;
    ratePerNs[gpu] = -1e-9 / (cPerW * capacityJPerC[gpu]);
  }

  /** Both the inlet and the resistance change at {@code nowNs} (one step of the cooling loop). */
  public void conditions(int gpu, long nowNs, double inletC, double cPerW) {
    if (inletC == this.inletC[gpu] && cPerW == resistanceCPerW[gpu]) {
      return; // nothing changes: the stretch goes on
    }
    resistance(gpu, nowNs, cPerW);
    this.inletC[gpu] = inletC;
  }

  /** The die temperature at {@code nowNs} (≥ its last change; earlier reads as at the last change), °C. */
  public double tempC(int gpu, long nowNs) {
    long dt = nowNs - lastNs[gpu];
    if (dt <= 0) {
      return tempC[gpu];
    }
    double ss = inletC[gpu] + powerW[gpu] * resistanceCPerW[gpu];
    return ss + (tempC[gpu] - ss) * decay(dt * ratePerNs[gpu]);
  }

  /** The highest die temperature from time 0 to {@code nowNs} (≥ its last change), °C. */
  public double peakC(int gpu, long nowNs) {
    return Math.max(peakC[gpu], tempC(gpu, nowNs));
  }

  /** The steady state the GPU heads for at its present power and inlet, T_in + P·R, °C. */
  public double steadyStateC(int gpu) {
    return inletC[gpu] + powerW[gpu] * resistanceCPerW[gpu];
  }

  /**
   * An upper bound of the die temperature from the last change on, °C: the larger of the
   * temperature at the change and the steady state it heads for (T moves monotonically between
   * them). No exponential: a cheap test before {@link #tempC}.
   */
  public double upperBoundC(int gpu) {
    return Math.max(tempC[gpu], inletC[gpu] + powerW[gpu] * resistanceCPerW[gpu]);
  }

  /** GPU {@code gpu}'s inlet air temperature now, °C. */
  public double inletC(int gpu) {
    return inletC[gpu];
  }

  /** GPU {@code gpu}'s thermal resistance die → inlet air, °C/W. */
  public double resistanceCPerW(int gpu) {
    return resistanceCPerW[gpu];
  }

  /**
   * e^x for x ≤ 0. Most stretches are an iteration long, milliseconds against a time constant of a
   * minute, so |x| is tiny; there a degree-6 Taylor polynomial (Horner) is exact to within an ulp —
   * its remainder, |x|⁷/7! < 3.4e−17 for |x| < 1/64, is below half an ulp of 1 — and several times
   * cheaper than {@code StrictMath.exp}. Both are plain IEEE arithmetic: the same on every machine.
   */
  static double decay(double x) {
    if (x > -0.015625) {
      return 1 + x * (1 + x * (0.5 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120 + x * (1.0 / 720))))));
    }
    return StrictMath.exp(x);
  }

  /** The stretch since the last change ends at {@code nowNs}: the state moves to it. */
  private void advance(int gpu, long nowNs) {
    if (nowNs > lastNs[gpu]) {
      double t = tempC(gpu, nowNs);
      tempC[gpu] = t;
      lastNs[gpu] = nowNs;
      if (t > peakC[gpu]) {
        peakC[gpu] = t;
      }
    }
  }
}
