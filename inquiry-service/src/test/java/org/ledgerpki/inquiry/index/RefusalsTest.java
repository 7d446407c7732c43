package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A flood of refused records (forged landmarks or checkpoints cost their writer nothing) is counted
 * in full but cannot flood the node's log.
 */
class RefusalsTest {
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> debug = new ArrayList<>();
  private long now = 5_000;

  private final Refusals refusals =
      new Refusals(
          () -> now,
          (level, line) ->
              (switch (level) {
                    case ERROR -> errors;
                    case WARN -> warnings;
                    case DEBUG -> debug;
                    default -> throw new AssertionError(level + " " + line);
                  })
                  .add(line));

  @Test
  void aFloodIsCountedInFullAndLoggedAtErrorOnlyAtFirstAndThenOnceAMinute() {
    for (int i = 0; i < 1_000; i++) {
      refusals.refuse("landmark %d refused", i);
    }
    assertThat(refusals.refusedCount()).isEqualTo(1_000);
    assertThat(errors).hasSize(Refusals.LOUD).first().isEqualTo("landmark 0 refused");
    assertThat(debug).hasSize(1_000 - Refusals.LOUD).last().isEqualTo("landmark 999 refused");

    now += TimeUnit.MINUTES.toNanos(1);
    refusals.refuse("landmark %d refused", 1_000);
    assertThat(errors).hasSize(Refusals.LOUD + 1);
    assertThat(errors.getLast())
        .startsWith("landmark 1000 refused (990 more records refused since the previous error")
        .contains("ledgerpki.inquiry.refused.records");

    // The count starts again after each summary.
    refusals.refuse("landmark %d refused", 1_001);
    now += TimeUnit.MINUTES.toNanos(1);
    refusals.refuse("landmark %d refused", 1_002);
    assertThat(errors.getLast()).startsWith("landmark 1002 refused (1 more records refused");
    assertThat(refusals.refusedCount()).isEqualTo(1_003);
  }

  @Test
  void refusalsLoggedWhereTheyWereFoundAreOnlyCounted() {
    refusals.count();
    refusals.count();
    assertThat(refusals.refusedCount()).isEqualTo(2);
    assertThat(errors).isEmpty();
    assertThat(debug).isEmpty();
    // They do not use up the lines the first refusals are logged with.
    refusals.refuse("checkpoint %d does not verify", 7);
    assertThat(errors).containsExactly("checkpoint 7 does not verify");
  }

  @Test
  void recordsOfLogsThePolicyDoesNotNameAreLoggedOnceAndCounted() {
    for (int i = 0; i < 50; i++) {
      refusals.foreign("entry", i, "oid/1.3.6.1.4.1.32473.99");
    }
    assertThat(refusals.foreignCount()).isEqualTo(50);
    assertThat(refusals.refusedCount()).isZero();
    assertThat(warnings)
        .singleElement()
        .asString()
        .startsWith("entry 0 of log 'oid/1.3.6.1.4.1.32473.99' ignored");
  }
}
