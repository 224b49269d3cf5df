package dev.tokentherm.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measured points of one collective grouped by message size, one bin per power of two
 * [2^k, 2^(k+1)): the median size and the median of the points' median times. Binning keeps the
 * hundreds of MiB-sized points from outweighing the few KiB-sized ones that decode sends.
 */
public record CollectiveBin(long lowBytes, double medianBytes, double medianSeconds, int points) {

  /** Bins of {@code points} from {@code minBytes} to {@code maxBytes} (both powers of two), empty bins left out. */
  public static List<CollectiveBin> powersOfTwo(List<CollectivePoint> points, long minBytes, long maxBytes) {
    List<CollectiveBin> bins = new ArrayList<>();
    for (long low = minBytes; low <= maxBytes; low *= 2) {
      List<CollectivePoint> in = new ArrayList<>();
      for (CollectivePoint p : points) {
        if (p.bytes() >= low && p.bytes() < 2 * low) {
          in.add(p);
        }
      }
      if (in.isEmpty()) {
        continue;
      }
      double[] sizes = new double[in.size()];
      double[] times = new double[in.size()];
      for (int i = 0; i < in.size(); i++) {
        sizes[i] = in.get(i).bytes();
        times[i] = in.get(i).measuredSeconds();
      }
      bins.add(new CollectiveBin(low, median(sizes), median(times), in.size()));
    }
    return bins;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
