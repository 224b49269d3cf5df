package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tokentherm.report.ReportWriter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * report.html of the quickstart run, loaded from file:// in headless Chromium (Debian's chromium
 * and chromedriver at /usr/bin, never Selenium Manager, which would download a driver): no
 * JavaScript error (the browser log's SEVERE entries, the page's window.onerror capture), and
 * every chart container holds a drawn canvas of non-zero size within 3 s. The screenshot goes to
 * simulator/target/report-browser/quickstart-report.png (reports/quickstart-report.png is one). A
 * second load, of the page with one chart's data broken, shows the error capture catches it. A
 * comparison page ({@code report --compare} of two short runs under two batch policies) is held to
 * the same checks. Skips without the browser unless CI=true, where a missing browser fails.
 */
class ReportBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir
  Path dir;

  @Test
  void theQuickstartReportDrawsEveryChartWithoutErrors() throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/run installs Debian's chromium"
            + " and chromium-driver");
      }
      Assumptions.abort("no " + CHROMIUM + " and " + CHROMEDRIVER + " (outside CI the browser test may skip)");
    }
    Path out = dir.resolve("quickstart");
    Cli.Result run = Cli.run("run", Path.of("scenarios/quickstart.yaml"), "--out", out);
    assertThat(run.code()).as(run.toString()).isZero();
    Path page = out.resolve(ReportWriter.HTML);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1200,1300", "--user-data-dir=" + dir.resolve("profile"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    try {
      drawsEveryChart(driver, page, 8);
      JavascriptExecutor js = driver;
      Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Path target = Path.of("simulator/target/report-browser/quickstart-report.png");
      Files.createDirectories(target.getParent());
      Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(target)).isPositive();

      // a comparison: two groups, their CDFs and time series overlaid
      List<Path> runs = new ArrayList<>();
      for (String policy : List.of("vllm-v1", "static")) {
        Path o = dir.resolve(policy);
        Cli.Result r = Cli.run("run", "scenarios/quickstart.yaml", "--out", o, "--set",
            "deployments[0].scheduler.policy=" + policy, "--set", "horizon_s=120", "--set", "measure.end_s=120",
            "--set", "max_drain_s=300");
        assertThat(r.code()).as(r.toString()).isZero();
        runs.add(o);
      }
      Path comparison = dir.resolve("compare.html");
      Cli.Result compared = Cli.run("report", "--compare", runs.get(0), runs.get(1), "--out", comparison);
      assertThat(compared.code()).as(compared.toString()).isZero();
      drawsEveryChart(driver, comparison, 3);

      // the checks catch a broken page (the last load: its errors stay in the browser log)
      String html = Files.readString(page);
      String brokenText = html.replaceFirst("id=\"chart-ttft-cdf\">\\{", "id=\"chart-ttft-cdf\">{not json");
      assertThat(brokenText).isNotEqualTo(html);
      Path broken = Files.writeString(dir.resolve("broken.html"), brokenText);
      driver.get(broken.toUri().toString());
      @SuppressWarnings("unchecked")
      List<Object> caught = (List<Object>) js.executeScript("return window.tokenthermErrors;");
      assertThat(caught).as("window.onerror on a broken page").isNotEmpty();
      assertThat(js.executeScript("return window.tokenthermChartsDrawn === undefined;")).isEqualTo(true);
    } finally {
      driver.quit();
    }
  }

  /**
   * Loads {@code page} and checks that it has at least {@code atLeast} chart containers, that each
   * holds a drawn canvas of non-zero size within 3 s, and that nothing logged an error.
   */
  private static void drawsEveryChart(ChromeDriver driver, Path page, int atLeast) {
    driver.get(page.toUri().toString());
    JavascriptExecutor js = driver;
    long containers = (Long) js.executeScript("return document.querySelectorAll('div.chart').length;");
    assertThat(containers).as(page + ": chart containers").isGreaterThanOrEqualTo(atLeast);
    new WebDriverWait(driver, Duration.ofSeconds(3)).until(d -> (Boolean) js.executeScript(
        "var divs = document.querySelectorAll('div.chart');"
            + " for (var i = 0; i < divs.length; i++) {"
            + "   var c = divs[i].querySelector('canvas, svg');"
            + "   if (!c || c.getBoundingClientRect().width <= 0 || c.getBoundingClientRect().height <= 0) return false;"
            + " } return true;"));
    @SuppressWarnings("unchecked")
    List<Object> errors = (List<Object>) js.executeScript("return window.tokenthermErrors;");
    assertThat(errors).as(page + ": window.onerror").isEmpty();
    List<String> severe = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(e.getMessage());
      }
    }
    assertThat(severe).as(page + ": SEVERE browser log entries").isEmpty();
    @SuppressWarnings("unchecked")
    Map<String, Object> drawn = (Map<String, Object>) js.executeScript("return {drawn: window.tokenthermChartsDrawn};");
    assertThat(((Number) drawn.get("drawn")).longValue()).as(page + ": charts drawn").isEqualTo(containers);
  }
}
