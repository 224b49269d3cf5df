package dev.tokentherm.config;

/** How Java names appear in YAML. */
public final class Names {
  private Names() {}

  /**
   * The snake_case key of a camelCase record component: horizonS → horizon_s, bf16Tflops →
   * bf16_tflops, qLoraRank → q_lora_rank. Digits stay with the word before them.
   */
  public static String snakeCase(String camelCase) {
    StringBuilder key = new StringBuilder(camelCase.length() + 8);
    for (int i = 0; i < camelCase.length(); i++) {
      char c = camelCase.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          key.append('_');
        }
        key.append(Character.toLowerCase(c));
      } else {
        key.append(c);
      }
    }
    return key.toString();
  }
}
