package dev.tokentherm.cli;

import dev.tokentherm.report.Comparison;
import dev.tokentherm.report.ReportException;
import dev.tokentherm.results.ResultsFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code tokentherm report --compare DIR DIR... [--out FILE]}: writes a {@link Comparison} page and its .md twin. */
final class CompareReport {
  static final String DEFAULT_OUT = "results/compare.html";

  private CompareReport() {}

  static int run(boolean compare, Path first, List<Path> more, Path outFile, PrintWriter out, PrintWriter err) {
    if (!compare) {
      err.println("tokentherm: report: " + (more.isEmpty() ? "--out" : "several folders")
          + " without --compare; allowed: report DIR, or report --compare DIR DIR... [--out FILE]");
      return Main.BAD_INPUT;
    }
    Path target = outFile != null ? outFile : Path.of(DEFAULT_OUT);
    if (!target.getFileName().toString().endsWith(".html")) {
      err.println("tokentherm: report: --out " + target + ": expected a file name ending in .html (the .md twin"
          + " is written beside it)");
      return Main.BAD_INPUT;
    }
    List<Path> dirs = new ArrayList<>();
    dirs.add(first);
    dirs.addAll(more);
    Comparison c;
    try {
      c = Comparison.of(dirs);
      c.write(target);
    } catch (ReportException e) {
      err.println("tokentherm: report: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (IOException e) {
      err.println("tokentherm: report: --out " + target + ": cannot be written: " + ResultsFolder.describe(e));
      return Main.BAD_INPUT;
    }
    out.print(c.groupsTable().markdown() + c.metricTable().markdown());
    out.println("compare: " + ReportCommand.size(target) + ", " + ReportCommand.size(Comparison.markdownFile(target)));
    out.flush();
    return 0;
  }
}
