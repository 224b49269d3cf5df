package dev.tokentherm.report;

/** A results folder a report cannot be drawn from, with the one-line reason naming the path. */
public final class ReportException extends Exception {
  private static final long serialVersionUID = 1L;

  public ReportException(String message) {
    super(message, null, false, false);
  }
}
