package dev.tokentherm.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** A GPU device's meter, the power change log beside it and the 1 s peak bins, worked by hand. */
class GpuDeviceTest {
  @Test
  void constantPowerForTNanosecondsIsPTimesT() {
    // 500 W for 2 s = 1,000 J; 350 W for 1,234,567,891 ns = 432.09876185 J
    GpuDevices d = new GpuDevices(new double[] {75, 75});
    d.device(0).draw(0, 500);
    assertThat(d.device(0).energyJ(2_000_000_000L)).isEqualTo(1000.0);
    assertThat(d.log().energyJ(0, 2_000_000_000L)).isCloseTo(1000.0, within(1e-12));
    d.device(1).draw(0, 350);
    d.device(1).draw(1_234_567_891L, 75);
    assertThat(d.device(1).energyJ(1_234_567_891L)).isCloseTo(432.09876185, within(1e-12));
    assertThat(d.log().energyJ(1, 1_234_567_891L)).isCloseTo(432.09876185, within(1e-12));
  }

  @Test
  void theMeterAndTheChangeLogAgreeOverManyChanges() {
    // a million alternating changes of 1 µs to 1 ms: two integrators written apart agree to 1e-12
    GpuDevices d = new GpuDevices(new double[] {120});
    long t = 0;
    for (int i = 0; i < 1_000_000; i++) {
      t += 1_000 + (i * 7919L) % 999_000;
      d.device(0).draw(t, i % 2 == 0 ? 613.37 : 120);
    }
    double meter = d.device(0).energyJ(t);
    assertThat(d.log().energyJ(0, t) / meter).isCloseTo(1.0, within(1e-12));
    assertThat(d.log().changes()).isEqualTo(1_000_000);
  }

  @Test
  void aSkippedMeterChangeReachesTheLogOnly() {
    // the fault hook: 600 W from 0 s never reaches the meter, which stays at 100 W until 1 s
    GpuDevices d = new GpuDevices(new double[] {100});
    d.device(0).skipNextMeterChange();
    d.device(0).draw(0, 600);
    d.device(0).draw(1_000_000_000L, 100);
    assertThat(d.device(0).energyJ(2_000_000_000L)).isCloseTo(200.0, within(1e-12));
    assertThat(d.log().energyJ(0, 2_000_000_000L)).isCloseTo(700.0, within(1e-12));
  }

  @Test
  void thePeakIsTheHighestAlignedSecondsAverage() {
    // 100 W, 700 W over [0.5, 1.25) s, 100 W, 300 W from 3.5 s:
    //   [0, 1): 0.5 · 100 + 0.5 · 700 = 400 W; [1, 2): 0.25 · 700 + 0.75 · 100 = 250 W;
    //   [2, 3): 100 W; [3, 4): 0.5 · 100 + 0.5 · 300 = 200 W: peak 400 W at 4 s
    SecondPeaks p = new SecondPeaks(new double[] {100});
    p.changed(0, 500_000_000L, 700);
    p.changed(0, 1_250_000_000L, 100);
    p.changed(0, 3_500_000_000L, 300);
    assertThat(p.peakW(0, 4_000_000_000L)).isCloseTo(400.0, within(1e-9));
    // then 650 W from 4 s to 10.2 s: the whole bins [4, 10) average 650 W, skipped in O(1)
    p.changed(0, 4_000_000_000L, 650);
    p.changed(0, 10_200_000_000L, 100);
    assertThat(p.peakW(0, 10_500_000_000L)).isCloseTo(650.0, within(1e-9));
  }

  @Test
  void aRunShorterThanASecondAveragesOverWhatItCovers() {
    // 200 W for 0.1 s then 400 W for 0.1 s: 300 W over the 0.2 s the run covers
    SecondPeaks p = new SecondPeaks(new double[] {200});
    p.changed(0, 100_000_000L, 400);
    assertThat(p.peakW(0, 200_000_000L)).isCloseTo(300.0, within(1e-9));
  }

  @Test
  void aPowerChangeAlsoMovesTheGpusTemperature() {
    // H100 RC (0.058 °C/W, 1034 J/°C, RC = 59.972 s), 24 °C inlet, 120 W before: 24 + 6.96 = 30.96 °C;
    // GPU 0 draws 600 W from 0 s: at 60 s, 58.8 − (58.8 − 30.96) · e^(−60 / 59.972) = 58.8 − 27.84 · 0.367708
    // = 48.563 °C; GPU 1 never changes and stays at 30.96 °C
    dev.tokentherm.thermal.RcModel rc = dev.tokentherm.thermal.RcModel.uniform(2, 0.058, 1034, 24, 120);
    GpuDevices d = new GpuDevices(new double[] {120, 120}, rc);
    d.device(0).draw(0, 600);
    assertThat(d.thermal().tempC(0, 60_000_000_000L)).isCloseTo(48.563, within(0.01));
    assertThat(d.thermal().tempC(1, 60_000_000_000L)).isCloseTo(30.96, within(1e-12));
  }

  @Test
  void oneIterationOf300MsInASecondIsAUtilisationOf0_3() {
    // an iteration over [0.2, 0.5) s: 0.3 s busy of the sample period [0, 1) s
    GpuDevices d = new GpuDevices(new double[] {120});
    GpuDevice g = d.device(0);
    g.busy(200_000_000L, 500_000_000L, 1);
    assertThat((g.busyNs(1_000_000_000L) - g.busyNs(0)) / 1e9).isEqualTo(0.3);
    // one across the sample instant, [1.8, 2.3) s: 0.2 s in [1, 2) s, 0.3 s in [2, 3) s, exactly
    g.busy(1_800_000_000L, 2_300_000_000L, 1);
    assertThat(g.busyNs(2_000_000_000L) - g.busyNs(1_000_000_000L)).isEqualTo(200_000_000.0);
    assertThat(g.busyNs(3_000_000_000L) - g.busyNs(2_000_000_000L)).isEqualTo(300_000_000.0);
    // a pipeline stage busy for 0.4 of a 1 s iteration over [3, 4) s: 0.4
    g.busy(3_000_000_000L, 4_000_000_000L, 0.4);
    assertThat((g.busyNs(4_000_000_000L) - g.busyNs(3_000_000_000L)) / 1e9).isCloseTo(0.4, within(1e-15));
  }

  @Test
  void theSampledBusyTimeAddsUpToTheIterationsTime() {
    // 100,000 iterations of 1 µs to 10 ms with gaps, sampled every 7 ms (instants inside iterations
    // too): the differences between samples add up to Σ iteration time, to the nanosecond
    GpuDevices d = new GpuDevices(new double[] {120});
    GpuDevice g = d.device(0);
    long t = 0;
    long sum = 0;
    long nextSample = 7_000_000L;
    double sampled = 0;
    double last = 0;
    for (int i = 0; i < 100_000; i++) {
      long length = 1_000 + (i * 7919L) % 9_999_000;
      g.busy(t, t + length, 1);
      sum += length;
      t += length + (i % 3) * 1_234_567L;
      while (nextSample <= t) {
        double now = g.busyNs(nextSample);
        sampled += now - last;
        last = now;
        nextSample += 7_000_000L;
      }
    }
    sampled += g.busyNs(t) - last;
    assertThat(sampled).isEqualTo((double) sum);
  }
}
