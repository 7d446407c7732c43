package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;
import org.ledgerpki.streams.testkit.ExactlyOnceContexts;

class PromptCommitTest {

  private static MockProcessorContext<String, String> context(Long commitIntervalMs) {
    return new MockProcessorContext<>(
        ExactlyOnceContexts.properties("prompt-commit-test", commitIntervalMs));
  }

  /** Whether {@code forwarded()} at {@code atMs} requested a commit. */
  private static boolean forwardAt(
      MockProcessorContext<String, String> ctx, PromptCommit prompt, long atMs) {
    ctx.resetCommit();
    ctx.setCurrentSystemTimeMs(atMs);
    prompt.forwarded();
    return ctx.committed();
  }

  /** Commits requested, at 100 ms commits, by an output every {@code everyMs} for 10 s. */
  private static int requestsOver10sWithAnOutputEvery(long everyMs) {
    MockProcessorContext<String, String> ctx = context(100L);
    PromptCommit prompt = PromptCommit.of(ctx);
    int requests = 0;
    for (long t = 0; t < 10_000; t += everyMs) {
      requests += forwardAt(ctx, prompt, t) ? 1 : 0;
    }
    return requests;
  }

  @Test
  void theFirstOutputAndOneAfterAQuietIntervalAreCommittedAtOnce() {
    MockProcessorContext<String, String> ctx = context(100L);
    PromptCommit prompt = PromptCommit.of(ctx);

    assertThat(forwardAt(ctx, prompt, 1_000)).as("the first output").isTrue();
    assertThat(forwardAt(ctx, prompt, 1_040)).as("40 ms later").isFalse();
    assertThat(forwardAt(ctx, prompt, 1_139)).as("99 ms after the last output").isFalse();
    assertThat(forwardAt(ctx, prompt, 1_239)).as("a whole interval after the last").isTrue();
    assertThat(forwardAt(ctx, prompt, 5_000)).as("after seconds of quiet").isTrue();
    assertThat(prompt.requested()).isEqualTo(3);
  }

  @Test
  void aSteadyStreamRequestsNoCommitAfterItsFirstOutput() {
    assertThat(requestsOver10sWithAnOutputEvery(60)).isEqualTo(1);
  }

  @Test
  void aProcessorRequestsAtMostOneCommitPerInterval() {
    // Outputs a little more than an interval apart: each is prompt, none more often than that.
    assertThat(requestsOver10sWithAnOutputEvery(101)).isEqualTo(100).isLessThanOrEqualTo(100);
  }

  @Test
  void theQuietPeriodIsTheApplicationsCommitInterval() {
    MockProcessorContext<String, String> ctx = context(25L);
    PromptCommit prompt = PromptCommit.of(ctx);
    forwardAt(ctx, prompt, 0);
    assertThat(forwardAt(ctx, prompt, 24)).isFalse();
    assertThat(forwardAt(ctx, prompt, 49)).isTrue();
  }

  @Test
  void withoutASetIntervalItIsExactlyOncesDefault() {
    MockProcessorContext<String, String> ctx = context(null);
    PromptCommit prompt = PromptCommit.of(ctx);
    forwardAt(ctx, prompt, 0);
    assertThat(forwardAt(ctx, prompt, PromptCommit.EXACTLY_ONCE_DEFAULT_MS - 1)).isFalse();
    assertThat(forwardAt(ctx, prompt, 2 * PromptCommit.EXACTLY_ONCE_DEFAULT_MS - 1)).isTrue();
  }
}
