package dev.tokentherm.report;

/** Text for HTML: escaped for elements and attributes, and for JSON inside a script element. */
final class Html {
  private Html() {}

  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** JSON text safe inside {@code <script>}: no "</" (written "<\/"), which JSON reads the same. */
  static String scriptJson(String json) {
    return json.replace("</", "<\\/");
  }
}
