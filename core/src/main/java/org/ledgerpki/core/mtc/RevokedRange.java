package org.ledgerpki.core.mtc;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * A half-open range {@code [start, end)} of revoked MTC serial numbers (draft, "Revoked Ranges"). A
 * serial is {@code (log_number << 48) | index}, so a range can revoke entries of one log or whole
 * logs.
 *
 * @param start the first revoked serial, {@code 0 <= start}
 * @param end one past the last revoked serial, {@code start <= end <= 2^64}
 */
public record RevokedRange(BigInteger start, BigInteger end) {
  /** 2^64, one past the largest serial. */
  public static final BigInteger SERIAL_LIMIT = BigInteger.ONE.shiftLeft(64);

  /**
   * Requires {@code 0 <= start <= end <= 2^64}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public RevokedRange {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.signum() < 0 || start.compareTo(end) > 0 || end.compareTo(SERIAL_LIMIT) > 0) {
      throw new IllegalArgumentException(
          "a revoked range needs 0 <= start <= end <= 2^64, got ["
              + start.toString(16)
              + ", "
              + end.toString(16)
              + ") (hex)");
    }
  }

  /** {@code [start, end)} for {@code 0 <= start <= end} given as {@code long}s. */
  public static RevokedRange of(long start, long end) {
    return new RevokedRange(BigInteger.valueOf(start), BigInteger.valueOf(end));
  }

  /** Entries {@code [fromIndex, toIndex)} of log {@code logNumber}. */
  public static RevokedRange entries(int logNumber, long fromIndex, long toIndex) {
    if (logNumber < 1 || logNumber > MtcCertificate.MAX_LOG_NUMBER) {
      throw new IllegalArgumentException("log number must be in 1..65535, got " + logNumber);
    }
    if (fromIndex < 0 || toIndex < fromIndex || toIndex > MtcCertificate.MAX_INDEX + 1) {
      throw new IllegalArgumentException(
          "entries need 0 <= from <= to <= 2^48, got [" + fromIndex + ", " + toIndex + ")");
    }
    BigInteger base = BigInteger.valueOf(logNumber).shiftLeft(48);
    return new RevokedRange(
        base.add(BigInteger.valueOf(fromIndex)), base.add(BigInteger.valueOf(toIndex)));
  }

  /**
   * The ranges a CA certificate's {@code minSerial} and {@code maxSerial} imply (draft, "Relying
   * Party Configuration"): {@code [0, minSerial)} and {@code [maxSerial + 1, 2^64)}. Requires
   * {@code 0 <= minSerial} and {@code maxSerial < 2^64}.
   */
  public static List<RevokedRange> outside(BigInteger minSerial, BigInteger maxSerial) {
    return List.of(
        new RevokedRange(BigInteger.ZERO, minSerial),
        new RevokedRange(maxSerial.add(BigInteger.ONE).max(BigInteger.ZERO), SERIAL_LIMIT));
  }

  /** Whether {@code serial}, read as unsigned 64-bit, is in the range. */
  public boolean contains(long serial) {
    BigInteger s = new BigInteger(Long.toUnsignedString(serial));
    return start.compareTo(s) <= 0 && s.compareTo(end) < 0;
  }

  /** {@code [0x…, 0x…)} with 16 hex digits (17 for 2^64). */
  @Override
  public String toString() {
    return "[" + hex(start) + ", " + hex(end) + ")";
  }

  static String hex(BigInteger v) {
    String h = v.toString(16);
    return "0x" + "0".repeat(Math.max(0, 16 - h.length())) + h;
  }
}
