package org.ledgerpki.core.merkle;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ledgerpki.core.Hex;

/** Input checks shared by the verifiers. Everything that fails here is a {@link ProofException}. */
final class Checks {
  private Checks() {}

  /**
   * Rejects a size or index that does not fit in a non-negative {@code long}. The wire formats
   * carry unsigned 64-bit values, so a negative {@code long} is a value of 2^63 or more; the
   * message prints it unsigned, as it was sent.
   */
  static void fits(String name, long value) throws ProofException {
    if (value < 0) {
      throw new ProofException(
          name
              + " "
              + Long.toUnsignedString(value)
              + " is too large: sizes and indices must be below 2^63");
    }
  }

  /** Rejects a hash that will be fed to the hasher but is not {@link Rfc9162#HASH_SIZE} long. */
  static void hash(String name, byte[] hash) throws ProofException {
    Objects.requireNonNull(hash, name);
    if (hash.length != Rfc9162.HASH_SIZE) {
      throw new ProofException(name + " has " + hash.length + " bytes, want " + Rfc9162.HASH_SIZE);
    }
  }

  /** Rejects a proof with a null or wrongly sized element. Requires {@code proof != null}. */
  static void proofElements(List<byte[]> proof) throws ProofException {
    Objects.requireNonNull(proof, "proof");
    for (int i = 0; i < proof.size(); i++) {
      byte[] p = proof.get(i);
      if (p == null || p.length != Rfc9162.HASH_SIZE) {
        throw new ProofException(
            "proof["
                + i
                + "] has "
                + (p == null ? "no value" : p.length + " bytes")
                + ", want "
                + Rfc9162.HASH_SIZE
                + " bytes");
      }
    }
  }

  /** Throws {@link RootMismatchException} unless {@code calculated} equals {@code expected}. */
  static void match(byte[] expected, byte[] calculated, String context)
      throws RootMismatchException {
    Objects.requireNonNull(expected, "expected root");
    if (!Arrays.equals(expected, calculated)) {
      throw new RootMismatchException(expected, calculated, context);
    }
  }

  /**
   * Rejects a given hash (not a calculated one) that must be {@code SHA-256("")}, the root of an
   * empty tree.
   */
  static void emptyRoot(String what, byte[] hash) throws ProofException {
    Objects.requireNonNull(hash, what);
    if (!Rfc9162.isEmptyRoot(hash)) {
      throw new ProofException(
          what
              + " "
              + Hex.encode(hash)
              + " is not the empty root "
              + Hex.encode(Rfc9162.emptyRoot()));
    }
  }

  /** The number of bits needed to write {@code x} (unsigned): BIT_WIDTH in the MTC draft. */
  static int bitWidth(long x) {
    return Long.SIZE - Long.numberOfLeadingZeros(x);
  }
}
