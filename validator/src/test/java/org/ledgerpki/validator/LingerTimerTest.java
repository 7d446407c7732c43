package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.streams.testkit.ExactlyOnceContexts;

/**
 * Kafka Streams commits after every wall-clock punctuation, so a linger timer that always ran made
 * an idle validator commit an empty transaction every commit interval. The timer must run only
 * while verdicts wait to be signed.
 */
class LingerTimerTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final Duration LINGER = Duration.ofMillis(20);

  /** The validator's context: exactly-once, 100 ms commits, as the service runs. */
  private final MockProcessorContext<String, SpecificRecord> context =
      new MockProcessorContext<>(ExactlyOnceContexts.properties("linger-timer-test", 100L));

  private final MemberKeys vendor = TC.member("vendor-a");
  private final BatchSigner submitter =
      new BatchSigner(
          "vendor-a", vendor.submission().getPrivate(), vendor.submission().getPublic());

  private <K, V> void store(String name, Serde<K> keys, Serde<V> values) {
    KeyValueStore<K, V> s =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
            .withLoggingDisabled()
            .build();
    s.init(context.getStateStoreContext(), s);
    context.addStateStore(s);
  }

  private List<CapturedPunctuator> lingerTimers() {
    return context.scheduledPunctuators().stream()
        .filter(p -> p.getInterval().equals(LINGER))
        .toList();
  }

  private void submit(ValidateProcessor p, String cn, int slot) {
    byte[] der =
        TestPki.vendor(
                SignatureAlgorithm.ECDSA_P256, TestConsortium.organization("vendor-a"), cn, slot)
            .der();
    for (Submissions.Keyed k : Submissions.issue(submitter, List.of(der), Instant.now())) {
      p.process(new Record<>(k.key(), k.submission(), System.currentTimeMillis()));
    }
  }

  private ValidateProcessor validator() {
    Topics topics = Topics.create(LedgerSerdes.inMemory());
    store(ValidatorTopology.REGISTERED_KEYS, Serdes.String(), Serdes.String());
    store(ValidatorTopology.PENDING, Serdes.Long(), topics.endorsements().valueSerde());
    store(ValidatorTopology.LEDGER_OWNERS, Serdes.String(), Serdes.String());
    store(ValidatorTopology.LEDGER_STATES, Serdes.String(), Serdes.String());
    MemberKeys b = TC.member("operator-b");
    ValidateProcessor p =
        new ValidateProcessor(
            () -> new SubmissionCheck(TC.policy(), new BatchVerifier()),
            new BatchSigner(
                "operator-b", b.endorsement().getPrivate(), b.endorsement().getPublic()),
            Clock.systemUTC(),
            100,
            LINGER);
    context.setCurrentSystemTimeMs(System.currentTimeMillis());
    p.init(context);
    return p;
  }

  /** Submits one certificate at {@code atMs} and fires the linger timer it armed. */
  private void submitAndFlush(ValidateProcessor p, String cn, int slot, long atMs) {
    context.setCurrentSystemTimeMs(atMs);
    context.resetCommit();
    submit(p, cn, slot);
    List<CapturedPunctuator> timers = lingerTimers();
    timers.get(timers.size() - 1).getPunctuator().punctuate(atMs);
  }

  @Test
  void aVerdictBatchAfterAQuietCommitIntervalIsCommittedAtOnce() {
    ValidateProcessor p = validator();
    submitAndFlush(p, "smf-1", 0, 10_000);
    assertThat(context.committed()).as("the first batch: committed at once").isTrue();
    submitAndFlush(p, "smf-2", 1, 10_030);
    assertThat(context.committed())
        .as("30 ms after the last batch: the interval commits it")
        .isFalse();
    submitAndFlush(p, "smf-3", 2, 10_500);
    assertThat(context.committed()).as("after a quiet interval: at once").isTrue();
    assertThat(context.forwarded()).hasSize(3);
  }

  @Test
  void theLingerTimerRunsOnlyWhileVerdictsWait() {
    ValidateProcessor p = validator();
    assertThat(lingerTimers()).as("idle: no linger timer").isEmpty();

    submit(p, "smf-1", 0);
    assertThat(lingerTimers()).hasSize(1);
    CapturedPunctuator first = lingerTimers().get(0);
    assertThat(first.cancelled()).as("a verdict waits: the timer runs").isFalse();
    assertThat(context.forwarded()).isEmpty();

    first.getPunctuator().punctuate(System.currentTimeMillis());
    assertThat(context.forwarded())
        .as("the timer signed the waiting verdict")
        .singleElement()
        .satisfies(f -> assertThat(f.record().value()).isInstanceOf(Endorsement.class));
    assertThat(first.cancelled()).as("nothing waits: the timer stopped").isTrue();

    submit(p, "smf-2", 1);
    assertThat(lingerTimers()).hasSize(2);
    assertThat(lingerTimers().get(1).cancelled()).as("armed again for the next verdict").isFalse();
  }
}
