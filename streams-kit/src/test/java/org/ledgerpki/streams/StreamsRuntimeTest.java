package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.ProducerFencedException;
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
}
