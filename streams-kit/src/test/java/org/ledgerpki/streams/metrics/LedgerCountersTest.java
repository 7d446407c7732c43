package org.ledgerpki.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

class LedgerCountersTest {
  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

  private Optional<Double> value(String group, String name, Map<String, String> tags) {
    for (Map.Entry<MetricName, ? extends Metric> e : context.metrics().metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.group().equals(group) && n.name().equals(name) && n.tags().equals(tags)) {
        return Optional.of(((Number) e.getValue().metricValue()).doubleValue());
      }
    }
    return Optional.empty();
  }

  @Test
  void perTaskCountersReadZeroUntilCountedAndGoWhenClosed() {
    LedgerCounters c =
        LedgerCounters.perTask(context, "ledger-test", "quorum", Map.of("decisions", "Decisions."));
    Map<String, String> tags =
        Map.of("task-id", context.taskId().toString(), "processor", "quorum");
    assertThat(value("ledger-test", "decisions-total", tags)).contains(0.0);

    c.inc("decisions");
    c.inc("decisions");
    assertThat(value("ledger-test", "decisions-total", tags)).contains(2.0);

    c.addAge("signed", "Seconds since.");
    assertThat(value("ledger-test", "signed-age-seconds", tags))
        .hasValueSatisfying(v -> assertThat(v).isNaN());
    c.touch("signed");
    assertThat(value("ledger-test", "signed-age-seconds", tags))
        .hasValueSatisfying(v -> assertThat(v).isBetween(0.0, 60.0));

    assertThatThrownBy(() -> c.inc("undeclared")).hasMessage("unknown counter undeclared");
    assertThatThrownBy(() -> c.touch("undeclared")).hasMessage("unknown age undeclared");

    c.close();
    assertThat(value("ledger-test", "decisions-total", tags)).isEmpty();
    assertThat(value("ledger-test", "signed-age-seconds", tags)).isEmpty();
  }

  @Test
  void perMemberCountersAppearOnFirstUseOnePerTagSet() {
    LedgerCounters c = new LedgerCounters(context.metrics(), "ledger-validator", "operator-a");
    String thread = Thread.currentThread().getName();
    Map<String, String> base = Map.of("thread-id", thread, "ledger-validator-id", "operator-a");
    assertThat(value("ledger-validator-metrics", "dead-letters-total", base)).isEmpty();

    c.count("dead-letters", "Dead letters.", "reason", "undecodable");
    c.count("dead-letters", "Dead letters.", "reason", "undecodable");
    c.count("dead-letters", "Dead letters.", "reason", "wrong-key");

    Map<String, String> undecodable =
        Map.of("thread-id", thread, "ledger-validator-id", "operator-a", "reason", "undecodable");
    Map<String, String> wrongKey =
        Map.of("thread-id", thread, "ledger-validator-id", "operator-a", "reason", "wrong-key");
    assertThat(value("ledger-validator-metrics", "dead-letters-total", undecodable)).contains(2.0);
    assertThat(value("ledger-validator-metrics", "dead-letters-total", wrongKey)).contains(1.0);
    assertThatThrownBy(() -> c.count("x", "X.", "reason"))
        .hasMessage("tags come in key-value pairs, found 1");
  }
}
