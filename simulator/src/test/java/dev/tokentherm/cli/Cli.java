package dev.tokentherm.cli;

import dev.tokentherm.registry.PolicyRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@link Main#execute} in this JVM with System.out and System.err captured (picocli's
 * writers wrap them lazily, on first use in each fresh CommandLine), restoring both afterwards.
 */
final class Cli {
  private Cli() {}

  /** What one command line did. */
  record Result(int code, String out, String err) {
    /** The lines of stderr, without line terminators (none for empty stderr). */
    List<String> errLines() {
      return lines(err);
    }

    List<String> outLines() {
      return lines(out);
    }

    private static List<String> lines(String text) {
      List<String> lines = new ArrayList<>(Arrays.asList(text.split("\\R", -1)));
      if (lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1); // the terminator of the last line, or empty text
      }
      return lines;
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  /** Runs the command line; arguments that are paths are turned into strings. */
  static Result run(Object... args) {
    return runWith(PolicyRegistry.standard(), args);
  }

  /** Runs the command line with these policies (a test's own registry). */
  static synchronized Result runWith(PolicyRegistry policies, Object... args) {
    String[] argv = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i] instanceof Path p ? p.toString() : String.valueOf(args[i]);
    }
    Charset outCharset = charset("sun.stdout.encoding", "stdout.encoding");
    Charset errCharset = charset("sun.stderr.encoding", "stderr.encoding");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    int code;
    try {
      System.setOut(new PrintStream(out, true, outCharset));
      System.setErr(new PrintStream(err, true, errCharset));
      code = Main.execute(policies, argv);
      System.out.flush();
      System.err.flush();
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Result(code, out.toString(outCharset), err.toString(errCharset));
  }

  // the charset picocli writes System.out/System.err with
  private static Charset charset(String... properties) {
    for (String property : properties) {
      String name = System.getProperty(property);
      if (name != null && Charset.isSupported(name)) {
        return Charset.forName(name);
      }
    }
    return Charset.defaultCharset();
  }
}
