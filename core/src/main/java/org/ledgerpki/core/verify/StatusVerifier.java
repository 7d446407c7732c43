package org.ledgerpki.core.verify;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.merkle.Proofs;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;

/**
 * The relying party's offline check of an inquiry node's answer: nothing in the answer is trusted
 * until it is verified against the trust bundle. For a GOOD answer it checks that the checkpoint is
 * signed by a trusted log and a quorum of cosigners, that the entry is included at the index in
 * that checkpoint's tree, that the entry is the MTC log entry of the certificate the relying party
 * holds, and that the answer is fresh. Thread-safe.
 */
public final class StatusVerifier {
  private final CheckpointVerifier checkpoints;
  private final Duration grace;

  /**
   * @param grace how long past {@code nextUpdate} an answer is still accepted
   */
  public StatusVerifier(TrustBundle bundle, Duration grace) throws MalformedInputException {
    this.checkpoints = new CheckpointVerifier(bundle);
    this.grace = grace;
  }

  /**
   * A verified answer.
   *
   * @param status the status the proofs support
   * @param checkpoint the verified cosigned checkpoint
   * @param boundToCertificate whether the entry was checked against the certificate itself (false
   *     when only its hash was known)
   */
  public record Verified(
      String status,
      String origin,
      long index,
      VerifiedCheckpoint checkpoint,
      boolean boundToCertificate,
      StatusEvent event,
      Instant producedAt,
      Instant nextUpdate,
      List<String> notes) {}

  /**
   * Verifies a GOOD (or REVOKED/SUSPENDED: same inclusion checks) answer.
   *
   * @param certificateDer the certificate the relying party holds, or null if it only has the hash
   * @param now the relying party's clock
   * @throws VerificationException naming the first check that failed, with expected and found
   */
  public Verified verify(StatusAnswer a, byte[] certificateDer, Instant now)
      throws MalformedInputException, VerificationException {
    List<String> notes = new ArrayList<>();
    if (certificateDer != null) {
      String expected = Hex.encode(Sha256.hash(certificateDer));
      if (!expected.equals(a.certificateSha256())) {
        throw new VerificationException(
            "the answer is about certificate " + a.certificateSha256() + ", expected " + expected);
      }
    }
    if (a.checkpoint() == null
        || a.entry() == null
        || a.index() == null
        || a.inclusionProof() == null) {
      throw new VerificationException(
          "a " + a.status() + " answer must carry entry, index, inclusionProof and checkpoint");
    }
    VerifiedCheckpoint cp = checkpoints.verify(a.checkpoint());
    String origin = cp.checkpoint().origin();
    if (!origin.equals(a.log())) {
      throw new VerificationException(
          "the answer names log '" + a.log() + "' but its checkpoint is of '" + origin + "'");
    }
    long index = a.index();
    long size = cp.checkpoint().size();
    if (index < 0 || index >= size) {
      throw new VerificationException(
          "index " + index + " is not covered by the checkpoint of size " + size);
    }
    byte[] entry = base64(a.entry(), "entry");
    List<byte[]> proof = new ArrayList<>();
    for (int i = 0; i < a.inclusionProof().size(); i++) {
      proof.add(base64(a.inclusionProof().get(i), "inclusionProof[" + i + "]"));
    }
    Proofs.verifyInclusion(index, size, Rfc9162.leafHash(entry), proof, cp.checkpoint().rootHash());
    boolean bound = false;
    if (certificateDer != null) {
      byte[] expectedEntry =
          TbsCertificateLogEntry.fromSubmittedCertificate(certificateDer, caIdOf(origin))
              .toMtcLogEntry(MtcLogEntry.decode(entry).extensions())
              .encode();
      if (!Arrays.equals(expectedEntry, entry)) {
        throw new VerificationException(
            "the entry at index "
                + index
                + " is not the MTC log entry of this certificate: expected "
                + Hex.encode(Rfc9162.leafHash(expectedEntry))
                + ", found leaf "
                + Hex.encode(Rfc9162.leafHash(entry)));
      }
      bound = true;
    } else {
      notes.add(
          "only the certificate hash was given: the entry is proven in the log but not tied to that hash");
    }
    StatusEvent event = verifyStatus(a, cp);
    Instant produced = time(a.producedAt(), "producedAt");
    Instant next = time(a.nextUpdate(), "nextUpdate");
    if (now.isAfter(next.plus(grace))) {
      throw new VerificationException(
          "stale answer: nextUpdate " + next + " (+ grace " + grace + ") is before now " + now);
    }
    if (now.isAfter(next)) {
      notes.add("answer is past nextUpdate " + next + " but within the grace period of " + grace);
    }
    return new Verified(
        a.status(), origin, index, cp, bound, event, produced, next, List.copyOf(notes));
  }

  /**
   * Checks the answer's status against the status map the checkpoint commits to: the proof leads to
   * the committed map root, enough cosigners signed the checkpoint body that carries it, and the
   * proven state is the claimed one.
   *
   * @return the certificate's latest lifecycle event, or null if it has none
   */
  private StatusEvent verifyStatus(StatusAnswer a, VerifiedCheckpoint cp)
      throws MalformedInputException, VerificationException {
    StatusCommitment sc =
        StatusCommitment.find(cp.checkpoint().extensions())
            .orElseThrow(
                () ->
                    new VerificationException(
                        "the checkpoint commits to no certificate status (no ledger-pki-status line)"));
    int quorum = checkpoints.bundle().cosignerQuorum();
    if (cp.bodyCosigners().size() < quorum) {
      throw new VerificationException(
          "the status commitment is covered by the cosignature/v1 signatures of "
              + cp.bodyCosigners().size()
              + " cosigner(s) "
              + cp.bodyCosigners()
              + "; the trust bundle requires "
              + quorum);
    }
    StatusAnswer.StatusProof p = a.statusProof();
    if (p == null || p.bitmap() == null || p.siblings() == null) {
      throw new VerificationException("a " + a.status() + " answer must carry a statusProof");
    }
    if (p.count() != sc.count()) {
      throw new VerificationException(
          "the status proof is for "
              + p.count()
              + " events, the checkpoint commits to "
              + sc.count());
    }
    byte[] value = p.event() == null ? null : base64(p.event(), "statusProof.event");
    List<byte[]> siblings = new ArrayList<>();
    for (int i = 0; i < p.siblings().size(); i++) {
      siblings.add(base64(p.siblings().get(i), "statusProof.siblings[" + i + "]"));
    }
    byte[] key;
    try {
      key = Hex.decode(a.certificateSha256());
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("answer field certificateSha256 is not hex");
    }
    new SmtProof(base64(p.bitmap(), "statusProof.bitmap"), siblings)
        .verify(sc.mapRoot(), key, value);
    StatusEvent event = value == null ? null : StatusEvent.decode(value);
    if (event != null && !Arrays.equals(event.certificateSha256(), key)) {
      throw new VerificationException("the status event is about another certificate");
    }
    CertificateState proven = event == null ? CertificateState.GOOD : event.state();
    if (!proven.name().equals(a.status())) {
      throw new VerificationException(
          "the answer says "
              + a.status()
              + " but the status map proves "
              + proven
              + (event != null
                  ? " (event " + event.sequence() + ", " + event.operation() + ")"
                  : ""));
    }
    return event;
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

  private static byte[] base64(String s, String field) throws MalformedInputException {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("answer field " + field + " is not base64");
    }
  }

  private static Instant time(String s, String field) throws MalformedInputException {
    if (s == null) {
      throw new MalformedInputException("answer field " + field + " is missing");
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new MalformedInputException("answer field " + field + " is not an RFC 3339 time: " + s);
    }
  }
}
