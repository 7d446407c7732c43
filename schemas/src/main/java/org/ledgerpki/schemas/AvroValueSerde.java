package org.ledgerpki.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serde of one generated Avro class: Apicurio's Avro serializer (one per topic) and
 * deserializer, configured by {@link LedgerSerdes}, behind a typed front that turns every failure
 * into a {@link SerializationException} naming the topic and the fault. One instance serves any
 * number of topics and threads.
 *
 * <p>{@link #configure} and {@link #close}, and those of its serializer and deserializer, are
 * no-ops: the instance is configured at construction and is shared, and its resources belong to the
 * {@code LedgerSerdes} (a Kafka client closes the serializers it is given when it closes).
 */
final class AvroValueSerde<T extends SpecificRecord> implements Serde<T> {

  private final Class<T> type;
  private final Supplier<Map<String, Object>> config;
  private final ConcurrentMap<String, AvroKafkaSerializer<T>> serializers =
      new ConcurrentHashMap<>();
  private final AvroKafkaDeserializer<T> deserializer;
  private final Serializer<T> typedSerializer = new TypedSerializer();
  private final Deserializer<T> typedDeserializer = new TypedDeserializer();

  /**
   * @param type the generated class
   * @param config makes a fresh Apicurio configuration for each serializer or deserializer
   */
  AvroValueSerde(Class<T> type, Supplier<Map<String, Object>> config) {
    this.type = Objects.requireNonNull(type, "type");
    this.config = Objects.requireNonNull(config, "config");
    deserializer = new AvroKafkaDeserializer<>();
    deserializer.configure(config.get(), false);
  }

  /**
   * The Apicurio serializer for {@code topic}. One per topic: Apicurio's serializer remembers the
   * schemas it registered by content alone, so a single instance would register a schema under the
   * subject of the first topic it writes to and never under the next topic's subject.
   */
  private AvroKafkaSerializer<T> serializerFor(String topic) {
    return serializers.computeIfAbsent(
        topic,
        t -> {
          AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
          serializer.configure(config.get(), false);
          return serializer;
        });
  }

  @Override
  public Serializer<T> serializer() {
    return typedSerializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return typedDeserializer;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Configured at construction.
  }

  @Override
  public void close() {
    // Owned by LedgerSerdes.
  }

  @Override
  public String toString() {
    return "AvroValueSerde[" + type.getName() + "]";
  }

  private final class TypedSerializer implements Serializer<T> {
    @Override
    public byte[] serialize(String topic, T data) {
      return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
      if (data == null) {
        return null;
      }
      try {
        return serializerFor(topic).serialize(topic, headers, data);
      } catch (SerializationException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new SerializationException(
            "cannot serialize " + type.getSimpleName() + " for topic " + topic + ": " + e, e);
      }
    }
  }

  private final class TypedDeserializer implements Deserializer<T> {
    @Override
    public T deserialize(String topic, byte[] data) {
      return deserialize(topic, null, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
      if (data == null) {
        return null;
      }
      // Check the framing first, so that the common faults get a precise message.
      int schemaId = WireFormat.schemaId(data);
      Object value;
      try {
        value = deserializer.deserialize(topic, headers, data);
      } catch (RuntimeException e) {
        throw new SerializationException(
            "cannot deserialize "
                + type.getSimpleName()
                + " from topic "
                + topic
                + " (schema id "
                + schemaId
                + ", "
                + data.length
                + " bytes): "
                + e,
            e);
      }
      if (!type.isInstance(value)) {
        throw new SerializationException(
            "topic "
                + topic
                + " holds a "
                + (value == null ? "null" : value.getClass().getName())
                + " (schema id "
                + schemaId
                + ") where a "
                + type.getName()
                + " was expected");
      }
      return type.cast(value);
    }
  }
}
