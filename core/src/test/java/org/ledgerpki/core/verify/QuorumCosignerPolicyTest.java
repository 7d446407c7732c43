package org.ledgerpki.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.MtcVerificationException;
import org.ledgerpki.core.mtc.MtcVerifier;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;

/** A standalone MTC certificate, cosigned with ML-DSA-44 by consortium members, end to end. */
class QuorumCosignerPolicyTest {
  private static final TestConsortium TC = TestConsortium.get();

  private static byte[] standalone(TestPki.Vendor v, List<String> cosigners, boolean tamperOne)
      throws Exception {
    TestLog log = new TestLog();
    for (int i = 0; i < 5; i++) {
      log.add(TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "x" + i, 60 + i).der());
    }
    long index = log.add(v.der());
    long end = log.tree().size();
    byte[] hash = log.tree().subtreeHash(0, end);
    List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
    for (String id : cosigners) {
      MemberKeys m = TC.member(id);
      byte[] sig = m.mlDsaCosigner().signSubtree(log.origin(), 0, end, hash);
      if (tamperOne && sigs.isEmpty()) {
        sig[10] ^= 1;
      }
      sigs.add(MtcProof.SubtreeSignature.of(m.trustAnchorId(), sig));
    }
    sigs.sort(
        Comparator.comparing((MtcProof.SubtreeSignature s) -> s.cosignerId().length)
            .thenComparing(s -> s.cosignerId(), java.util.Arrays::compareUnsigned));
    MtcProof proof =
        new MtcProof(List.of(), 0, end, log.tree().subtreeInclusionProof(index, 0, end), sigs);
    TbsCertificateLogEntry entry =
        TbsCertificateLogEntry.fromSubmittedCertificate(v.der(), TestConsortium.CA_ID);
    return MtcCertificate.assemble(
        entry, List.of(), v.certificate().getPublicKey().getEncoded(), 1, index, proof);
  }

  private static MtcVerifier verifier() throws Exception {
    return MtcVerifier.builder(TestConsortium.CA_ID)
        .cosignerPolicy(new QuorumCosignerPolicy(TrustBundle.fromPolicy(TC.policy())))
        .build();
  }

  @Test
  void twoOfThreeMlDsaCosignaturesAdmitAStandaloneCertificate() throws Exception {
    TestPki.Vendor v = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org vendor-a", "amf");
    MtcVerifier.Verified ok =
        verifier().verify(standalone(v, List.of("operator-b", "operator-c"), false));
    assertThat(ok.index()).isEqualTo(6);
    assertThat(ok.trustedBy()).isEqualTo(MtcVerifier.TrustedBy.COSIGNERS);
  }

  @Test
  void oneValidCosignatureIsNotEnough() throws Exception {
    TestPki.Vendor v = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "smf");
    assertThatThrownBy(() -> verifier().verify(standalone(v, List.of("operator-b"), false)))
        .isInstanceOf(MtcVerificationException.class)
        .hasMessageContaining("requires 2");
    assertThatThrownBy(
            () -> verifier().verify(standalone(v, List.of("operator-b", "operator-c"), true)))
        .isInstanceOf(MtcVerificationException.class)
        .hasMessageContaining("1 valid cosignature(s)");
  }
}
