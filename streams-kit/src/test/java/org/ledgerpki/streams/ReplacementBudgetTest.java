package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplacementBudgetTest {
  private final AtomicLong now = new AtomicLong();
  private final ReplacementBudget budget =
      new ReplacementBudget(3, Duration.ofMinutes(10), now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aConditionThatDoesNotPassSpendsTheBudget() {
    assertThat(budget.tryTake()).isTrue();
    assertThat(budget.tryTake()).isTrue();
    assertThat(budget.tryTake()).isTrue();
    advance(Duration.ofMinutes(9));
    assertThat(budget.tryTake()).isFalse();
    assertThat(budget.spent()).isEqualTo(3);
  }

  @Test
  void replacementsFarApartNeverSpendIt() {
    for (int i = 0; i < 50; i++) {
      assertThat(budget.tryTake()).as("replacement %d", i).isTrue();
      advance(Duration.ofMinutes(4));
    }
    // At most three fall within any ten minutes.
    assertThat(budget.spent()).isLessThanOrEqualTo(3);
  }

  @Test
  void theWindowGivesBackWhatItsOldestSpendingTook() {
    budget.tryTake();
    advance(Duration.ofMinutes(5));
    budget.tryTake();
    budget.tryTake();
    assertThat(budget.tryTake()).isFalse();
    advance(Duration.ofMinutes(5)); // the first is now ten minutes old
    assertThat(budget.tryTake()).isTrue();
    assertThat(budget.tryTake()).isFalse();
  }
}
