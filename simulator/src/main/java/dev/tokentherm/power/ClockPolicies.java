package dev.tokentherm.power;

/** The clock policies tokentherm ships (stateless, shared). */
public final class ClockPolicies {
  private ClockPolicies() {}

  /** The highest clock, the boost clock every kernel fit was measured at. */
  public static final ClockPolicy BOOST = new ClockPolicy() {
    @Override
    public String name() {
      return "boost";
    }

    @Override
    public double requestedMhz(double maxMhz, double lockedMhz) {
      return maxMhz;
    }

    @Override
    public boolean locked() {
      return false;
    }
  };

  /** A fixed clock, {@code locked_mhz} (an application clock, as nvidia-smi -lgc sets). */
  public static final ClockPolicy LOCKED = new ClockPolicy() {
    @Override
    public String name() {
      return "locked";
    }

    @Override
    public double requestedMhz(double maxMhz, double lockedMhz) {
      if (Double.isNaN(lockedMhz)) {
        throw new IllegalArgumentException("the locked clock policy needs locked_mhz");
      }
      return lockedMhz;
    }

    @Override
    public boolean locked() {
      return true;
    }
  };
}
