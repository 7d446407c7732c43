package org.ledgerpki.core.status;

import java.util.Arrays;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;

/**
 * The identity of a certificate's log entry as certificate status knows it: the RFC 9162 leaf hash
 * of its MTCLogEntry (the status map key) and the entry's subjectPublicKeyInfoHash (the key whose
 * compromise revokes every entry of it). Two encodings of one certificate (another serial, an ECDSA
 * (r, n−s) signature) have one entry and so one identity.
 */
public record EntryId(byte[] leafHash, byte[] spkiHash) {

  /**
   * @throws IllegalArgumentException if a hash is not 32 bytes
   */
  public EntryId {
    if (leafHash == null || leafHash.length != 32 || spkiHash == null || spkiHash.length != 32) {
      throw new IllegalArgumentException("an entry id is two 32-byte hashes");
    }
    leafHash = leafHash.clone();
    spkiHash = spkiHash.clone();
  }

  /**
   * The identity of an encoded MTCLogEntry.
   *
   * @throws MalformedInputException if it is not a {@code tbs_cert_entry}
   */
  public static EntryId of(byte[] mtcLogEntry) throws MalformedInputException {
    MtcLogEntry e = MtcLogEntry.decode(mtcLogEntry);
    byte[] spki =
        e.tbsCertificateLogEntry()
            .orElseThrow(
                () -> new MalformedInputException("a null_entry has no certificate status"))
            .subjectPublicKeyInfoHash();
    return new EntryId(Rfc9162.leafHash(mtcLogEntry), spki);
  }

  /**
   * The identity of the entry a log with CA ID {@code caId} appends for the submitted certificate
   * {@code certDer}: its MTC encoding with no extensions, as the issuance stream writes it and the
   * cosigners require of every entry.
   *
   * @throws MalformedInputException if {@code certDer} is not a DER Certificate
   * @throws IllegalArgumentException if {@code caId} is not a trust anchor ID
   */
  public static EntryId ofCertificate(byte[] certDer, String caId) throws MalformedInputException {
    TbsCertificateLogEntry tbs = TbsCertificateLogEntry.fromSubmittedCertificate(certDer, caId);
    return new EntryId(
        Rfc9162.leafHash(tbs.toMtcLogEntry(java.util.List.of()).encode()),
        tbs.subjectPublicKeyInfoHash());
  }

  @Override
  public byte[] leafHash() {
    return leafHash.clone();
  }

  @Override
  public byte[] spkiHash() {
    return spkiHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EntryId i
        && Arrays.equals(i.leafHash, leafHash)
        && Arrays.equals(i.spkiHash, spkiHash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(leafHash);
  }

  @Override
  public String toString() {
    return "entry " + Hex.encode(leafHash) + " (key " + Hex.encode(spkiHash) + ")";
  }
}
