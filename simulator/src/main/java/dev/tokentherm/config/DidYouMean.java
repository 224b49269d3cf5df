package dev.tokentherm.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggests the name a user probably meant, by edit distance. */
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate closest to {@code typed}, when it is close enough to be a likely typo: a few
   * edits (about one per three characters), the same name in another case or separator style
   * (horizonS, horizon-s), or a name the typed text begins. A name the typed text begins wins
   * over a typo ("h200" means h200-sxm, not b200); ties go to the earlier candidate.
   */
  public static Optional<String> closest(String typed, Collection<String> candidates) {
    String typedKey = normalize(typed);
    String best = null;
    int bestRank = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      String candidateKey = normalize(candidate);
      int distance = distance(typedKey, candidateKey);
      boolean prefix = typedKey.length() >= 4 && candidateKey.startsWith(typedKey);
      boolean close = distance <= Math.max(1, Math.min(3, typedKey.length() / 3)) || prefix;
      // exact (0) first, then prefixes by length, then typos by distance
      int rank = distance == 0 ? 0 : prefix ? 1 + distance : 1_000 + distance;
      if (close && rank < bestRank) {
        best = candidate;
        bestRank = rank;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * "did you mean 'x'?" when one candidate is close, else "allowed: a, b, c" (or a note that
   * there are none).
   */
  public static String hint(String typed, Collection<String> candidates) {
    return closest(typed, candidates)
        .map(name -> "did you mean '" + name + "'?")
        .orElseGet(() -> candidates.isEmpty() ? "none are defined"
            : "allowed: " + String.join(", ", candidates));
  }

  /**
   * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
   * neighbours each cost 1.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  // horizonS, Horizon_S and horizon-s all mean horizon_s
  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }
}
