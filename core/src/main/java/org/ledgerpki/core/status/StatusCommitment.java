package org.ledgerpki.core.status;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.MalformedInputException;

/**
 * What a checkpoint commits to about certificate status, as one extension line of the log's C2SP
 * checkpoint: {@code ledger-pki-status <count> <base64 status-log root> <base64 status-map root>}.
 * The status log is an RFC 9162 tree over the encoded {@link StatusEvent}s in sequence order; the
 * status map is a {@link org.ledgerpki.core.smt.SparseMerkleTree} from certificate hash to its
 * latest event. Cosigners recompute both and refuse a checkpoint whose line differs. Ed25519 {@code
 * cosignature/v1} signatures cover extension lines; ML-DSA-44 {@code subtree/v1} ones do not, so
 * status claims rest on the Ed25519 cosignatures.
 */
public record StatusCommitment(long count, byte[] logRoot, byte[] mapRoot) {
  public static final String PREFIX = "ledger-pki-status ";

  public StatusCommitment {
    if (count < 0 || logRoot.length != 32 || mapRoot.length != 32) {
      throw new IllegalArgumentException("bad status commitment");
    }
    logRoot = logRoot.clone();
    mapRoot = mapRoot.clone();
  }

  @Override
  public byte[] logRoot() {
    return logRoot.clone();
  }

  @Override
  public byte[] mapRoot() {
    return mapRoot.clone();
  }

  public String extensionLine() {
    Base64.Encoder b = Base64.getEncoder();
    return PREFIX + count + " " + b.encodeToString(logRoot) + " " + b.encodeToString(mapRoot);
  }

  /** The commitment among a checkpoint's extension lines, if there is one. */
  public static Optional<StatusCommitment> find(List<String> extensions)
      throws MalformedInputException {
    for (String line : extensions) {
      if (line.startsWith(PREFIX)) {
        String[] f = line.substring(PREFIX.length()).split(" ");
        try {
          if (f.length != 3 || (f[0].length() > 1 && f[0].startsWith("0"))) {
            throw new IllegalArgumentException("three fields expected");
          }
          return Optional.of(
              new StatusCommitment(
                  Long.parseLong(f[0]),
                  Base64.getDecoder().decode(f[1]),
                  Base64.getDecoder().decode(f[2])));
        } catch (IllegalArgumentException e) {
          throw new MalformedInputException(
              "checkpoint extension line '"
                  + line
                  + "' is not a status commitment: "
                  + e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusCommitment c
        && c.count == count
        && Arrays.equals(c.logRoot, logRoot)
        && Arrays.equals(c.mapRoot, mapRoot);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Arrays.hashCode(mapRoot);
  }
}
