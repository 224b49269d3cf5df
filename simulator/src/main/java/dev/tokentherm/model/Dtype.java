package dev.tokentherm.model;

/** Element types of weights, KV and matmuls, with their storage size. */
public enum Dtype {
  BF16(2),
  FP16(2),
  FP8(1);

  private final int bytes;

  Dtype(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  /** Parses the scenario spelling ({@code bf16}, {@code fp16}, {@code fp8}). */
  public static Dtype of(String name) {
    return switch (name) {
      case "bf16" -> BF16;
      case "fp16" -> FP16;
      case "fp8" -> FP8;
      default -> throw new IllegalArgumentException("unknown dtype '" + name + "'; allowed: bf16, fp16, fp8");
    };
  }

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
