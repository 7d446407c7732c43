package org.ledgerpki.streams.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary encoding of the values a Streams service keeps in its own state stores: big-endian
 * integers, byte strings and UTF-8 strings with a 32-bit length ({@code -1} for null). State is
 * private to the service and rebuilt from the changelog or the ledger topics, so the encoding
 * carries no schema; each value type starts with its own format byte.
 */
public final class Codec {
  private Codec() {}

  /** Appends values to a growing byte array. Not thread-safe. */
  public static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    /** Appends one byte, the low 8 bits of {@code v}. */
    public Writer u8(int v) {
      try {
        out.writeByte(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Appends 1 for true, 0 for false. */
    public Writer bool(boolean v) {
      return u8(v ? 1 : 0);
    }

    /** Appends 8 bytes, big-endian. */
    public Writer i64(long v) {
      try {
        out.writeLong(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** A byte string, or null. */
    public Writer bytes(byte[] v) {
      try {
        if (v == null) {
          out.writeInt(-1);
        } else {
          out.writeInt(v.length);
          out.write(v);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** A string (UTF-8), or null. */
    public Writer string(String v) {
      return bytes(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends the count (as {@link #i64}), then each string. */
    public Writer strings(List<String> v) {
      i64(v.size());
      for (String s : v) {
        string(s);
      }
      return this;
    }

    /** What was appended so far. */
    public byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }

  /**
   * Reads what a {@link Writer} wrote. A value that does not parse is a corrupt state store: it
   * throws {@link IllegalStateException}, which stops the task rather than silently forgetting.
   */
  public static final class Reader {
    private final ByteBuffer in;
    private final String what;

    /** Reads {@code bytes}; {@code what} names the value in a corruption message. */
    public Reader(byte[] bytes, String what) {
      this.in = ByteBuffer.wrap(bytes);
      this.what = what;
    }

    /** The next byte, unsigned. */
    public int u8() {
      try {
        return in.get() & 0xff;
      } catch (BufferUnderflowException e) {
        throw corrupt("truncated");
      }
    }

    /** The next byte, as written by {@link Writer#bool}. */
    public boolean bool() {
      return u8() != 0;
    }

    /** The next 8 bytes, big-endian. */
    public long i64() {
      try {
        return in.getLong();
      } catch (BufferUnderflowException e) {
        throw corrupt("truncated");
      }
    }

    /** The next byte string, or null. */
    public byte[] bytes() {
      int n;
      try {
        n = in.getInt();
      } catch (BufferUnderflowException e) {
        throw corrupt("truncated");
      }
      if (n == -1) {
        return null;
      }
      if (n < 0 || n > in.remaining()) {
        throw corrupt("length " + n + " with " + in.remaining() + " bytes left");
      }
      byte[] b = new byte[n];
      in.get(b);
      return b;
    }

    /** The next string, or null. */
    public String string() {
      byte[] b = bytes();
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** The next list of strings. */
    public List<String> strings() {
      long n = i64();
      if (n < 0 || n > in.remaining()) {
        throw corrupt("list of " + n + " strings with " + in.remaining() + " bytes left");
      }
      List<String> out = new ArrayList<>((int) n);
      for (long i = 0; i < n; i++) {
        out.add(string());
      }
      return out;
    }

    /** Requires the format byte {@code expected} next. */
    public Reader format(int expected) {
      int f = u8();
      if (f != expected) {
        throw corrupt("format byte " + f + ", expected " + expected);
      }
      return this;
    }

    /** Requires that every byte was read. */
    public void end() {
      if (in.hasRemaining()) {
        throw corrupt(in.remaining() + " trailing bytes");
      }
    }

    private IllegalStateException corrupt(String detail) {
      return new IllegalStateException("corrupt " + what + " in a state store: " + detail);
    }
  }
}
