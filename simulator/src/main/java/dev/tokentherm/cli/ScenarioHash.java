package dev.tokentherm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.google.common.hash.Hashing;
import dev.tokentherm.scenario.Scenario;
import java.nio.charset.StandardCharsets;

/** SHA-256 of the resolved scenario (after defaults and --set), for the manifest. */
final class ScenarioHash {
  private ScenarioHash() {}

  static String sha256(Scenario scenario) {
    try {
      String json = new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .writeValueAsString(scenario);
      return Hashing.sha256().hashString(json, StandardCharsets.UTF_8).toString();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("scenario records always serialise", e);
    }
  }
}
