package org.ledgerpki.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;

class BatchSignerTest {
  private static final KeyPair KEY = Keys.generate(SignatureAlgorithm.ED25519);

  private static EndorsementStatement statement(int i, String verdict) {
    return new EndorsementStatement(
        "sub-" + i,
        "ISSUE",
        "vendor-a",
        Sha256.hash(new byte[] {(byte) i}),
        "operator-b",
        verdict,
        verdict.equals("REJECT")
            ? List.of(new EndorsementStatement.Reason("ORGANIZATION_MISMATCH", "O=x"))
            : List.of(),
        1_700_000_000_000L + i);
  }

  private static List<byte[]> encoded(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(statement(i, i % 3 == 0 ? "REJECT" : "ENDORSE").encode());
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 64, 257})
  void everyStatementOfABatchVerifies(int n) {
    BatchSigner signer = new BatchSigner("operator-b", KEY.getPrivate(), KEY.getPublic());
    List<byte[]> statements = encoded(n);
    List<BatchEvidence> evidence = signer.sign(EndorsementStatement.KIND, statements);
    assertThat(evidence).hasSize(n);
    assertThat(evidence)
        .extracting(BatchEvidence::signature)
        .allSatisfy(s -> assertThat(s).isEqualTo(evidence.get(0).signature()));
    BatchVerifier verifier = new BatchVerifier();
    for (int i = 0; i < n; i++) {
      int j = i;
      assertThatCode(
              () ->
                  verifier.verify(
                      EndorsementStatement.KIND,
                      statements.get(j),
                      evidence.get(j),
                      "operator-b",
                      List.of(KEY.getPublic())))
          .doesNotThrowAnyException();
    }
    assertThat(evidence.get(0).proof()).hasSize(n == 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1));
  }

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"ED25519", "ECDSA_P256", "ML_DSA_44"})
  void worksWithEveryMemberKeyAlgorithm(SignatureAlgorithm alg) throws Exception {
    KeyPair kp = Keys.generate(alg);
    List<byte[]> statements = encoded(5);
    List<BatchEvidence> ev =
        new BatchSigner("vendor-a", kp.getPrivate(), kp.getPublic())
            .sign(SubmissionStatement.KIND, statements);
    new BatchVerifier()
        .verify(
            SubmissionStatement.KIND,
            statements.get(4),
            ev.get(4),
            "vendor-a",
            List.of(kp.getPublic()));
  }

  @Test
  void aChangedStatementIsRejected() {
    List<byte[]> statements = encoded(8);
    List<BatchEvidence> ev =
        new BatchSigner("operator-b", KEY.getPrivate(), KEY.getPublic())
            .sign(EndorsementStatement.KIND, statements);
    // The verdict of statement 1 flipped from ENDORSE to REJECT.
    byte[] forged = statement(1, "REJECT").encode();
    assertThatThrownBy(
            () ->
                new BatchVerifier()
                    .verify(
                        EndorsementStatement.KIND,
                        forged,
                        ev.get(1),
                        "operator-b",
                        List.of(KEY.getPublic())))
        .isInstanceOf(EvidenceException.class)
        .hasMessageContaining("does not verify over batch root");
  }

  @Test
  void evidenceCannotMoveToAnotherSignerKindKeyOrPosition() {
    List<byte[]> statements = encoded(4);
    List<BatchEvidence> ev =
        new BatchSigner("operator-b", KEY.getPrivate(), KEY.getPublic())
            .sign(EndorsementStatement.KIND, statements);
    BatchVerifier v = new BatchVerifier();
    List<PublicKey> keys = List.of(KEY.getPublic());
    assertThatThrownBy(
            () ->
                v.verify(
                    EndorsementStatement.KIND, statements.get(0), ev.get(0), "operator-c", keys))
        .hasMessageContaining("signed by 'operator-b', expected 'operator-c'");
    assertThatThrownBy(
            () ->
                v.verify(
                    SubmissionStatement.KIND, statements.get(0), ev.get(0), "operator-b", keys))
        .isInstanceOf(EvidenceException.class);
    assertThatThrownBy(
            () ->
                v.verify(
                    EndorsementStatement.KIND,
                    statements.get(0),
                    ev.get(0),
                    "operator-b",
                    List.of(Keys.generate(SignatureAlgorithm.ED25519).getPublic())))
        .hasMessageContaining("is not a endorsement key of 'operator-b'");
    assertThatThrownBy(
            () ->
                v.verify(
                    EndorsementStatement.KIND, statements.get(0), ev.get(1), "operator-b", keys))
        .isInstanceOf(EvidenceException.class);
    BatchEvidence e = ev.get(2);
    List<byte[]> proof = new ArrayList<>(e.proof());
    proof.set(0, proof.get(0).clone());
    proof.get(0)[0] ^= 1;
    BatchEvidence tampered =
        new BatchEvidence(
            e.signer(), e.keyId(), e.batchSize(), e.leafIndex(), proof, e.signature());
    assertThatThrownBy(
            () ->
                v.verify(
                    EndorsementStatement.KIND, statements.get(2), tampered, "operator-b", keys))
        .isInstanceOf(EvidenceException.class);
    BatchEvidence wrongSize =
        new BatchEvidence(e.signer(), e.keyId(), 9, e.leafIndex(), e.proof(), e.signature());
    assertThatThrownBy(
            () ->
                v.verify(
                    EndorsementStatement.KIND, statements.get(2), wrongSize, "operator-b", keys))
        .isInstanceOf(EvidenceException.class)
        .hasMessageContaining("inclusion proof is invalid");
  }

  @Test
  void statementEncodingsAreDistinctAndCoverEveryField() {
    SubmissionStatement a = new SubmissionStatement("s", "ISSUE", "v", new byte[32], null, null, 1);
    assertThat(a.encode())
        .isNotEqualTo(
            new SubmissionStatement("s", "ISSUE", "v", new byte[32], null, 0, 1).encode());
    assertThat(a.encode())
        .isNotEqualTo(
            new SubmissionStatement("s", "ISSUE", "v", null, new byte[32], null, 1).encode());
    assertThat(a.encode())
        .isNotEqualTo(
            new SubmissionStatement("s", "ISSUE", "v", new byte[32], null, null, 2).encode());
    assertThat(new String(a.encode(), 0, 25, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("ledger-pki submission v1\n");
    assertThat(statement(1, "ENDORSE").encode()).isNotEqualTo(statement(1, "REJECT").encode());
  }
}
