package org.ledgerpki.streams.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of a Streams service's byte-keyed state stores: the log origin (uint16 length and UTF-8),
 * then a table tag, then fixed-width big-endian fields. Non-negative numbers compare as unsigned
 * bytes the way they compare as numbers, so a store's key order is (origin, tag, fields...) and a
 * range scan over one origin and tag walks its fields in increasing order.
 */
public final class StoreKeys {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private StoreKeys() {}

  /** A key that starts with {@code origin} and table {@code tag}. */
  public static StoreKeys of(String origin, int tag) {
    byte[] o = origin.getBytes(StandardCharsets.UTF_8);
    if (o.length > 0xffff) {
      throw new IllegalArgumentException("origin of " + o.length + " bytes is too long");
    }
    StoreKeys k = new StoreKeys();
    k.out.write(o.length >>> 8);
    k.out.write(o.length);
    k.out.writeBytes(o);
    k.out.write(tag);
    return k;
  }

  /** Requires {@code 0 <= v} (negative numbers would sort after the positive ones). */
  public StoreKeys u64(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("key field " + v + " is negative");
    }
    out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
    return this;
  }

  /** Appends one byte, the low 8 bits of {@code v}. */
  public StoreKeys u8(int v) {
    out.write(v);
    return this;
  }

  /** Fixed-width bytes (a hash). */
  public StoreKeys raw(byte[] v) {
    out.writeBytes(v);
    return this;
  }

  /** A string with a uint16 length. */
  public StoreKeys string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >>> 8);
    out.write(b.length);
    out.writeBytes(b);
    return this;
  }

  /** The key built so far. */
  public Bytes build() {
    return Bytes.wrap(out.toByteArray());
  }

  /** The 8-byte big-endian field at {@code offset} of {@code key}. */
  public static long u64At(Bytes key, int offset) {
    return ByteBuffer.wrap(key.get(), offset, 8).getLong();
  }
}
