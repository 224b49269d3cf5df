package dev.tokentherm.cli;

import dev.tokentherm.report.ReportException;
import dev.tokentherm.report.ReportWriter;
import dev.tokentherm.results.ResultsFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tokentherm report DIR}: rebuilds report.html and report.md from a results folder's files. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Rebuild report.html and report.md in a results folder from the files the run wrote"
        + " (summary.json, manifest.json, assumptions.json, latencies.hlog, report_series.csv, conversations.csv).")
final class ReportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "a results folder (results/<name>, or a run's --out)")
  Path dir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
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

  private static String size(Path file) {
    try {
      return file + String.format(Locale.ROOT, " (%.2f MB)", Files.size(file) / 1e6);
    } catch (IOException e) {
      return file.toString();
    }
  }
}
