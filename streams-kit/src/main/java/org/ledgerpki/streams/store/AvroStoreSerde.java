package org.ledgerpki.streams.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of a state store that holds generated Avro records: a format byte, then plain Avro
 * binary in the class's own schema. State stores are private to this application, so they need no
 * schema registry: a restore never waits for one, and the changelog topics register no subjects.
 * Thread-safe (one reader and writer per thread).
 */
public final class AvroStoreSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {
  private static final byte FORMAT = 0x01;

  private final Class<T> type;
  private final ThreadLocal<SpecificDatumWriter<T>> writer;
  private final ThreadLocal<SpecificDatumReader<T>> reader;

  /** The serde of a store whose values are {@code type} records. */
  public AvroStoreSerde(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
    this.writer = ThreadLocal.withInitial(() -> new SpecificDatumWriter<>(type));
    this.reader = ThreadLocal.withInitial(() -> new SpecificDatumReader<>(type));
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(FORMAT);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      writer.get().write(data, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot write a " + type.getSimpleName() + " to store topic " + topic + ": " + e, e);
    }
    return out.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length == 0 || data[0] != FORMAT) {
      throw new SerializationException(
          "store topic "
              + topic
              + ": not a "
              + type.getSimpleName()
              + " in store format "
              + FORMAT);
    }
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
    try {
      return reader.get().read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "store topic " + topic + ": cannot read a " + type.getSimpleName() + ": " + e, e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Nothing to configure: the class's schema is the store's.
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
