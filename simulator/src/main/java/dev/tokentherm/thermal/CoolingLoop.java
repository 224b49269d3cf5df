package dev.tokentherm.thermal;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * The cooling around the GPUs' dies ({@link RcModel}), stepped once a control interval: what sets
 * each GPU's inlet and its resistance to it.
 *
 * <p><b>Air.</b> A GPU's die → inlet resistance is a die → case part that airflow does not change
 * and a heat sink part that falls with airflow a (a fraction of the node's full airflow):
 *
 * <pre>
 *   R(a) = R_jc + (R_full − R_jc) · a^(−n),   a = s · (working fans / fans)
 * </pre>
 *
 * with R_full the profile's resistance at full fan speed and n the heat sink's airflow exponent
 * (convection ∝ airflow^n). A node's fan speed s comes from its controller ({@link FanCurve}) and
 * its hottest GPU's die temperature at each step; fan power is max_w · (working / fans) · s³ (the fan
 * affinity law), of which the part above min speed is counted here (host_idle_w holds the rest).
 * The rack's inlet is the supply air ({@link SupplyAir}) plus recirculated exhaust: ΔT = k · P_rack,
 * P_rack the rack's power over the last interval (GPUs, hosts, fans). A failed fan takes its share of
 * the airflow at once; the controller answers at its next step.
 *
 * <p><b>Liquid.</b> A cold plate on coolant at a fixed supply temperature: R = R_jc + R_cold_plate,
 * inlet = coolant, nothing changes over the run; fans stay at min speed.
 *
 * <p>Between steps, inlet and R are constant, so the RC model stays exact; a step costs one
 * exponential per GPU. The fans' energy is integrated exactly (power constant between steps).
 */
public final class CoolingLoop {
  /** Below this airflow fraction (every fan failed) a heat sink sees only this much: natural convection and leaks. */
  static final double MIN_AIRFLOW = 0.01;

  /**
   * One node: its rack, its GPUs [firstGpu, firstGpu + gpus), its fan curve (null: no controller,
   * fans at full speed and their power inside host_idle_w), fan count and full-speed power, W, and
   * its power besides the GPUs and the fans above min speed (host_idle_w), W.
   */
  public record Node(int rack, int firstGpu, int gpus, FanCurve curve, int fans, double fanMaxW, double hostW) {}

  /** Each GPU's resistances: at full fan speed, die → case, the heat sink's airflow exponent, die → coolant (liquid). */
  public record Gpu(double fullSpeedCPerW, double junctionToCaseCPerW, double airflowExponent, double liquidCPerW) {}

  private final boolean liquid;
  private final Node[] nodes;
  private final Gpu[] gpus;
  private final int racks;
  private final SupplyAir supply;
  private final double recirculationCPerW;
  private final double coolantC;

  private final int[] workingFans;
  private final double[] speed;
  private final double[] rackInletC;
  private final double[] rackFanAboveIdleW;
  private RcModel rc;
  private long lastNs;
  /** The fans' power above min speed now, W, and their energy above it to {@code lastNs}, J. */
  private double fanW;
  private double fanJ;
  /** Each change of the fans' power: when, the energy to then, the power after (for window reads). */
  private final LongArrayList changeNs = new LongArrayList();
  private final DoubleArrayList changeJ = new DoubleArrayList();
  private final DoubleArrayList changeW = new DoubleArrayList();

  private double inletPeakC = Double.NEGATIVE_INFINITY;
  private double recirculationPeakC;
  private double speedPeak;
  private int fansFailed;

  /**
   * @param liquid cold plates on coolant, else air
   * @param nodes the nodes in order, their GPUs consecutive from 0
   * @param gpus each GPU's resistances
   * @param racks the number of racks the nodes name
   * @param recirculationCPerKw recirculated exhaust, °C at the inlet per kW of the rack (air)
   */
  public CoolingLoop(boolean liquid, Node[] nodes, Gpu[] gpus, int racks, SupplyAir supply, double recirculationCPerKw,
      double coolantC) {
    this.liquid = liquid;
    this.nodes = nodes.clone();
    this.gpus = gpus.clone();
    this.racks = racks;
    this.supply = supply;
    this.recirculationCPerW = recirculationCPerKw / 1000;
    this.coolantC = coolantC;
    this.workingFans = new int[nodes.length];
    this.speed = new double[nodes.length];
    this.rackInletC = new double[racks];
    this.rackFanAboveIdleW = new double[racks];
    for (int n = 0; n < nodes.length; n++) {
      workingFans[n] = nodes[n].fans();
      speed[n] = nodes[n].curve() == null ? 1 : nodes[n].curve().minSpeed();
    }
  }

  /**
   * The thermal model at its steady state before the run, the GPUs drawing {@code initialPowerW}:
   * the fan speeds and inlets at which the controller and the recirculation agree (a fixed point:
   * speed from temperature, temperature from speed, inlet from the rack's power).
   */
  public RcModel start(double[] initialPowerW, double[] capacityJPerC) {
    int n = initialPowerW.length;
    double[] r = new double[n];
    double[] inlet = new double[n];
    if (liquid) {
      for (int g = 0; g < n; g++) {
        r[g] = gpus[g].liquidCPerW();
        inlet[g] = coolantC;
      }
      inletPeakC = coolantC;
    } else {
      double[] rackGpuW = new double[racks];
      for (int k = 0; k < nodes.length; k++) {
        for (int g = nodes[k].firstGpu(), end = g + nodes[k].gpus(); g < end; g++) {
          rackGpuW[nodes[k].rack()] += initialPowerW[g];
        }
      }
      for (int round = 0; round < 30; round++) { // inlet ↔ fan power: a few rounds settle (fans are a small share)
        inlets(0, rackGpuW);
        for (int k = 0; k < nodes.length; k++) {
          speed[k] = steadySpeed(k, initialPowerW);
        }
        fanPowers();
      }
      for (int k = 0; k < nodes.length; k++) {
        for (int g = nodes[k].firstGpu(), end = g + nodes[k].gpus(); g < end; g++) {
          r[g] = airResistance(k, g, speed[k]);
          inlet[g] = rackInletC[nodes[k].rack()];
        }
      }
      for (int k = 0; k < nodes.length; k++) {
        speedPeak = Math.max(speedPeak, speed[k]);
      }
    }
    rc = new RcModel(r, capacityJPerC, inlet, initialPowerW);
    record(0);
    return rc;
  }

  /** The fan speed of node {@code k} at which its controller holds its GPUs' steady temperatures (bisection). */
  private double steadySpeed(int k, double[] powerW) {
    FanCurve curve = nodes[k].curve();
    if (curve == null) {
      return 1;
    }
    double lo = curve.minSpeed();
    double hi = 1;
    if (curve.speedAt(hottestSteadyC(k, powerW, lo)) <= lo) {
      return lo;
    }
    if (curve.speedAt(hottestSteadyC(k, powerW, hi)) >= hi) {
      return hi;
    }
    for (int i = 0; i < 60; i++) { // speedAt(T(s)) − s falls with s: one root
      double mid = 0.5 * (lo + hi);
      if (curve.speedAt(hottestSteadyC(k, powerW, mid)) > mid) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  private double hottestSteadyC(int k, double[] powerW, double s) {
    double hottest = Double.NEGATIVE_INFINITY;
    double inlet = rackInletC[nodes[k].rack()];
    for (int g = nodes[k].firstGpu(), end = g + nodes[k].gpus(); g < end; g++) {
      hottest = Math.max(hottest, inlet + powerW[g] * airResistance(k, g, s));
    }
    return hottest;
  }

  /**
   * One step at {@code nowNs}: each rack's inlet from the supply air and its power over the last
   * interval ({@code rackGpuW}: its GPUs' mean power, W), each node's fan speed from its hottest
   * GPU now, and the GPUs' new inlet and resistance from here on.
   */
  public void step(long nowNs, double[] rackGpuW) {
    if (liquid) {
      return;
    }
    inlets(nowNs, rackGpuW);
    for (int k = 0; k < nodes.length; k++) {
      Node node = nodes[k];
      if (node.curve() != null) {
        double hottest = Double.NEGATIVE_INFINITY;
        for (int g = node.firstGpu(), end = g + node.gpus(); g < end; g++) {
          hottest = Math.max(hottest, rc.tempC(g, nowNs));
        }
        speed[k] = node.curve().speedAt(hottest);
        speedPeak = Math.max(speedPeak, speed[k]);
      }
      apply(k, nowNs);
    }
    fanEnergyTo(nowNs);
    fanPowers();
    record(nowNs);
  }

  /** {@code fans} of node {@code k} stop at {@code nowNs}: its airflow falls by their share at once. */
  public void failFans(int k, int fans, long nowNs) {
    if (liquid) {
      return;
    }
    int lost = Math.min(fans, workingFans[k]);
    workingFans[k] -= lost;
    fansFailed += lost;
    apply(k, nowNs);
    fanEnergyTo(nowNs);
    fanPowers();
    record(nowNs);
  }

  /** Every rack's inlet: supply air + k · (GPUs + hosts + fans above min speed). */
  private void inlets(long nowNs, double[] rackGpuW) {
    double air = supply.at(nowNs * 1e-9);
    for (int r = 0; r < racks; r++) {
      rackInletC[r] = air;
    }
    for (Node node : nodes) {
      rackInletC[node.rack()] += recirculationCPerW * node.hostW();
    }
    for (int r = 0; r < racks; r++) {
      double recirculation = recirculationCPerW * (rackGpuW[r] + rackFanAboveIdleW[r]);
      rackInletC[r] += recirculation;
      recirculationPeakC = Math.max(recirculationPeakC, rackInletC[r] - air);
      inletPeakC = Math.max(inletPeakC, rackInletC[r]);
    }
  }

  private void apply(int k, long nowNs) {
    Node node = nodes[k];
    double inlet = rackInletC[node.rack()];
    for (int g = node.firstGpu(), end = g + node.gpus(); g < end; g++) {
      rc.conditions(g, nowNs, inlet, airResistance(k, g, speed[k]));
    }
  }

  /** R(a) = R_jc + (R_full − R_jc) · a^(−n) at node {@code k}'s speed {@code s} and working fans. */
  private double airResistance(int k, int g, double s) {
    Gpu gpu = gpus[g];
    Node node = nodes[k];
    double airflow = Math.max(MIN_AIRFLOW, s * workingFans[k] / node.fans());
    if (airflow == 1) {
      return gpu.fullSpeedCPerW();
    }
    double sink = gpu.fullSpeedCPerW() - gpu.junctionToCaseCPerW();
    return gpu.junctionToCaseCPerW() + sink * StrictMath.pow(airflow, -gpu.airflowExponent());
  }

  /** The fans' power above min speed, per rack and in all, W. */
  private void fanPowers() {
    java.util.Arrays.fill(rackFanAboveIdleW, 0);
    double sum = 0;
    for (int k = 0; k < nodes.length; k++) {
      Node node = nodes[k];
      if (node.curve() == null) {
        continue;
      }
      double w = FanCurve.powerAboveMinW(node.fanMaxW(), node.curve().minSpeed(),
          (double) workingFans[k] / node.fans(), speed[k]);
      rackFanAboveIdleW[node.rack()] += w;
      sum += w;
    }
    fanW = sum;
  }

  private void fanEnergyTo(long nowNs) {
    fanJ += fanW * (nowNs - lastNs) * 1e-9;
    lastNs = nowNs;
  }

  private void record(long nowNs) {
    changeNs.add(nowNs);
    changeJ.add(fanJ);
    changeW.add(fanW);
  }

  /** The fans' energy above min speed from time 0 to {@code atNs} (any time, past ones too), J. */
  public double fanEnergyJ(long atNs) {
    int lo = 0;
    int hi = changeNs.size() - 1;
    if (hi < 0 || atNs <= changeNs.getLong(0)) {
      return 0;
    }
    while (lo < hi) { // the last change at or before atNs
      int mid = (lo + hi + 1) >>> 1;
      if (changeNs.getLong(mid) <= atNs) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return changeJ.getDouble(lo) + changeW.getDouble(lo) * (atNs - changeNs.getLong(lo)) * 1e-9;
  }

  /** The thermal model it drives (null before {@link #start}). */
  public RcModel rc() {
    return rc;
  }

  /** Node {@code k}'s fan speed now, a fraction of full speed. */
  public double fanSpeed(int k) {
    return speed[k];
  }

  /** The highest rack inlet so far, °C. */
  public double inletPeakC() {
    return inletPeakC;
  }

  /** The most the recirculation added to a rack's inlet so far, °C. */
  public double recirculationPeakC() {
    return recirculationPeakC;
  }

  /** The highest fan speed of any node so far, a fraction of full speed. */
  public double fanSpeedPeak() {
    return speedPeak;
  }

  /** Fans that failed so far. */
  public int fansFailed() {
    return fansFailed;
  }

  public boolean liquid() {
    return liquid;
  }

  public int nodes() {
    return nodes.length;
  }
}
