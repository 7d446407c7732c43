package org.ledgerpki.core.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.merkle.ProofException;
import org.ledgerpki.core.merkle.Proofs;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.smt.SmtProofException;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;

/**
 * The relying party's offline check of an inquiry node's answer: nothing in the answer is trusted
 * until it is verified against the trust bundle (docs/status.md, "What a relying party checks").
 *
 * <ol>
 *   <li>The checkpoint is signed by a trusted log and a quorum of trusted cosigners.
 *   <li><b>Freshness from signed time only</b>: at least {@code cosignerQuorum} trusted cosigners'
 *       {@code cosignature/v1} timestamps on it lie within the bundle's {@code maxAgeSeconds} of
 *       the relying party's clock (and no more than the clock-skew allowance ahead of it); a bundle
 *       whose {@code statusCosignatures} is {@code ed25519+ml-dsa-44} requires as many fresh
 *       ML-DSA-44 status cosignatures (ADR 0010). The answer's {@code producedAt} and {@code
 *       nextUpdate} are hints and are not relied on.
 *   <li>The entry is included at the index in that checkpoint's tree, and it is the MTC log entry
 *       of the certificate the relying party holds; when it only holds the hash, the answer must
 *       carry the certificate, whose hash must be the one asked.
 *   <li>The status is derived from the proven entry, never from a hash the node supplies: the
 *       status map is read at the entry's leaf hash and at its subject public key's compromised-key
 *       key, and both proofs must lead to the map root the checkpoint's status line commits to.
 * </ol>
 *
 * Thread-safe.
 */
public final class StatusVerifier {
  private final CheckpointVerifier checkpoints;
  private final Duration maxClockSkew;

  /**
   * @param maxClockSkew how far in the future of the relying party's clock a cosignature timestamp
   *     may be (the cosigners' and the relying party's clocks differ); requires non-negative
   */
  public StatusVerifier(TrustBundle bundle, Duration maxClockSkew) throws MalformedInputException {
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxClockSkew must not be negative");
    }
    this.checkpoints = new CheckpointVerifier(bundle);
    this.maxClockSkew = maxClockSkew;
  }

  public TrustBundle bundle() {
    return checkpoints.bundle();
  }

  /**
   * A verified answer.
   *
   * @param status the status the proofs support: GOOD, SUSPENDED or REVOKED
   * @param checkpoint the verified cosigned checkpoint
   * @param entryHash the RFC 9162 leaf hash of the proven entry (the status map key)
   * @param ledgerCertificateSha256 hex SHA-256 of the certificate the ledger holds for that entry
   *     (the answer's {@code certificateSha256}); another encoding of the same entry may be the one
   *     the relying party holds
   * @param event the entry's latest lifecycle event, or null if it has none
   * @param compromise the event that reported the entry's key compromised (through this entry or
   *     another one of the same key), or null if none did; when set, the status is REVOKED
   * @param signedAt the freshness the cosigners vouch for: the {@code cosignerQuorum}-th newest of
   *     the fresh cosignature timestamps
   */
  public record Verified(
      String status,
      String origin,
      long index,
      VerifiedCheckpoint checkpoint,
      byte[] entryHash,
      String ledgerCertificateSha256,
      StatusEvent event,
      StatusEvent compromise,
      Instant signedAt,
      List<String> notes) {

    /** The event that decides the status: the key's compromise report first, then the entry's. */
    public StatusEvent decidingEvent() {
      return compromise != null ? compromise : event;
    }
  }

  /**
   * Verifies an answer for a certificate the relying party holds.
   *
   * @param certificateDer the certificate the relying party holds (any encoding of the entry)
   * @param now the relying party's clock
   * @throws MalformedInputException if the answer is not well-formed (a field missing or not of its
   *     encoding)
   * @throws VerificationException naming the first check that failed, with expected and found
   */
  public Verified verify(StatusAnswer a, byte[] certificateDer, Instant now)
      throws MalformedInputException, VerificationException {
    return verify(a, certificateDer, now, null);
  }

  /**
   * As {@link #verify(StatusAnswer, byte[], Instant)}, for a relying party that holds checkpoints:
   * an answer that carries its checkpoint adds it to {@code held}; one that names a checkpoint
   * without carrying it (ADR 0009) is checked against the one {@code held} has under that name.
   *
   * @param held the checkpoints the relying party holds, or null if it holds none
   */
  public Verified verify(StatusAnswer a, byte[] certificateDer, Instant now, HeldCheckpoints held)
      throws MalformedInputException, VerificationException {
    if (certificateDer == null) {
      throw new IllegalArgumentException("certificateDer is required; use verifyByHash");
    }
    List<String> notes = new ArrayList<>();
    String heldCertificate = Hex.encode(Sha256.hash(certificateDer));
    if (!heldCertificate.equals(a.certificateSha256())) {
      notes.add(
          "the ledger holds another encoding of this certificate's entry (SHA-256 "
              + a.certificateSha256()
              + "); status is a property of the entry");
    }
    return verifyEntry(a, certificateDer, now, notes, held);
  }

  /**
   * Verifies an answer to a query by H(CERT) alone: the answer must carry the certificate, whose
   * SHA-256 must be {@code askedSha256}; the entry is then bound to that certificate.
   *
   * @param askedSha256 the 32-byte hash the relying party asked about
   */
  public Verified verifyByHash(StatusAnswer a, byte[] askedSha256, Instant now)
      throws MalformedInputException, VerificationException {
    return verifyByHash(a, askedSha256, now, null);
  }

  /**
   * As {@link #verifyByHash(StatusAnswer, byte[], Instant)}, with the checkpoints the relying party
   * holds (see {@link #verify(StatusAnswer, byte[], Instant, HeldCheckpoints)}).
   */
  public Verified verifyByHash(
      StatusAnswer a, byte[] askedSha256, Instant now, HeldCheckpoints held)
      throws MalformedInputException, VerificationException {
    if (askedSha256 == null || askedSha256.length != 32) {
      throw new IllegalArgumentException("askedSha256 must be 32 bytes");
    }
    if (a.certificate() == null) {
      throw new VerificationException(
          "the answer to a query by hash carries no certificate, so the entry cannot be tied to the"
              + " hash asked");
    }
    byte[] der = base64(a.certificate(), "certificate");
    byte[] found = Sha256.hash(der);
    if (!Arrays.equals(found, askedSha256)) {
      throw new VerificationException(
          "the answer carries a certificate whose SHA-256 is "
              + Hex.encode(found)
              + ", not the hash asked "
              + Hex.encode(askedSha256));
    }
    return verifyEntry(a, der, now, new ArrayList<>(), held);
  }

  private Verified verifyEntry(
      StatusAnswer a, byte[] certificateDer, Instant now, List<String> notes, HeldCheckpoints held)
      throws MalformedInputException, VerificationException {
    if (a.status() == null
        || (a.checkpoint() == null && a.checkpointSha256() == null)
        || a.entry() == null
        || a.index() == null
        || a.inclusionProof() == null) {
      throw new MalformedInputException(
          "a "
              + a.status()
              + " answer must carry status, entry, index, inclusionProof and checkpoint (or name"
              + " one the relying party holds)");
    }
    VerifiedCheckpoint cp = checkpointOf(a, held);
    String origin = cp.checkpoint().origin();
    if (!origin.equals(a.log())) {
      throw new VerificationException(
          "the answer names log '" + a.log() + "' but its checkpoint is of '" + origin + "'");
    }
    Instant signedAt = checkFresh(cp, now);
    long index = a.index();
    long size = cp.checkpoint().size();
    if (index < 1 || index >= size) {
      throw new VerificationException(
          "index " + index + " is not a certificate entry of the checkpoint of size " + size);
    }
    byte[] entry = base64(a.entry(), "entry");
    List<byte[]> proof = hashes(a.inclusionProof(), "inclusionProof");
    byte[] leaf = Rfc9162.leafHash(entry);
    try {
      Proofs.verifyInclusion(index, size, leaf, proof, cp.checkpoint().rootHash());
    } catch (ProofException e) {
      throw new VerificationException(
          "the entry's inclusion proof at index " + index + " fails: " + e.getMessage(), e);
    }
    MtcLogEntry decoded = MtcLogEntry.decode(entry);
    TbsCertificateLogEntry tbs =
        decoded
            .tbsCertificateLogEntry()
            .orElseThrow(
                () ->
                    new VerificationException(
                        "the entry at index " + index + " is not a tbs_cert_entry"));
    byte[] expectedEntry =
        TbsCertificateLogEntry.fromSubmittedCertificate(certificateDer, caIdOf(origin))
            .toMtcLogEntry(decoded.extensions())
            .encode();
    if (!Arrays.equals(expectedEntry, entry)) {
      throw new VerificationException(
          "the entry at index "
              + index
              + " is not the MTC log entry of this certificate: expected leaf "
              + Hex.encode(Rfc9162.leafHash(expectedEntry))
              + ", found leaf "
              + Hex.encode(leaf));
    }
    byte[] spki = tbs.subjectPublicKeyInfoHash();
    StatusEvent[] events = verifyStatus(a, cp, leaf, spki);
    StatusEvent event = events[0];
    StatusEvent compromise = events[1];
    CertificateState proven =
        compromise != null
            ? CertificateState.REVOKED
            : event == null ? CertificateState.GOOD : event.state();
    if (!proven.name().equals(a.status())) {
      throw new VerificationException(
          "the answer says "
              + a.status()
              + " but the status map proves "
              + proven
              + (compromise != null
                  ? " (the key was reported compromised by event " + compromise.sequence() + ")"
                  : event != null
                      ? " (event " + event.sequence() + ", " + event.operation() + ")"
                      : ""));
    }
    if (compromise != null && !Arrays.equals(compromise.entryHash(), leaf)) {
      notes.add(
          "REVOKED because its key was reported compromised (keyCompromise) by status event "
              + compromise.sequence()
              + ", which revoked the entry with leaf hash "
              + Hex.encode(compromise.entryHash())
              + " (certificate "
              + Hex.encode(compromise.certificateSha256())
              + ")");
    }
    return new Verified(
        proven.name(),
        origin,
        index,
        cp,
        leaf,
        a.certificateSha256(),
        event,
        compromise,
        signedAt,
        List.copyOf(notes));
  }

  /**
   * The verified checkpoint the answer's proofs are to hold against: the one it carries (verified
   * now, and then held), or, if it carries none, the one the relying party holds under the name the
   * answer gives. A carried note must be the checkpoint the answer names.
   */
  private VerifiedCheckpoint checkpointOf(StatusAnswer a, HeldCheckpoints held)
      throws MalformedInputException, VerificationException {
    if (held != null && !held.bundle().sameTrust(bundle())) {
      throw new IllegalArgumentException(
          "the held checkpoints were verified against another trust bundle than this verifier's");
    }
    if (a.checkpoint() == null) {
      if (held == null) {
        throw new VerificationException(
            "the answer leaves out its checkpoint "
                + a.checkpointSha256()
                + " and this relying party holds no checkpoints; ask without X-Checkpoint-Held");
      }
      return held.get(a.checkpointSha256())
          .orElseThrow(
              () ->
                  new VerificationException(
                      "the answer leaves out its checkpoint "
                          + a.checkpointSha256()
                          + ", which this relying party does not hold; fetch it or ask without"
                          + " X-Checkpoint-Held"));
    }
    VerifiedCheckpoint cp =
        held == null ? checkpoints.verify(a.checkpoint()) : held.hold(a.checkpoint());
    if (a.checkpointSha256() != null) {
      String carried = StatusCheckpoints.sha256(a.checkpoint());
      if (!carried.equals(a.checkpointSha256())) {
        throw new VerificationException(
            "the answer names checkpoint "
                + a.checkpointSha256()
                + " but carries checkpoint "
                + carried);
      }
    }
    return cp;
  }

  /**
   * Signed freshness: at least the quorum of trusted cosigners vouch for a recent time, in every
   * form the bundle requires ({@link SignedFreshness}).
   */
  private Instant checkFresh(VerifiedCheckpoint cp, Instant now) throws VerificationException {
    return SignedFreshness.check(cp, checkpoints.bundle(), now, maxClockSkew);
  }

  /**
   * Checks the answer's status proofs against the status map the checkpoint commits to, at the keys
   * derived from the proven entry.
   *
   * @return the entry's latest event (or null) and the key's compromise report (or null)
   */
  private StatusEvent[] verifyStatus(
      StatusAnswer a, VerifiedCheckpoint cp, byte[] entryHash, byte[] spkiHash)
      throws MalformedInputException, VerificationException {
    StatusCommitment sc =
        StatusCommitment.find(cp.checkpoint().extensions())
            .orElseThrow(
                () ->
                    new VerificationException(
                        "the checkpoint commits to no certificate status (no ledger-pki-status"
                            + " line)"));
    StatusAnswer.StatusProof p = a.statusProof();
    if (p == null
        || p.bitmap() == null
        || p.siblings() == null
        || p.keyBitmap() == null
        || p.keySiblings() == null) {
      throw new MalformedInputException(
          "a " + a.status() + " answer must carry a statusProof with entry and key proofs");
    }
    if (p.count() != sc.count()) {
      throw new VerificationException(
          "the status proof is for "
              + p.count()
              + " events, the checkpoint commits to "
              + sc.count());
    }
    byte[] value = p.event() == null ? null : base64(p.event(), "statusProof.event");
    verifyMapProof(
        sc, StatusLog.entryKey(entryHash), value, p.bitmap(), p.siblings(), "statusProof", "entry");
    StatusEvent event = value == null ? null : StatusEvent.decode(value);
    if (event != null) {
      if (!Arrays.equals(event.entryHash(), entryHash)) {
        throw new VerificationException("the status event is about another entry");
      }
      if (!Arrays.equals(event.spkiHash(), spkiHash)) {
        throw new VerificationException("the status event names another key than the entry's");
      }
    }
    byte[] keyValue = p.keyEvent() == null ? null : base64(p.keyEvent(), "statusProof.keyEvent");
    verifyMapProof(
        sc,
        StatusLog.compromisedKeyKey(spkiHash),
        keyValue,
        p.keyBitmap(),
        p.keySiblings(),
        "statusProof.key",
        "compromised-key");
    StatusEvent compromise = keyValue == null ? null : StatusEvent.decode(keyValue);
    if (compromise != null
        && (!Arrays.equals(compromise.spkiHash(), spkiHash)
            || !compromise.reportsKeyCompromise())) {
      throw new VerificationException(
          "the compromised-key proof holds an event that is not a keyCompromise("
              + Lifecycle.REASON_KEY_COMPROMISE
              + ") revocation of this key");
    }
    return new StatusEvent[] {event, compromise};
  }

  private static void verifyMapProof(
      StatusCommitment sc,
      byte[] key,
      byte[] value,
      String bitmap,
      List<String> siblings,
      String field,
      String what)
      throws MalformedInputException, VerificationException {
    try {
      new SmtProof(base64(bitmap, field + "Bitmap"), hashes(siblings, field + "Siblings"))
          .verify(sc.mapRoot(), key, value);
    } catch (SmtProofException e) {
      throw new VerificationException(
          "the status map proof at the "
              + what
              + " key does not lead to the checkpoint's map root: "
              + e.getMessage(),
          e);
    }
  }

  /** The CA ID of a log origin {@code oid/1.3.6.1.4.1.<caId>.0.<n>}. */
  public static String caIdOf(String origin) throws VerificationException {
    if (!origin.startsWith(TrustAnchorId.NAME_PREFIX)) {
      throw new VerificationException("log origin '" + origin + "' is not an MTC log origin");
    }
    String id = origin.substring(TrustAnchorId.NAME_PREFIX.length());
    int cut = id.lastIndexOf(".0.");
    if (cut <= 0 || !TrustAnchorId.isValid(id)) {
      throw new VerificationException(
          "log origin '" + origin + "' is not of the form oid/1.3.6.1.4.1.<ca>.0.<log>");
    }
    return id.substring(0, cut);
  }

  private static List<byte[]> hashes(List<String> in, String field) throws MalformedInputException {
    List<byte[]> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      String s = in.get(i);
      if (s == null) {
        throw new MalformedInputException("answer field " + field + "[" + i + "] is null");
      }
      byte[] h = base64(s, field + "[" + i + "]");
      if (h.length != 32) {
        throw new MalformedInputException(
            "answer field " + field + "[" + i + "] is " + h.length + " bytes, not a 32-byte hash");
      }
      out.add(h);
    }
    return out;
  }

  private static byte[] base64(String s, String field) throws MalformedInputException {
    if (s == null) {
      throw new MalformedInputException("answer field " + field + " is missing");
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("answer field " + field + " is not base64");
    }
  }
}
