package org.ledgerpki.cosign;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.evidence.EvidenceException;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * What a cosigner checks of each ledger entry before it vouches for it: the entry is the MTC
 * encoding of the certificate it carries, and its evidence holds a quorum of valid endorsements.
 *
 * <ul>
 *   <li>The entry decodes as an MTCLogEntry; index 0 is a {@code null_entry} without certificate,
 *       every other index a {@code tbs_cert_entry}.
 *   <li>A {@code tbs_cert_entry} carries its certificate, whose SHA-256 is {@code
 *       certificateSha256}, and the entry bytes are exactly the MTC encoding of that certificate
 *       for the policy's CA ({@code TbsCertificateLogEntry.fromSubmittedCertificate}, no
 *       extensions).
 *   <li>The evidence holds ENDORSE verdicts on operation ISSUE of this certificate hash from at
 *       least {@code k} distinct VALIDATOR members, each batch signature verifying under that
 *       member's endorsement keys. Duplicates of one organisation count once; invalid verdicts are
 *       ignored (and named if the quorum is missed).
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
   * Checks {@code entry}.
   *
   * @return empty if the entry may be vouched for, otherwise why not
   */
  Optional<String> check(LedgerEntry entry) {
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
    byte[] expected;
    try {
      expected =
          TbsCertificateLogEntry.fromSubmittedCertificate(cert, policy.log().caId())
              .toMtcLogEntry(List.of())
              .encode();
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
    return checkEvidence(entry.getEvidence(), hash);
  }

  private Optional<String> checkEvidence(List<Endorsement> evidence, byte[] certHash) {
    Set<String> endorsers = new TreeSet<>();
    List<String> ignored = new ArrayList<>();
    for (Endorsement e : evidence) {
      String fault = fault(e, certHash);
      if (fault == null) {
        endorsers.add(e.getValidator());
      } else {
        ignored.add(e.getValidator() + ": " + fault);
      }
    }
    int k = policy.endorsementQuorum();
    if (endorsers.size() >= k) {
      return Optional.empty();
    }
    return fail(
        "no endorsement quorum: "
            + endorsers.size()
            + " valid endorsement(s) from distinct validators "
            + endorsers
            + ", the policy requires "
            + k
            + (ignored.isEmpty() ? "" : "; ignored " + ignored));
  }

  /** Why {@code e} does not count, or null if it does. */
  private String fault(Endorsement e, byte[] certHash) {
    TrustPolicy.Member m = policy.member(e.getValidator()).orElse(null);
    if (m == null) {
      return "not a member";
    }
    if (!m.has(Role.VALIDATOR)) {
      return "not a validator";
    }
    if (e.getVerdict() != Verdict.ENDORSE) {
      return "verdict " + e.getVerdict();
    }
    if (e.getOperation() != Operation.ISSUE) {
      return "operation " + e.getOperation() + ", not ISSUE";
    }
    if (!Arrays.equals(Evidence.bytes(e.getCertificateSha256()), certHash)) {
      return "endorses another certificate";
    }
    try {
      verifier.verify(
          EndorsementStatement.KIND,
          Evidence.statement(e).encode(),
          Evidence.evidence(e.getSignature()),
          e.getValidator(),
          m.endorsementKeys());
    } catch (EvidenceException | RuntimeException ex) {
      return ex.getMessage();
    }
    return null;
  }

  private static Optional<String> fail(String reason) {
    return Optional.of(reason);
  }
}
