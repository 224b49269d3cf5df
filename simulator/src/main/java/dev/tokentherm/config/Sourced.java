package dev.tokentherm.config;

/** A hardware number with where it comes from: {@code {value: 989, source: "spec: ..."}}. */
@Doc("A number with its provenance: measured / spec / estimate, and where from")
public record Sourced(@Required @Doc("the number, in the unit its key names") double value,
    @Required @Doc("measured | spec | estimate, and where from") String source)
    implements Validatable {
  @Override
  public void validate(Validation v) {
    if (source.isBlank()) {
      v.error("source", "is empty; say where the number comes from (measured / spec / estimate)");
    }
    if (!Double.isFinite(value)) {
      v.error("value", "is not a finite number");
    }
  }
}
