package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class StreamsRuntimeTest {
  @Test
  void aLoadingCoordinatorOrARetriableErrorIsTransient() {
    // As Kafka's classic consumer reports it from SyncGroup on a busy, fresh broker.
    assertThat(
            StreamsRuntime.transientBrokerCondition(
                new StreamsException(
                    new KafkaException(
                        "Unexpected error from SyncGroup: The coordinator is loading and hence"
                            + " can't process requests."))))
        .isTrue();
    assertThat(
            StreamsRuntime.transientBrokerCondition(
                new StreamsException(new CoordinatorNotAvailableException("gone for now"))))
        .isTrue();
  }

  @Test
  void aTransactionTheBrokerAbortedUnderTheThreadIsTransient() {
    // What two services of the compose test's R1 (a broker killed under load) stopped on.
    assertThat(
            StreamsRuntime.transientBrokerCondition(
                new StreamsException(
                    "Error encountered trying to commit a transaction",
                    new InvalidTxnStateException(
                        "The producer attempted a transactional operation in an invalid state."))))
        .isTrue();
    assertThat(
            StreamsRuntime.transientBrokerCondition(
                new StreamsException(new TransactionAbortableException("abort and go on"))))
        .isTrue();
  }

  @Test
  void otherErrorsStopTheClient() {
    assertThat(
            StreamsRuntime.transientBrokerCondition(
                new StreamsException(new IllegalStateException("a bug"))))
        .isFalse();
    assertThat(
            StreamsRuntime.transientBrokerCondition(
                new StreamsException(new ProducerFencedException("another instance took over"))))
        .isFalse();
    assertThat(StreamsRuntime.transientBrokerCondition(new RuntimeException((String) null)))
        .isFalse();
  }

  @Test
  void aStreamThreadPollsNoLongerThanItsCommitIntervalOrItsShortestTimer() {
    // Kafka Streams' default, when both are longer.
    assertThat(StreamsRuntime.pollTime(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(100));
    assertThat(StreamsRuntime.pollTime(Duration.ofMillis(100), Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofMillis(100));
    // A shorter commit interval, then a shorter timer (the validators' linger), win.
    assertThat(StreamsRuntime.pollTime(Duration.ofMillis(25))).isEqualTo(Duration.ofMillis(25));
    assertThat(
            StreamsRuntime.pollTime(
                Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMillis(20)))
        .isEqualTo(Duration.ofMillis(20));
  }
}
