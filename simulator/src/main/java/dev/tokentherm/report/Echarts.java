package dev.tokentherm.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Apache ECharts' echarts.min.js, read from its Maven webjar (org.webjars.npm:echarts) on the
 * classpath, for inlining: the page needs no CDN and no network.
 */
public final class Echarts {
  private static final String POM = "META-INF/maven/org.webjars.npm/echarts/pom.properties";
  private static volatile String script;

  private Echarts() {}

  /** The webjar's version (from its pom.properties). */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = resource(POM)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  /** echarts.min.js's text. */
  public static String script() {
    String s = script;
    if (s == null) {
      String path = "META-INF/resources/webjars/echarts/" + version() + "/dist/echarts.min.js";
      try (InputStream in = resource(path)) {
        s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      script = s;
    }
    return s;
  }

  private static InputStream resource(String path) throws IOException {
    InputStream in = Echarts.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IOException(path + ": not on the classpath (the org.webjars.npm:echarts dependency)");
    }
    return in;
  }
}
