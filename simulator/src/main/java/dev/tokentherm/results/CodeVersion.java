package dev.tokentherm.results;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The code that runs: its version (the jar manifest's Implementation-Version, or "dev" when run
 * from classes) and, since a version names no particular build of a working tree, a SHA-256 of the
 * simulator's own class files ({@code dev/tokentherm/**.class}, each path and its bytes in path
 * order), read from the jar or the classes folder the code runs from. Built from the same sources
 * by the same compiler, the classes and so the hash are the same; any change of code moves it.
 */
public final class CodeVersion {
  private static final String OWN_CLASSES = "dev/tokentherm/";
  /** Computed once per JVM: the code does not change while it runs. */
  private static volatile String classesSha256;

  private CodeVersion() {}

  public static String current() {
    String v = CodeVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** SHA-256 of the simulator's class files as they run, or "unknown" when they cannot be read. */
  public static String classesSha256() {
    String sha = classesSha256;
    if (sha == null) {
      sha = computeClassesSha256();
      classesSha256 = sha;
    }
    return sha;
  }

  private static String computeClassesSha256() {
    try {
      Path location = Path.of(CodeVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isDirectory(location) ? folderSha256(location) : jarSha256(location);
    } catch (IOException | URISyntaxException | SecurityException | NullPointerException e) {
      return "unknown"; // no readable code source (an unusual class loader): the version alone names the code
    }
  }

  /** The class files under a classes folder. */
  static String folderSha256(Path root) throws IOException {
    TreeMap<String, Path> classes = new TreeMap<>();
    Path own = root.resolve(OWN_CLASSES);
    if (Files.isDirectory(own)) {
      try (Stream<Path> files = Files.walk(own)) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
          classes.put(root.relativize(f).toString().replace('\\', '/'), f);
        }
      }
    }
    Hasher h = Hashing.sha256().newHasher();
    for (var e : classes.entrySet()) {
      byte[] bytes = Files.readAllBytes(e.getValue());
      h.putString(e.getKey(), StandardCharsets.UTF_8).putByte((byte) 0).putInt(bytes.length).putBytes(bytes);
    }
    return h.hash().toString();
  }

  /** The class files in a jar (its other entries, the dependencies among them, are left out). */
  static String jarSha256(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<JarEntry> classes = new ArrayList<>();
      for (Enumeration<JarEntry> en = file.entries(); en.hasMoreElements(); ) {
        JarEntry entry = en.nextElement();
        if (entry.getName().startsWith(OWN_CLASSES) && entry.getName().endsWith(".class")) {
          classes.add(entry);
        }
      }
      classes.sort((a, b) -> a.getName().compareTo(b.getName()));
      Hasher h = Hashing.sha256().newHasher();
      for (JarEntry entry : classes) {
        byte[] bytes;
        try (InputStream in = file.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        h.putString(entry.getName(), StandardCharsets.UTF_8).putByte((byte) 0).putInt(bytes.length).putBytes(bytes);
      }
      return h.hash().toString();
    }
  }
}
