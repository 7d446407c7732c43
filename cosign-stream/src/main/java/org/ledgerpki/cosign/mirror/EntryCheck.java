package org.ledgerpki.cosign.mirror;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.core.quorum.Readmission;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;

/**
 * What a cosigner checks of each ledger entry before it vouches for it: the entry is the MTC
 * encoding of the certificate it carries, its evidence holds a quorum of valid endorsements of its
 * own submission, and the log may take it (not a second copy of an entry, not on a blocked key).
 *
 * <ul>
 *   <li>The entry decodes as an MTCLogEntry; index 0 is a {@code null_entry} without certificate,
 *       every other index a {@code tbs_cert_entry}.
 *   <li>A {@code tbs_cert_entry} carries its certificate, whose SHA-256 is {@code
 *       certificateSha256}, and the entry bytes are exactly the MTC encoding of that certificate
 *       for the policy's CA ({@code TbsCertificateLogEntry.fromSubmittedCertificate}, no
 *       extensions).
 *   <li>It names its submission ({@code submissionId}) and its owner ({@code submitter}), and the
 *       evidence holds ENDORSE verdicts on exactly that submission (same id, submitter, operation
 *       ISSUE and certificate hash) from at least {@code k} distinct VALIDATOR members, each batch
 *       signature verifying under that member's endorsement keys: the rule of {@link
 *       EndorsementQuorum}. Verdicts on other submissions (foreign evidence) do not count, so the
 *       sequencer can neither name another owner nor combine endorsements of several submissions.
 *   <li>The entry is not identical to an earlier one, and its key is not blocked by an earlier
 *       revocation: the rule of {@link Readmission}, on what the {@link MirrorIndex} holds.
 * </ul>
 *
 * <p>Thread-safe if the {@link BatchVerifier} is (it is).
 */
final class EntryCheck {
  private final TrustPolicy policy;
  private final BatchVerifier verifier;

  EntryCheck(TrustPolicy policy, BatchVerifier verifier) {
    this.policy = policy;
    this.verifier = verifier;
  }

  /**
   * Checks {@code entry}, the next entry of the mirror, against what the mirror holds before it.
   *
   * @return empty if the entry may be vouched for, otherwise why not
   */
  Optional<Fault> check(LedgerEntry entry, MirrorIndex mirror) {
    long index = entry.getIndex();
    byte[] bytes = Evidence.bytes(entry.getEntry());
    MtcLogEntry decoded;
    try {
      decoded = MtcLogEntry.decode(bytes);
    } catch (MalformedInputException e) {
      return fail("the entry is not an MTCLogEntry: " + e.getMessage());
    }
    byte[] cert = Evidence.bytes(entry.getCertificate());
    if (index == 0) {
      if (decoded.type() != MtcLogEntry.Type.NULL_ENTRY) {
        return fail("index 0 must be a null_entry, found " + decoded.type());
      }
      if (cert != null) {
        return fail("the null_entry at index 0 carries a certificate");
      }
      return Optional.empty();
    }
    if (decoded.type() != MtcLogEntry.Type.TBS_CERT_ENTRY) {
      return fail("only index 0 may be a null_entry, found one at index " + index);
    }
    if (cert == null) {
      return fail("the tbs_cert_entry carries no certificate");
    }
    byte[] hash = Sha256.hash(cert);
    byte[] claimed = Evidence.bytes(entry.getCertificateSha256());
    if (!Arrays.equals(hash, claimed)) {
      return fail(
          "certificateSha256 is "
              + (claimed == null ? "missing" : Hex.encode(claimed))
              + ", the certificate's SHA-256 is "
              + Hex.encode(hash));
    }
    TbsCertificateLogEntry tbs;
    byte[] expected;
    try {
      tbs = TbsCertificateLogEntry.fromSubmittedCertificate(cert, policy.log().caId());
      expected = tbs.toMtcLogEntry(List.of()).encode();
    } catch (MalformedInputException | IllegalArgumentException e) {
      return fail("the certificate has no MTC encoding: " + e.getMessage());
    }
    if (!Arrays.equals(expected, bytes)) {
      return fail(
          "the entry is not the MTC encoding of its certificate: "
              + bytes.length
              + " bytes with leaf hash "
              + Hex.encode(Rfc9162.leafHash(bytes))
              + ", expected "
              + expected.length
              + " bytes with leaf hash "
              + Hex.encode(Rfc9162.leafHash(expected)));
    }
    String submissionId = entry.getSubmissionId();
    String owner = entry.getSubmitter();
    if (submissionId == null || owner == null) {
      return fail("the entry names no submission or no owner (submitter)");
    }
    Optional<Fault> evidence = checkEvidence(entry.getEvidence(), submissionId, owner, hash);
    if (evidence.isPresent()) {
      return evidence;
    }
    OptionalLong earlier = mirror.indexOfLeaf(Rfc9162.leafHash(bytes));
    byte[] key = tbs.subjectPublicKeyInfoHash();
    Optional<Readmission.Refused> refused =
        Readmission.check(
            earlier,
            mirror.compromise(key),
            mirror.otherRevocation(key),
            owner,
            Readmission.KeyReuse.of(policy));
    return refused.map(
        r ->
            new Fault(
                switch (r.refusal()) {
                  case ENTRY_ALREADY_IN_LOG -> Fault.ENTRY_ALREADY_IN_LOG;
                  case KEY_COMPROMISED -> Fault.KEY_COMPROMISED;
                  case KEY_REUSE_REFUSED -> Fault.KEY_REUSE_REFUSED;
                },
                r.detail()));
  }

  /**
   * Records {@code entry} (mirrored at its index, whether or not it passed) in {@code mirror}: if
   * it passed ({@code passed} not null), its leaf hash with its certificate, key and owner in one
   * record; otherwise its leaf hash and its certificate's key for later revocations.
   */
  void remember(LedgerEntry entry, MirrorIndex mirror, MirrorIndex.Passed passed) {
    byte[] bytes = Evidence.bytes(entry.getEntry());
    byte[] leaf = Rfc9162.leafHash(bytes == null ? new byte[0] : bytes);
    if (passed != null) {
      mirror.putPassedEntry(leaf, entry.getIndex(), passed);
      return;
    }
    byte[] cert = Evidence.bytes(entry.getCertificate());
    byte[] key = null;
    if (cert != null) {
      try {
        key =
            TbsCertificateLogEntry.fromSubmittedCertificate(cert, policy.log().caId())
                .subjectPublicKeyInfoHash();
      } catch (MalformedInputException | IllegalArgumentException e) {
        key = null; // tainted already; it has no key to block
      }
    }
    mirror.putEntry(leaf, entry.getIndex(), key == null ? null : Sha256.hash(cert), key);
  }

  private Optional<Fault> checkEvidence(
      List<Endorsement> evidence, String submissionId, String owner, byte[] certHash) {
    List<EndorsementQuorum.Verdict<Endorsement>> verdicts = new ArrayList<>(evidence.size());
    for (Endorsement e : evidence) {
      verdicts.add(
          EndorsementQuorum.Verdict.check(
              policy, verifier, Evidence.statement(e), Evidence.evidence(e.getSignature()), e));
    }
    EndorsementQuorum.Tally<Endorsement> t =
        EndorsementQuorum.decide(
            policy,
            new EndorsementQuorum.Subject(submissionId, "ISSUE", owner, certHash),
            verdicts);
    if (t.standing() == EndorsementQuorum.Standing.MET) {
      return Optional.empty();
    }
    return Optional.of(new Fault(Fault.NO_QUORUM, "no endorsement quorum: " + t.shortfall()));
  }

  private static Optional<Fault> fail(String reason) {
    return Optional.of(Fault.invalid(reason));
  }
}
