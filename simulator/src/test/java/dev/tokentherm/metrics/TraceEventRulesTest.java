package dev.tokentherm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The trace-event checker passes a well-formed hand-made trace and fails each rule broken on purpose. */
class TraceEventRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A process with a named thread: two iterations, a request with two phases, a flow and a counter. */
  private static final String GOOD = """
      {"displayTimeUnit":"ms","traceEvents":[
      {"ph":"M","name":"process_name","pid":1,"tid":0,"ts":0,"args":{"name":"replica 0"}},
      {"ph":"M","name":"thread_name","pid":1,"tid":1,"ts":0,"args":{"name":"iterations"}},
      {"ph":"M","name":"thread_name","pid":1,"tid":2,"ts":0,"args":{"name":"arrivals"}},
      {"ph":"X","name":"arrival","pid":1,"tid":2,"ts":5,"dur":0},
      {"ph":"X","name":"prefill","pid":1,"tid":1,"ts":10,"dur":20.5},
      {"ph":"X","name":"decode","pid":1,"tid":1,"ts":30.5,"dur":8},
      {"ph":"b","cat":"request","name":"request","id":7,"pid":1,"tid":2,"ts":5},
      {"ph":"b","cat":"request","name":"queue","id":7,"pid":1,"tid":2,"ts":5},
      {"ph":"e","cat":"request","name":"queue","id":7,"pid":1,"tid":2,"ts":10},
      {"ph":"b","cat":"request","name":"prefill","id":7,"pid":1,"tid":2,"ts":10},
      {"ph":"e","cat":"request","name":"prefill","id":7,"pid":1,"tid":2,"ts":30.5},
      {"ph":"e","cat":"request","name":"request","id":7,"pid":1,"tid":2,"ts":38.5},
      {"ph":"s","cat":"request","name":"to first iteration","id":7,"pid":1,"tid":2,"ts":5},
      {"ph":"f","cat":"request","name":"to first iteration","id":7,"pid":1,"tid":1,"ts":10,"bp":"e"},
      {"ph":"C","name":"running batch","pid":1,"tid":0,"ts":10,"args":{"requests":1}},
      {"ph":"C","name":"running batch","pid":1,"tid":0,"ts":30.5,"args":{"requests":1}}
      ]}
      """;

  @Test
  void aWellFormedTraceKeepsEveryRule() throws Exception {
    assertThat(TraceEventRules.violations(JSON.readTree(GOOD))).isEmpty();
  }

  /** Each row breaks one rule by replacing one piece of the good trace. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown phase | {\"ph\":\"X\",\"name\":\"decode\" | {\"ph\":\"Q\",\"name\":\"decode\"",
      "negative duration | \"ts\":30.5,\"dur\":8 | \"ts\":30.5,\"dur\":-1",
      "X going back on its thread | \"ts\":30.5,\"dur\":8 | \"ts\":9,\"dur\":0.5",
      "X overlapping the end of another | \"ts\":30.5,\"dur\":8 | \"ts\":29,\"dur\":8",
      "end closing the wrong slice | \"name\":\"queue\",\"id\":7,\"pid\":1,\"tid\":2,\"ts\":10 "
          + "| \"name\":\"request\",\"id\":7,\"pid\":1,\"tid\":2,\"ts\":10",
      "slice left open | {\"ph\":\"e\",\"cat\":\"request\",\"name\":\"request\" "
          + "| {\"ph\":\"n\",\"cat\":\"request\",\"name\":\"request\"",
      "async time going back | \"name\":\"prefill\",\"id\":7,\"pid\":1,\"tid\":2,\"ts\":30.5 "
          + "| \"name\":\"prefill\",\"id\":7,\"pid\":1,\"tid\":2,\"ts\":9",
      "async without an id | \"name\":\"request\",\"id\":7,\"pid\":1,\"tid\":2,\"ts\":5 "
          + "| \"name\":\"request\",\"pid\":1,\"tid\":2,\"ts\":5",
      "flow end without its start | {\"ph\":\"s\" | {\"ph\":\"t\"",
      "flow ending before it starts | \"tid\":1,\"ts\":10,\"bp\":\"e\" | \"tid\":1,\"ts\":4,\"bp\":\"e\"",
      "flow with another binding point | \"bp\":\"e\" | \"bp\":\"n\"",
      "counter going back | \"ts\":30.5,\"args\":{\"requests\":1} | \"ts\":3,\"args\":{\"requests\":1}",
      "counter value not a number | \"ts\":30.5,\"args\":{\"requests\":1} | \"ts\":30.5,\"args\":{\"requests\":\"one\"}",
      "process without a name | \"name\":\"process_name\",\"pid\":1 | \"name\":\"process_labels\",\"pid\":1",
      "thread without a name | \"name\":\"thread_name\",\"pid\":1,\"tid\":1 | \"name\":\"thread_labels\",\"pid\":1,\"tid\":1",
      "event without ts | \"ph\":\"X\",\"name\":\"prefill\",\"pid\":1,\"tid\":1,\"ts\":10 "
          + "| \"ph\":\"X\",\"name\":\"prefill\",\"pid\":1,\"tid\":1",
      "X without tid | \"name\":\"prefill\",\"pid\":1,\"tid\":1 | \"name\":\"prefill\",\"pid\":1",
      "display unit | \"displayTimeUnit\":\"ms\" | \"displayTimeUnit\":\"s\""})
  void eachBrokenRuleIsFound(String rule, String from, String to) throws Exception {
    assertThat(GOOD).contains(from);
    String bad = GOOD.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    assertThat(TraceEventRules.violations(JSON.readTree(bad))).as(rule).isNotEmpty();
  }
}
