package dev.tokentherm.cli;

import dev.tokentherm.report.ReportException;
import dev.tokentherm.report.ReportWriter;
import dev.tokentherm.results.ResultsFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tokentherm report DIR}: rebuilds report.html and report.md from a results folder's files;
 * {@code report --compare DIR DIR... [--out FILE]}: a comparison page ({@link CompareReport}).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Rebuild report.html and report.md in a results folder from the files the run wrote"
        + " (summary.json, manifest.json, assumptions.json, latencies.hlog, report_series.csv, conversations.csv).")
final class ReportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "a results folder (results/<name>, or a run's --out)")
  Path dir;

  @Parameters(index = "1..*", paramLabel = "DIR", description = "with --compare: more results folders")
  List<Path> more = new ArrayList<>();

  @Option(names = "--compare", description = "one page of the folders side by side (runs that differ only in"
      + " their seed grouped: mean and 95 %% confidence interval); writes --out and its .md twin")
  boolean compare;

  @Option(names = "--out", paramLabel = "FILE", description = "with --compare: the HTML page (default: "
      + CompareReport.DEFAULT_OUT + "); the Markdown twin is written beside it")
  Path outFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (compare || !more.isEmpty() || outFile != null) {
      return CompareReport.run(compare, dir, more, outFile, out, err);
    }
    try {
      ReportWriter.write(dir);
    } catch (ReportException e) {
      err.println("tokentherm: report: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (IOException e) {
      err.println("tokentherm: report: " + dir + ": cannot be written: " + ResultsFolder.describe(e));
      return Main.BAD_INPUT;
    }
    out.println("report: " + size(dir.resolve(ReportWriter.HTML)) + ", " + size(dir.resolve(ReportWriter.MARKDOWN)));
    out.flush();
    return 0;
  }

  static String size(Path file) {
    try {
      return file + String.format(Locale.ROOT, " (%.2f MB)", Files.size(file) / 1e6);
    } catch (IOException e) {
      return file.toString();
    }
  }
}
