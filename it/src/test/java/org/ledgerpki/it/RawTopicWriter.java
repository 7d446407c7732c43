package org.ledgerpki.it;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ledgerpki.schemas.Topic;

/**
 * Writes records straight onto the ledger's topics, as a party with write access to a topic would
 * (a hostile member, a dishonest sequencer, a test playing a service): encoded by the topic's value
 * serde (the registry's wire format) or as raw bytes that no serde would produce. Each write waits
 * for its acknowledgement ({@code acks=all}), so a test can look for the streams' reaction right
 * after it.
 */
final class RawTopicWriter implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;

  RawTopicWriter(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Writes {@code value}, encoded as {@code topic}'s serde encodes it, under {@code key}. */
  <V> void send(Topic<String, V> topic, String key, V value) {
    sendBytes(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
  }

  /** Writes {@code value} as it is under {@code key}. */
  void sendBytes(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("writing to " + topic + " failed", e.getCause());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
