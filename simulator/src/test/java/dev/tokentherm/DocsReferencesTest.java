package dev.tokentherm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every reference to the project's documentation (a file name such as DESIGN.md or DOMAIN.md,
 * optionally followed by section numbers, "§3" or "§3, §5") in the README, docs, profiles,
 * scenarios, data READMEs and sources resolves: the file exists under docs/ and each cited section
 * is a numbered heading there ("## 3. …").
 */
class DocsReferencesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path DOCS = ROOT.resolve("docs");
  /** Where references are looked for (from the repository root). */
  private static final List<String> SCANNED = List.of("README.md", "docs", "hardware-profiles",
      "scenarios", "data", "reports", "schemas", "simulator/src", "benchmarks/src");
  private static final Set<String> TEXT = Set.of("md", "yaml", "yml", "java", "json", "txt");
  /** The documentation files references may name; each must exist under docs/. */
  private static final String NAMES = "DESIGN|DOMAIN";
  private static final Pattern REFERENCE = Pattern.compile(
      "\\b(" + NAMES + ")\\.md(?:'s)?((?:,?\\s*§\\d+)(?:\\s*,\\s*§\\d+)*)?");
  private static final Pattern SECTION = Pattern.compile("§(\\d+)");

  record Reference(Path file, int line, String name, List<Integer> sections) {
    @Override
    public String toString() {
      return ROOT.relativize(file) + ":" + line + ": " + name + ".md " + sections;
    }
  }

  @Test
  void everyReferenceToTheDocsResolves() throws IOException {
    List<Reference> references = references();
    // the README, the profiles and the code cite both files, by section
    assertThat(references).as("references found").hasSizeGreaterThan(100);
    assertThat(references).anySatisfy(r -> assertThat(r.name()).isEqualTo("DESIGN"));
    assertThat(references).anySatisfy(r -> assertThat(r.sections()).contains(8));
    List<String> broken = new ArrayList<>();
    for (Reference r : references) {
      Path doc = DOCS.resolve(r.name() + ".md");
      if (!Files.isRegularFile(doc)) {
        broken.add(r + ": no docs/" + r.name() + ".md");
        continue;
      }
      String text = Files.readString(doc, StandardCharsets.UTF_8);
      for (int section : r.sections()) {
        if (!Pattern.compile("(?m)^#{1,6} " + section + "\\. ").matcher(text).find()) {
          broken.add(r + ": docs/" + r.name() + ".md has no section " + section);
        }
      }
    }
    assertThat(broken).as("references that do not resolve").isEmpty();
  }

  @Test
  void theDocsNumberTheirSectionsInOrder() throws IOException {
    for (String name : List.of("DESIGN", "DOMAIN")) {
      String text = Files.readString(DOCS.resolve(name + ".md"), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("(?m)^## (\\d+)\\. ").matcher(text);
      int expected = 1;
      while (m.find()) {
        assertThat(Integer.parseInt(m.group(1))).as("%s.md section numbers", name).isEqualTo(expected++);
      }
      assertThat(expected).as("%s.md has numbered sections", name).isGreaterThan(5);
    }
  }

  static List<Reference> references() throws IOException {
    List<Reference> found = new ArrayList<>();
    for (String start : SCANNED) {
      Path path = ROOT.resolve(start);
      if (!Files.exists(path)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(path)) {
        files = walk.filter(Files::isRegularFile).filter(DocsReferencesTest::isText).sorted().toList();
      }
      for (Path file : files) {
        if (file.endsWith(Path.of("dev/tokentherm/DocsReferencesTest.java"))) {
          continue; // this file's patterns are not references
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = REFERENCE.matcher(lines.get(i));
          while (m.find()) {
            List<Integer> sections = new ArrayList<>();
            if (m.group(2) != null) {
              Matcher s = SECTION.matcher(m.group(2));
              while (s.find()) {
                sections.add(Integer.parseInt(s.group(1)));
              }
            }
            found.add(new Reference(file, i + 1, m.group(1), sections));
          }
        }
      }
    }
    return found;
  }

  private static boolean isText(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot < 0 || !TEXT.contains(name.substring(dot + 1))) {
      return false;
    }
    for (Path part : ROOT.relativize(file.toAbsolutePath())) {
      if (part.toString().equals("target")) {
        return false;
      }
    }
    try {
      return Files.size(file) < 4 << 20; // data files are large CSV and JSONL, never scanned
    } catch (IOException e) {
      return false;
    }
  }
}
