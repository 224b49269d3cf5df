package dev.tokentherm.scenario;

import dev.tokentherm.config.Default;
import dev.tokentherm.config.Doc;
import dev.tokentherm.config.OneOf;
import dev.tokentherm.config.Range;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.List;

@Doc("Rack layout, cooling (thermal.CoolingLoop) and power budget")
public record Racks(
    @Default("4") @Range(min = 1) @Doc("nodes per rack") int nodesPerRack,
    @Default("24") @Range(min = -20, max = 60) @Doc("cold-aisle supply air temperature, °C (ASHRAE recommends 18–27, allows up to 32 in class A1); inlet_curve replaces it when given") double inletC,
    @Default("air") @OneOf({"air", "liquid", "none"})
    @Doc("air: heat sinks in the supply air, fans sped up with temperature; liquid: cold plates on coolant at coolant_c; none: no thermal model (no temperatures, no thermal slowdown: for speed comparisons)") String cooling,
    @Doc("supply air over simulated time: points {at_s, inlet_c}, linear between them, flat outside; read at each control interval") List<InletPoint> inletCurve,
    @Default("0.1") @Range(min = 0, max = 10)
    @Doc("hot air recirculated into the rack's inlet, °C per kW of the rack's power (air cooling). estimate: a few °C at the inlet of a contained rack drawing tens of kW, so 3 °C at 30 kW") double recirculationCPerKw,
    @Default("25") @Range(min = 0, max = 60)
    @Doc("coolant supply temperature of liquid cooling, °C. estimate: ASHRAE W27 facility water (≤ 27 °C)") double coolantC,
    @Default("1") @Range(min = 0.01, max = 60)
    @Doc("period of the cooling control loop, s: fan speeds and rack inlets are updated this often (a BMC fan loop runs about once a second)") double controlIntervalS,
    @Range(min = 0, minExclusive = true) @Doc("each rack's IT power budget, W (its GPUs, hosts and fans), shared statically: every GPU of a rack is limited to (power_budget_w − the rack's host power and its fans at full speed above min speed) / the rack's GPUs, a limit beside power.cap_w (the lower binds; clock-event reason rack_power_budget); default: none") Double powerBudgetW)
    implements Validatable {

  @Doc("One point of the supply-air curve")
  public record InletPoint(
      @Required @Range(min = 0, max = Limits.MAX_SECONDS) @Doc("simulated time, s") double atS,
      @Required @Range(min = -20, max = 60) @Doc("supply air temperature at that time, °C") double inletC) {}

  @Override
  public void validate(Validation v) {
    if (inletCurve != null) {
      if (inletCurve.isEmpty()) {
        v.error("inlet_curve", "is empty; allowed: at least one point {at_s, inlet_c}, or no inlet_curve");
      }
      for (int i = 1; i < inletCurve.size(); i++) {
        if (inletCurve.get(i).atS() <= inletCurve.get(i - 1).atS()) {
          v.error("inlet_curve[" + i + "].at_s", "is not after the previous point; allowed: increasing times");
        }
      }
      if (!cooling.equals("air")) {
        v.error("inlet_curve", "is not used by " + cooling + " cooling; allowed: inlet_curve with cooling: air");
      }
    }
  }
}
