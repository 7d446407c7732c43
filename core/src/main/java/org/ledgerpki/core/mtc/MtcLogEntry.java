package org.ledgerpki.core.mtc;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Rfc9162;

/**
 * An entry of an MTC issuance log (draft-ietf-plants-merkle-tree-certs, "Log Entries", the
 * plants-04+ layout): the leaf of the log's Merkle tree.
 *
 * <pre>
 * struct {
 *     MTCLogEntryExtension extensions&lt;0..2^16-1&gt;;
 *     MTCLogEntryType type;               // uint16: null_entry(0), tbs_cert_entry(1)
 *     select (type) {
 *        case null_entry: Empty;
 *        case tbs_cert_entry: opaque tbs_cert_entry_data[N];  // the rest of the input
 *     }
 * } MTCLogEntry;
 * </pre>
 *
 * <p>{@code tbs_cert_entry_data} is the DER contents octets of a {@link TbsCertificateLogEntry}. An
 * encoded entry is at most {@value #MAX_SIZE} bytes. Immutable.
 */
public final class MtcLogEntry {
  /** The largest encoded entry the draft allows, in bytes. */
  public static final int MAX_SIZE = 65535;

  /** MTCLogEntryType. */
  public enum Type {
    /** An entry that represents no information; index 0 of every log holds one. */
    NULL_ENTRY(0),
    /** An entry that holds a {@link TbsCertificateLogEntry}. */
    TBS_CERT_ENTRY(1);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    /** The uint16 value on the wire. */
    public int code() {
      return code;
    }
  }

  /**
   * MTCLogEntryExtension: {@code uint16 extension_type; opaque extension_data<0..2^16-1>}. No
   * extension types are defined yet; any type is carried as given.
   *
   * @param type the extension type, 0 to 65535
   * @param data the extension data, at most 65535 bytes (copied)
   */
  public record Extension(int type, byte[] data) {
    /**
     * Requires {@code 0 <= type <= 65535} and {@code data} of at most 65535 bytes.
     *
     * @throws IllegalArgumentException otherwise
     */
    public Extension {
      if (type < 0 || type > 0xffff) {
        throw new IllegalArgumentException("extension type must be in 0..65535, got " + type);
      }
      Objects.requireNonNull(data, "data");
      if (data.length > 0xffff) {
        throw new IllegalArgumentException(
            "extension " + type + " has " + data.length + " bytes of data, at most 65535 allowed");
      }
      data = data.clone();
    }

    /** A copy of the data. */
    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Extension e && e.type == type && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Extension[type=" + type + ", data=" + Hex.encode(data) + "]";
    }
  }

  private static final MtcLogEntry NULL = new MtcLogEntry(List.of(), Type.NULL_ENTRY, null);

  private final List<Extension> extensions;
  private final Type type;
  private final TbsCertificateLogEntry tbs;
  private final byte[] encoded;

  private MtcLogEntry(List<Extension> extensions, Type type, TbsCertificateLogEntry tbs) {
    this.extensions = extensions;
    this.type = type;
    this.tbs = tbs;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(encodeExtensions(extensions));
    Tls.writeUint(out, type.code(), 2);
    if (tbs != null) {
      out.writeBytes(tbs.contentsOctets());
    }
    if (out.size() > MAX_SIZE) {
      throw new IllegalArgumentException(
          "the MTCLogEntry would have " + out.size() + " bytes, at most " + MAX_SIZE + " allowed");
    }
    this.encoded = out.toByteArray();
  }

  /** The {@code null_entry} without extensions: {@code 00000000}. */
  public static MtcLogEntry nullEntry() {
    return NULL;
  }

  /**
   * A {@code null_entry} with {@code extensions}. Requires extension types in strictly ascending
   * order.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static MtcLogEntry nullEntry(List<Extension> extensions) {
    return new MtcLogEntry(checkedCopy(extensions), Type.NULL_ENTRY, null);
  }

  /**
   * A {@code tbs_cert_entry} holding {@code entry}. Requires extension types in strictly ascending
   * order and an encoding of at most {@value #MAX_SIZE} bytes.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static MtcLogEntry tbsCertEntry(List<Extension> extensions, TbsCertificateLogEntry entry) {
    Objects.requireNonNull(entry, "entry");
    return new MtcLogEntry(checkedCopy(extensions), Type.TBS_CERT_ENTRY, entry);
  }

  /**
   * Decodes an MTCLogEntry whose total length is {@code encoded.length}.
   *
   * @throws MalformedInputException if it is longer than {@value #MAX_SIZE} bytes, truncated, has
   *     unsorted or duplicate extensions, an unknown type, bytes after a {@code null_entry}, or
   *     {@code tbs_cert_entry_data} that is not a DER TBSCertificateLogEntry
   */
  public static MtcLogEntry decode(byte[] encoded) throws MalformedInputException {
    if (encoded.length > MAX_SIZE) {
      throw new MalformedInputException(
          "MTCLogEntry has " + encoded.length + " bytes, at most " + MAX_SIZE + " allowed");
    }
    Tls.Reader r = new Tls.Reader(encoded, 0, encoded.length, "MTCLogEntry");
    List<Extension> extensions = decodeExtensions(r, "MTCLogEntry");
    int code = (int) r.uint(2, "type");
    MtcLogEntry entry;
    switch (code) {
      case 0 -> {
        r.expectEnd();
        entry = extensions.isEmpty() ? NULL : new MtcLogEntry(extensions, Type.NULL_ENTRY, null);
      }
      case 1 -> {
        int from = r.position();
        TbsCertificateLogEntry tbs =
            TbsCertificateLogEntry.fromContentsOctets(
                Arrays.copyOfRange(encoded, from, encoded.length));
        entry = new MtcLogEntry(extensions, Type.TBS_CERT_ENTRY, tbs);
      }
      default -> throw new MalformedInputException("MTCLogEntry: unknown type " + code);
    }
    return entry;
  }

  /** The encoding (a copy). */
  public byte[] encode() {
    return encoded.clone();
  }

  /** The Merkle leaf hash of this entry: {@code SHA-256(0x00 || encode())}. */
  public byte[] entryHash() {
    return Rfc9162.leafHash(encoded);
  }

  public Type type() {
    return type;
  }

  /** The extensions, in ascending type order (unmodifiable). */
  public List<Extension> extensions() {
    return extensions;
  }

  /** The TBSCertificateLogEntry of a {@code tbs_cert_entry}; empty for a {@code null_entry}. */
  public Optional<TbsCertificateLogEntry> tbsCertificateLogEntry() {
    return Optional.ofNullable(tbs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MtcLogEntry e && Arrays.equals(e.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "MtcLogEntry[" + type + ", " + encoded.length + " bytes]";
  }

  // ---- the extensions vector, shared with MTCProof ----------------------------------------------

  /**
   * Encodes {@code extensions<0..2^16-1>}. Requires types in strictly ascending order and a total
   * of at most 65535 bytes.
   *
   * @throws IllegalArgumentException otherwise
   */
  static byte[] encodeExtensions(List<Extension> extensions) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Extension e : extensions) {
      Tls.writeUint(body, e.type(), 2);
      Tls.writeVector(body, e.data, 2, "extension_data");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Tls.writeVector(out, body.toByteArray(), 2, "extensions");
    return out.toByteArray();
  }

  /** The empty extensions vector, {@code 0000}. */
  static final byte[] NO_EXTENSIONS = {0, 0};

  /**
   * Decodes {@code extensions<0..2^16-1>} at the cursor.
   *
   * @throws MalformedInputException if truncated, or if types are not strictly ascending
   */
  static List<Extension> decodeExtensions(Tls.Reader r, String what)
      throws MalformedInputException {
    int from = r.vector(2, "extensions");
    int to = r.position();
    if (from == to) {
      return List.of();
    }
    Tls.Reader er = new Tls.Reader(r.buffer(), from, to, what + " extensions");
    List<Extension> out = new ArrayList<>();
    int previous = -1;
    while (er.remaining() > 0) {
      int type = (int) er.uint(2, "extension_type");
      int at = er.vector(2, "extension_data");
      if (type <= previous) {
        throw er.fail(
            type == previous
                ? "duplicate extension type " + type
                : "extension type " + type + " follows " + previous + " (must be ascending)");
      }
      previous = type;
      out.add(new Extension(type, Arrays.copyOfRange(r.buffer(), at, er.position())));
    }
    return Collections.unmodifiableList(out);
  }

  private static List<Extension> checkedCopy(List<Extension> extensions) {
    List<Extension> copy = List.copyOf(extensions);
    for (int i = 1; i < copy.size(); i++) {
      if (copy.get(i).type() <= copy.get(i - 1).type()) {
        throw new IllegalArgumentException(
            "extension types must be strictly ascending, got "
                + copy.get(i - 1).type()
                + " then "
                + copy.get(i).type());
      }
    }
    return copy;
  }
}
