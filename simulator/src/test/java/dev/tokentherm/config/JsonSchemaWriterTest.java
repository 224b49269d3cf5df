package dev.tokentherm.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonSchemaWriterTest {
  @Doc("A fan")
  record Fan(
      @Default("1200") @Range(min = 0, max = 5000, maxExclusive = true) @Doc("speed") int rpm,
      @Required @OneOf({"quiet", "loud"}) String mode) {}

  @Doc("A box")
  record Box(@Required @Doc("its name") String name, @MinSize(1) java.util.List<Fan> fans,
      @Default("{}") Fan spare, java.util.Map<String, Double> weights) {}

  @Test
  void writesTheWholeSchema() {
    assertThat(JsonSchemaWriter.schemaOf(Box.class)).isEqualTo("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Box",
          "description": "A box",
          "type": "object",
          "properties": {
            "name": {
              "description": "its name",
              "type": "string"
            },
            "fans": {
              "type": "array",
              "items": {
                "$ref": "#/$defs/Fan"
              },
              "minItems": 1
            },
            "spare": {
              "$ref": "#/$defs/Fan",
              "default": {}
            },
            "weights": {
              "type": "object",
              "additionalProperties": {
                "type": "number"
              }
            }
          },
          "required": [
            "name"
          ],
          "additionalProperties": false,
          "$defs": {
            "Fan": {
              "description": "A fan",
              "type": "object",
              "properties": {
                "rpm": {
                  "description": "speed",
                  "type": "integer",
                  "minimum": 0,
                  "exclusiveMaximum": 5000,
                  "default": 1200
                },
                "mode": {
                  "type": "string",
                  "enum": [
                    "quiet",
                    "loud"
                  ]
                }
              },
              "required": [
                "mode"
              ],
              "additionalProperties": false
            }
          }
        }
        """);
  }
}
