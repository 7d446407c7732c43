package org.ledgerpki.core.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.NoteVerificationException;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.testkit.TestPki;

/**
 * ADR 0010: the ML-DSA-44 status cosignature over the whole checkpoint body. Its encoding is
 * pinned; a signature made for another body, or of another kind with the same key, does not verify.
 */
class StatusCosignatureTest {
  private static final long TS = 1679315147L;
  private static final String NAME = "oid/1.3.6.1.4.1.32473.3";
  private static final String STATUS_0 =
      "ledger-pki-status 0 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
          + " YVUokTCJOHI1XqyYBC0irvosLnCL6haUAnYOO1X5otw=";
  private static final String STATUS_1 =
      "ledger-pki-status 1 YTXIMEb1kG6O3JM4uD81i6oPksopg/sMU5ubINR7efQ="
          + " jegwL3UouEZAuslce+L6EmDVfyWgFdkLJVqnBVeaonM=";
  private static final Checkpoint CP = checkpoint(STATUS_0);
  private static final KeyPair ML = TestPki.keyPair(SignatureAlgorithm.ML_DSA_44, 7);
  private static final MlDsaCosigner COSIGNER = new MlDsaCosigner(NAME, ML.getPrivate());

  private static Checkpoint checkpoint(String statusLine) {
    return new Checkpoint(
        "example.com/behind-the-sofa",
        20852163,
        Base64.getDecoder().decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="),
        List.of(statusLine));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void knownAnswerPinsTheSignedMessageAndTheKeyId() {
    byte[] message = StatusCosignature.message(NAME, utf8(CP.body()), TS);
    assertThat(new String(message, StandardCharsets.UTF_8))
        .isEqualTo(
            "ledgerpki.org/status-cosignature/v1\n"
                + "cosigner oid/1.3.6.1.4.1.32473.3\n"
                + "time 1679315147\n"
                + "example.com/behind-the-sofa\n"
                + "20852163\n"
                + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
                + STATUS_0
                + "\n");
    assertThat(message).hasSize(277);
    assertThat(Hex.encode(Sha256.hash(message)))
        .isEqualTo("2f67555615ccdd2747868a3fee65c9415cdd25a2d1280a66565d9a26969130c2");

    // Key ID: SHA-256(name || 0x0A || 0xff || "ledgerpki.org/status-cosignature/v1\n" || key)[:4].
    byte[] raw = new byte[1312];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) i;
    }
    byte[] h =
        Sha256.hash(
            utf8(NAME),
            new byte[] {0x0a, (byte) 0xff},
            utf8("ledgerpki.org/status-cosignature/v1\n"),
            raw);
    int expected = ByteBuffer.wrap(h, 0, 4).getInt();
    assertThat(StatusCosignature.keyId(NAME, raw)).isEqualTo(expected).isEqualTo(0xeb851ce7);

    // The same key signs subtree/v1 under another key ID.
    assertThat(COSIGNER.statusKeyId())
        .isEqualTo(StatusCosignature.keyId(NAME, Keys.mlDsaRaw(ML.getPublic())))
        .isNotEqualTo(COSIGNER.keyId());
  }

  @Test
  void aStatusCosignatureVerifiesOverTheBodyItWasMadeFor() {
    NoteSignature line = COSIGNER.cosignStatus(CP, TS);
    assertThat(line.keyId()).isEqualTo(COSIGNER.statusKeyId());
    assertThat(line.signature()).hasSize(8 + 2420);
    MlDsaStatusCosignatureVerifier v = COSIGNER.verifier().statusVerifier();
    assertThat(v.keyId()).isEqualTo(line.keyId());
    assertThat(v.verify(utf8(CP.body()), line.signature())).isTrue();
    assertThat(v.timestampOf(line.signature())).isEqualTo(TS);
  }

  @Test
  void aStatusCosignatureOverAnotherStatusLineFails() {
    // A node replays the cosigners' PQ line of the checkpoint before a revocation over a body
    // whose status line commits to the revocation, or the other way round.
    NoteSignature line = COSIGNER.cosignStatus(CP, TS);
    MlDsaStatusCosignatureVerifier v = COSIGNER.verifier().statusVerifier();
    assertThat(v.verify(utf8(checkpoint(STATUS_1).body()), line.signature())).isFalse();
    Checkpoint otherSize =
        new Checkpoint(CP.origin(), CP.size() + 1, CP.rootHash(), CP.extensions());
    assertThat(v.verify(utf8(otherSize.body()), line.signature())).isFalse();
    Checkpoint noStatus = new Checkpoint(CP.origin(), CP.size(), CP.rootHash());
    assertThat(v.verify(utf8(noStatus.body()), line.signature())).isFalse();
    // The timestamp is signed.
    byte[] otherTime = line.signature();
    ByteBuffer.wrap(otherTime).putLong(TS + 60);
    assertThat(v.verify(utf8(CP.body()), otherTime)).isFalse();
  }

  @Test
  void aSubtreeSignatureRelabelledAsAStatusCosignatureFails() {
    // Same key, same timestamp, same checkpoint: only the domain separation tells them apart.
    NoteSignature subtree = COSIGNER.cosign(CP, TS);
    MlDsaStatusCosignatureVerifier status = COSIGNER.verifier().statusVerifier();
    assertThat(COSIGNER.verifier().verify(utf8(CP.body()), subtree.signature())).isTrue();
    assertThat(status.verify(utf8(CP.body()), subtree.signature())).isFalse();

    // And the other way round: a status cosignature does not pass as subtree/v1.
    NoteSignature line = COSIGNER.cosignStatus(CP, TS);
    assertThat(COSIGNER.verifier().verify(utf8(CP.body()), line.signature())).isFalse();

    // A relabelled line in a note fails as a known signature, naming the key.
    Note relabelled =
        new Note(
            CP.body(),
            List.of(new NoteSignature(NAME, COSIGNER.statusKeyId(), subtree.signature())));
    assertThatThrownBy(() -> Notes.verify(relabelled, List.of(status)))
        .isInstanceOf(NoteVerificationException.class)
        .hasMessageContaining("does not verify")
        .hasMessageContaining(NAME + "+" + String.format("%08x", COSIGNER.statusKeyId()));
  }

  @Test
  void aStatusCosignatureUnderAnotherKeyIdOrNameIsIgnored() throws Exception {
    NoteSignature line = COSIGNER.cosignStatus(CP, TS);
    MlDsaStatusCosignatureVerifier status = COSIGNER.verifier().statusVerifier();
    // Under the subtree/v1 key ID: the status verifier does not know the line.
    Note underSubtreeId =
        new Note(CP.body(), List.of(new NoteSignature(NAME, COSIGNER.keyId(), line.signature())));
    assertThatThrownBy(() -> Notes.verify(underSubtreeId, List.of(status)))
        .isInstanceOf(NoteVerificationException.class)
        .hasMessageContaining("no signature by a known key");
    // Under another cosigner's name with its key ID: that cosigner's verifier rejects it, since
    // the message names the cosigner and the key is another.
    String other = "oid/1.3.6.1.4.1.32473.4";
    MlDsaStatusCosignatureVerifier otherVerifier =
        new MlDsaStatusCosignatureVerifier(
            other, TestPki.keyPair(SignatureAlgorithm.ML_DSA_44, 8).getPublic());
    assertThat(otherVerifier.verify(utf8(CP.body()), line.signature())).isFalse();
    // The same key under another name: the name is in the message.
    MlDsaStatusCosignatureVerifier renamed =
        new MlDsaStatusCosignatureVerifier(other, ML.getPublic());
    assertThat(renamed.verify(utf8(CP.body()), line.signature())).isFalse();
  }

  @Test
  void everyByteOfTheSignatureMatters() {
    NoteSignature line = COSIGNER.cosignStatus(CP, TS);
    MlDsaStatusCosignatureVerifier v = COSIGNER.verifier().statusVerifier();
    byte[] sig = line.signature();
    for (int i : new int[] {0, 7, 8, 100, sig.length - 1}) {
      byte[] t = sig.clone();
      t[i] ^= 1;
      assertThat(v.verify(utf8(CP.body()), t)).as("byte %d flipped", i).isFalse();
    }
    assertThat(v.verify(utf8(CP.body()), java.util.Arrays.copyOf(sig, sig.length - 1))).isFalse();
  }

  @Test
  void preconditions() {
    assertThatThrownBy(() -> StatusCosignature.message("a b", utf8(CP.body()), TS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid cosigner name 'a b'");
    assertThatThrownBy(() -> StatusCosignature.message(NAME, utf8(CP.body()), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> StatusCosignature.keyId(NAME, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1312 bytes, not 32");
    assertThatThrownBy(
            () ->
                new MlDsaStatusCosignatureVerifier(
                    NAME, TestPki.keyPair(SignatureAlgorithm.ED25519, 7).getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ML-DSA-44");
  }
}
