package org.ledgerpki.schemas;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The framing of every ledger record value, compatible with Confluent Schema Registry: a magic byte
 * {@code 0x00}, the schema id as a 4-byte big-endian integer, then the Avro binary encoding of the
 * value under that schema. Standard Kafka tooling reads it with the id the registry's
 * Confluent-compatible API serves ({@code /apis/ccompat/v7/schemas/ids/{id}}).
 */
public final class WireFormat {

  /** The first byte of every framed value. */
  public static final byte MAGIC_BYTE = 0x00;

  /** Length of the header before the Avro body: the magic byte and the 4-byte schema id. */
  public static final int HEADER_LENGTH = 5;

  private WireFormat() {}

  /**
   * Reads the schema id of a framed value.
   *
   * @param payload a record value as it is stored on the topic
   * @return the schema id (as the registry numbers it; Apicurio's content id)
   * @throws SerializationException if the payload is shorter than the header or does not start with
   *     the magic byte (the message says which, and what was found)
   */
  public static int schemaId(byte[] payload) {
    if (payload.length < HEADER_LENGTH) {
      throw new SerializationException(
          "not a framed Avro value: "
              + payload.length
              + " bytes, fewer than the "
              + HEADER_LENGTH
              + "-byte header (magic byte 0x00 and 4-byte schema id)");
    }
    if (payload[0] != MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "not a framed Avro value: first byte is 0x%02x, expected the magic byte 0x00",
              payload[0] & 0xff));
    }
    return ByteBuffer.wrap(payload, 1, 4).getInt();
  }
}
