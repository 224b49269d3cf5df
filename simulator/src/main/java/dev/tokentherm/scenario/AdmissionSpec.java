package dev.tokentherm.scenario;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Range;

@Doc("Admission limits of a deployment")
public record AdmissionSpec(
    @Range(min = 1) @Doc("most tokens of context a request may need (prompt with history + output); default: the model's") Long maxModelLen) {}
