package org.ledgerpki.core.tlog;

import java.nio.charset.StandardCharsets;

/**
 * The Ed25519 {@code cosignature/v1} format of C2SP tlog-cosignature (signature type 0x04). The
 * signed message is {@code "cosignature/v1\ntime <timestamp>\n"} followed by the whole checkpoint
 * body, extension lines included. The key ID is SHA-256(name || 0x0A || 0x04 || 32-byte public
 * key)[:4]; the signature line carries the key ID, the uint64 big-endian timestamp and the 64-byte
 * Ed25519 signature. The message does not name the cosigner, so one key must serve one cosigner.
 */
public final class CosignatureV1 {
  /** The header line, without its newline. */
  public static final String HEADER = "cosignature/v1";

  /** Size of the signature after the key ID: 8-byte timestamp and 64-byte Ed25519 signature. */
  public static final int SIGNATURE_SIZE = 8 + 64;

  private CosignatureV1() {}

  /**
   * Returns the message that a cosigner signs for {@code checkpointBody} at {@code timestamp}.
   *
   * @param checkpointBody the checkpoint note text, with its final newline
   * @param timestamp POSIX seconds; requires {@code timestamp >= 0}
   */
  public static byte[] message(byte[] checkpointBody, long timestamp) {
    Cosignatures.requireTimestamp(timestamp);
    byte[] head = (HEADER + "\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
    return Cosignatures.concat(head, checkpointBody);
  }

  /** As {@link #message(byte[], long)} for a body given as a string (encoded as UTF-8). */
  public static byte[] message(String checkpointBody, long timestamp) {
    return message(checkpointBody.getBytes(StandardCharsets.UTF_8), timestamp);
  }
}
