package org.ledgerpki.core.status;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ledgerpki.core.MalformedInputException;

/**
 * An accepted lifecycle event of one certificate, as sequenced into the status log and stored as
 * the certificate's value in the status map. Its encoding is the status map's value and the status
 * log's leaf (docs/status.md):
 *
 * <pre>
 * "ledger-pki status v1\n"
 * uint64 sequence        // 0, 1, 2, … per log
 * opaque certificateSha256[32]
 * uint8  state           // 0 GOOD, 1 SUSPENDED, 2 REVOKED
 * uint8  operation       // 0 REVOKE, 1 SUSPEND, 2 RESUME, 3 RENEW
 * uint8  reasonCode      // RFC 5280 CRLReason, 255 if none
 * uint64 effectiveAt     // epoch milliseconds
 * opaque supersededBy<0..32>   // RENEW: SHA-256 of the new certificate
 * </pre>
 */
public record StatusEvent(
    long sequence,
    byte[] certificateSha256,
    CertificateState state,
    Lifecycle.Operation operation,
    Integer reasonCode,
    long effectiveAtMillis,
    byte[] supersededBy) {

  private static final byte[] LABEL = "ledger-pki status v1\n".getBytes(StandardCharsets.US_ASCII);

  public StatusEvent {
    if (certificateSha256 == null || certificateSha256.length != 32) {
      throw new IllegalArgumentException("certificateSha256 must be 32 bytes");
    }
    if (supersededBy != null && supersededBy.length != 32) {
      throw new IllegalArgumentException("supersededBy must be 32 bytes");
    }
    certificateSha256 = certificateSha256.clone();
    supersededBy = supersededBy == null ? null : supersededBy.clone();
  }

  @Override
  public byte[] certificateSha256() {
    return certificateSha256.clone();
  }

  @Override
  public byte[] supersededBy() {
    return supersededBy == null ? null : supersededBy.clone();
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96);
    out.writeBytes(LABEL);
    out.writeBytes(ByteBuffer.allocate(8).putLong(sequence).array());
    out.writeBytes(certificateSha256);
    out.write(state.ordinal());
    out.write(operation.ordinal());
    out.write(reasonCode == null ? 255 : reasonCode);
    out.writeBytes(ByteBuffer.allocate(8).putLong(effectiveAtMillis).array());
    out.write(supersededBy == null ? 0 : 32);
    if (supersededBy != null) {
      out.writeBytes(supersededBy);
    }
    return out.toByteArray();
  }

  public static StatusEvent decode(byte[] b) throws MalformedInputException {
    int fixed = LABEL.length + 8 + 32 + 3 + 8 + 1;
    if (b.length != fixed && b.length != fixed + 32
        || !Arrays.equals(Arrays.copyOf(b, LABEL.length), LABEL)) {
      throw new MalformedInputException(
          "not a ledger-pki status v1 event (" + b.length + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(b, LABEL.length, b.length - LABEL.length);
    long seq = in.getLong();
    byte[] cert = new byte[32];
    in.get(cert);
    int state = in.get() & 0xff;
    int op = in.get() & 0xff;
    int reason = in.get() & 0xff;
    long at = in.getLong();
    int n = in.get() & 0xff;
    if (state >= CertificateState.values().length
        || op >= Lifecycle.Operation.values().length
        || (n != 0 && n != 32)
        || in.remaining() != n
        || (reason != 255 && !Lifecycle.isReasonCode(reason))) {
      throw new MalformedInputException("status event: bad state, operation, reason or length");
    }
    byte[] sup = null;
    if (n == 32) {
      sup = new byte[32];
      in.get(sup);
    }
    return new StatusEvent(
        seq,
        cert,
        CertificateState.values()[state],
        Lifecycle.Operation.values()[op],
        reason == 255 ? null : reason,
        at,
        sup);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusEvent e && Arrays.equals(e.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }
}
