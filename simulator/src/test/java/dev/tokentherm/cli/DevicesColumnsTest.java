package dev.tokentherm.cli;

import static dev.tokentherm.cli.TinyScenario.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * devices.csv's appended columns (temp_c, clock_mhz, throttle_reason, utilization_frac) as a run
 * writes them: a deployment locked at 1,500 MHz reports that clock and the reason `locked` on every
 * GPU that has run an iteration; GPUs no deployment uses report no clock and no reason. The
 * utilisation, read apart from the meters, agrees with them: a GPU of a replica idle over a whole
 * interval (utilisation 0) drew exactly its active idle, and one that drew more ran a kernel.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class DevicesColumnsTest {
  @TempDir
  Path tmp;

  @Test
  void lockedClockAndItsReasonPerGpu() throws Exception {
    Path file = write(tmp, "tiny.yaml", TinyScenario.TEXT);
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run("run", file, "--out", out, "--profiles", Path.of("hardware-profiles"),
        "--set", "outputs.devices_csv=true", "--set", "deployments[0].power.clock=locked",
        "--set", "deployments[0].power.locked_mhz=1500");
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = Files.readAllLines(out.resolve("devices.csv"));
    List<String> header = List.of(lines.get(0).split(",", -1));
    assertThat(header).endsWith("temp_c", "clock_mhz", "throttle_reason", "utilization_frac", "inlet_c", "fan_speed");
    int deployment = header.indexOf("deployment");
    int temp = header.indexOf("temp_c");
    int clock = header.indexOf("clock_mhz");
    int reason = header.indexOf("throttle_reason");
    long lockedRows = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] row = line.split(",", -1);
      assertThat(row).hasSize(header.size());
      // inlet 24 °C: no die below it, none near the 87 °C slowdown in this light load
      assertThat(Double.parseDouble(row[temp])).isBetween(24.0, 87.0);
      if (row[deployment].equals("unused")) {
        assertThat(row[clock]).isEmpty();
        assertThat(row[reason]).isEqualTo("none");
      } else if (!row[clock].isEmpty()) {
        assertThat(row[clock]).isEqualTo("1500");
        assertThat(row[reason]).isEqualTo("locked");
        lockedRows++;
      }
    }
    assertThat(lockedRows).isPositive();
  }

  @Test
  void utilisationAgreesWithThePowerMeters() throws Exception {
    Path file = write(tmp, "tiny.yaml", TinyScenario.TEXT);
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run("run", file, "--out", out, "--profiles", Path.of("hardware-profiles"),
        "--set", "outputs.devices_csv=true");
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = Files.readAllLines(out.resolve("devices.csv"));
    List<String> header = List.of(lines.get(0).split(",", -1));
    int deployment = header.indexOf("deployment");
    int power = header.indexOf("power_w");
    int util = header.indexOf("utilization_frac");
    int idleIntervals = 0;
    int busyIntervals = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] row = line.split(",", -1);
      double u = Double.parseDouble(row[util]);
      assertThat(u).isBetween(0.0, 1.0);
      if (row[deployment].equals("unused")) {
        assertThat(u).isZero();
      } else if (u == 0) { // the H100's active idle with a model resident: 120 W
        assertThat(Double.parseDouble(row[power])).isEqualTo(120.0);
        idleIntervals++;
      } else {
        assertThat(Double.parseDouble(row[power])).isGreaterThan(120.0);
        busyIntervals++;
      }
    }
    assertThat(idleIntervals).isPositive();
    assertThat(busyIntervals).isPositive();
  }
}
