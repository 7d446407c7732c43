package org.ledgerpki.core.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.core.note.Ed25519NoteSigner;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.NoteVerificationException;
import org.ledgerpki.core.note.NoteVerifier;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.note.VerifiedNote;
import org.ledgerpki.core.testkit.KnownAnswers;
import org.ledgerpki.core.testkit.TestPki;

/** Known answer V11 and round trips of both cosignature types. */
class CosignaturesTest {
  private static final long TS = 1679315147L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(TS), ZoneOffset.UTC);
  private static final Checkpoint SPEC_CHECKPOINT =
      new Checkpoint(
          "example.com/behind-the-sofa",
          20852163,
          Base64.getDecoder().decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));

  private static final KeyPair ED = TestPki.keyPair(SignatureAlgorithm.ED25519, 7);
  private static final KeyPair ML = TestPki.keyPair(SignatureAlgorithm.ML_DSA_44, 7);

  @Test
  void v11CosignatureV1MessageBytes() {
    String expected =
        KnownAnswers.unescape(KnownAnswers.find("V11", "^# example from the spec: '(.*)'$"));
    assertThat(
            new String(CosignatureV1.message(SPEC_CHECKPOINT.body(), TS), StandardCharsets.UTF_8))
        .isEqualTo(expected);
    assertThat(expected)
        .startsWith("cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n");
  }

  @Test
  void v11SubtreeCosignedMessageBytes() {
    String expectedHex = KnownAnswers.find("V11", "^\\s+([0-9a-f]{240})\\s+\\(120 bytes\\)");
    byte[] hash = Hex.decode(KnownAnswers.find("V6", "^MTH\\(D\\[8:13\\]\\)\\s+= ([0-9a-f]{64})$"));
    byte[] message =
        SubtreeCosignature.cosignedMessage(
            KnownAnswers.find("V11", "cosigner_name='([^']+)'"),
            Long.parseLong(KnownAnswers.find("V11", "timestamp=(\\d+)")),
            KnownAnswers.find("V11", "log_origin='([^']+)'"),
            Long.parseLong(KnownAnswers.find("V11", "start=(\\d+)")),
            Long.parseLong(KnownAnswers.find("V11", "end=(\\d+)")),
            hash);
    assertThat(message).hasSize(120);
    assertThat(Hex.encode(message)).isEqualTo(expectedHex);
    assertThat(new String(SubtreeCosignature.label(), StandardCharsets.US_ASCII))
        .isEqualTo("subtree/v1\n\0");
  }

  @Test
  void keyIdsFollowTheSpec() {
    Ed25519Cosigner ed = new Ed25519Cosigner("witness.example/w1", ED.getPrivate(), CLOCK);
    byte[] edRaw = Keys.ed25519Raw(ED.getPublic());
    assertThat(ed.keyId())
        .isEqualTo(first4("witness.example/w1", (byte) 0x04, edRaw))
        .isNotEqualTo(first4("witness.example/w1", (byte) 0x01, edRaw));

    MlDsaCosigner ml = new MlDsaCosigner("oid/1.3.6.1.4.1.32473.1", ML.getPrivate(), CLOCK);
    byte[] mlRaw = Keys.mlDsaRaw(ML.getPublic());
    assertThat(mlRaw).hasSize(1312);
    assertThat(ml.keyId()).isEqualTo(first4("oid/1.3.6.1.4.1.32473.1", (byte) 0x06, mlRaw));
  }

  @Test
  void ed25519CosignatureRoundTripAndTampering() throws Exception {
    Ed25519Cosigner cosigner = new Ed25519Cosigner("witness.example/w1", ED.getPrivate(), CLOCK);
    NoteSignature line = cosigner.cosign(SPEC_CHECKPOINT);
    byte[] sig = line.signature();
    assertThat(sig).hasSize(72);
    assertThat(ByteBuffer.wrap(sig).getLong()).isEqualTo(TS);

    Ed25519CosignatureVerifier v = cosigner.verifier();
    byte[] body = SPEC_CHECKPOINT.body().getBytes(StandardCharsets.UTF_8);
    assertThat(v.verify(body, sig)).isTrue();
    assertThat(v.timestampOf(sig)).isEqualTo(TS);
    assertThat(cosigner.sign(body)).isEqualTo(sig); // Ed25519 is deterministic
    assertThat(cosigner.cosign(SPEC_CHECKPOINT.body(), TS)).isEqualTo(line);

    assertEveryByteMatters(v, body, sig);
    // A different timestamp is a different message.
    byte[] otherTime = sig.clone();
    ByteBuffer.wrap(otherTime).putLong(TS + 1);
    assertThat(v.verify(body, otherTime)).isFalse();
    // Extension lines are part of the cosigned message.
    Checkpoint withExt =
        new Checkpoint(
            SPEC_CHECKPOINT.origin(),
            SPEC_CHECKPOINT.size(),
            SPEC_CHECKPOINT.rootHash(),
            List.of("ext"));
    assertThat(v.verify(withExt.body().getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    // The name is not in the message; it is in the key ID, so the note layer drops the line.
    assertRenamedLineIsNotCounted(SPEC_CHECKPOINT, line, v);
  }

  @Test
  void mlDsaCheckpointCosignatureRoundTripAndTampering() throws Exception {
    MlDsaCosigner cosigner = new MlDsaCosigner("oid/1.3.6.1.4.1.32473.1", ML.getPrivate(), CLOCK);
    NoteSignature line = cosigner.cosign(SPEC_CHECKPOINT);
    byte[] sig = line.signature();
    assertThat(sig).hasSize(8 + 2420);
    assertThat(ByteBuffer.wrap(sig).getLong()).isEqualTo(TS);

    MlDsaCosignatureVerifier v = cosigner.verifier();
    byte[] body = SPEC_CHECKPOINT.body().getBytes(StandardCharsets.UTF_8);
    assertThat(v.verify(body, sig)).isTrue();
    assertThat(v.timestampOf(sig)).isEqualTo(TS);
    assertThat(v.verify(body, cosigner.sign(body))).isTrue();
    assertThat(v.verify(body, cosigner.cosign(SPEC_CHECKPOINT.body(), 0).signature())).isTrue();

    assertEveryByteMatters(v, body, sig);
    byte[] otherTime = sig.clone();
    ByteBuffer.wrap(otherTime).putLong(TS - 1);
    assertThat(v.verify(body, otherTime)).isFalse();
    // The cosigner name is inside the signed message.
    MlDsaCosignatureVerifier renamed =
        new MlDsaCosignatureVerifier("oid/1.3.6.1.4.1.32473.2", ML.getPublic());
    assertThat(renamed.verify(body, sig)).isFalse();
    assertRenamedLineIsNotCounted(SPEC_CHECKPOINT, line, v);
    // Extension lines are not covered by subtree/v1 (as the spec says).
    Checkpoint withExt =
        new Checkpoint(
            SPEC_CHECKPOINT.origin(),
            SPEC_CHECKPOINT.size(),
            SPEC_CHECKPOINT.rootHash(),
            List.of("ext"));
    assertThat(v.verify(withExt.body().getBytes(StandardCharsets.UTF_8), sig)).isTrue();
    // Not a checkpoint at all.
    assertThat(v.verify("hello\n".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
  }

  @Test
  void mlDsaSubtreeSignaturesForMtc() {
    MlDsaCosigner cosigner = new MlDsaCosigner("oid/1.3.6.1.4.1.32473.1", ML.getPrivate(), CLOCK);
    String origin = "oid/1.3.6.1.4.1.32473.1.0.1";
    byte[] hash = Hex.decode(KnownAnswers.find("V6", "^MTH\\(D\\[8:13\\]\\)\\s+= ([0-9a-f]{64})$"));
    byte[] sig = cosigner.signSubtree(origin, 8, 13, hash);
    assertThat(sig).hasSize(2420);

    String name = cosigner.name();
    assertThat(SubtreeCosignature.verifySubtree(ML.getPublic(), name, 0, origin, 8, 13, hash, sig))
        .isTrue();
    byte[] otherHash = hash.clone();
    otherHash[31] ^= 1;
    assertThat(
            SubtreeCosignature.verifySubtree(
                ML.getPublic(), name, 0, origin, 8, 13, otherHash, sig))
        .isFalse();
    assertThat(SubtreeCosignature.verifySubtree(ML.getPublic(), name, 0, origin, 8, 12, hash, sig))
        .isFalse();
    assertThat(
            SubtreeCosignature.verifySubtree(
                ML.getPublic(), name, 0, origin + "0", 8, 13, hash, sig))
        .isFalse();
    assertThat(
            SubtreeCosignature.verifySubtree(
                ML.getPublic(), name + "0", 0, origin, 8, 13, hash, sig))
        .isFalse();
    assertThat(SubtreeCosignature.verifySubtree(ML.getPublic(), name, 0, origin, 0, 13, hash, sig))
        .isFalse();
    // A message that cannot exist (non-zero timestamp with non-zero start) is false, not an error.
    assertThat(SubtreeCosignature.verifySubtree(ML.getPublic(), name, 5, origin, 8, 13, hash, sig))
        .isFalse();
    assertThat(
            SubtreeCosignature.verifySubtree(
                ML.getPublic(), name, 0, origin, 8, 13, hash, new byte[2420]))
        .isFalse();
    assertThat(
            SubtreeCosignature.verifySubtree(
                ML.getPublic(), name, 0, origin, 8, 13, hash, new byte[10]))
        .isFalse();
    byte[] flipped = sig.clone();
    flipped[1000] ^= 1;
    assertThat(
            SubtreeCosignature.verifySubtree(ML.getPublic(), name, 0, origin, 8, 13, hash, flipped))
        .isFalse();
    assertThatThrownBy(
            () ->
                SubtreeCosignature.verifySubtree(ED.getPublic(), name, 0, origin, 8, 13, hash, sig))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cosignedMessagePreconditions() {
    byte[] h = new byte[32];
    assertThatThrownBy(() -> SubtreeCosignature.cosignedMessage("", 0, "o", 0, 1, h))
        .hasMessageContaining("cosigner name must be 1 to 255 bytes, got 0");
    assertThatThrownBy(() -> SubtreeCosignature.cosignedMessage("n".repeat(256), 0, "o", 0, 1, h))
        .hasMessageContaining("got 256");
    assertThat(SubtreeCosignature.cosignedMessage("n".repeat(255), 0, "o".repeat(255), 0, 1, h))
        .hasSize(12 + 1 + 255 + 8 + 1 + 255 + 8 + 8 + 32);
    assertThatThrownBy(() -> SubtreeCosignature.cosignedMessage("n", 0, "", 0, 1, h))
        .hasMessageContaining("log origin");
    assertThatThrownBy(() -> SubtreeCosignature.cosignedMessage("n", 1, "o", 8, 13, h))
        .hasMessageContaining("must have timestamp 0");
    assertThatThrownBy(() -> SubtreeCosignature.cosignedMessage("n", 0, "o", 3, 5, h))
        .hasMessageContaining("not a valid subtree");
    assertThatThrownBy(() -> SubtreeCosignature.cosignedMessage("n", -1, "o", 0, 5, h))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> SubtreeCosignature.cosignedMessage("n", 0, "o", 0, 5, new byte[31]))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new MlDsaCosigner("n", ED.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ed25519Cosigner("n", ML.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Ed25519Cosigner("n", ED.getPrivate())
                    .sign("not a checkpoint\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validSubtrees() {
    assertThat(Subtrees.isValid(0, 0)).isTrue();
    assertThat(Subtrees.isValid(5, 5)).isTrue();
    assertThat(Subtrees.isValid(0, 13)).isTrue();
    assertThat(Subtrees.isValid(8, 13)).isTrue();
    assertThat(Subtrees.isValid(4, 8)).isTrue();
    assertThat(Subtrees.isValid(96, 128)).isTrue();
    assertThat(Subtrees.isValid(128, 130)).isTrue();
    assertThat(Subtrees.isValid(7, 8)).isTrue();
    assertThat(Subtrees.isValid(3, 5)).isFalse();
    assertThat(Subtrees.isValid(4, 9)).isFalse();
    assertThat(Subtrees.isValid(5, 4)).isFalse();
    assertThat(Subtrees.isValid(-1, 4)).isFalse();
    assertThat(Subtrees.isValid(0, Long.MAX_VALUE)).isTrue();
    assertThat(Subtrees.isValid(1L << 62, Long.MAX_VALUE)).isTrue();
    assertThat(Subtrees.isValid(1L << 62, (1L << 62) + 3)).isTrue();
    // Size above 2^62: BIT_CEIL is 2^63, so only start 0 is valid (no overflow).
    assertThat(Subtrees.isValid(1, Long.MAX_VALUE)).isFalse();
    assertThat(Subtrees.isValid(0, (1L << 62) + 1)).isTrue();
  }

  @Test
  void cosignedCheckpointNoteWithQuorum() throws Exception {
    Ed25519NoteSigner log = Ed25519NoteSigner.generate("example.org/log");
    Checkpoint cp = new Checkpoint("example.org/log", 99, Sha256.hash(new byte[] {1}));
    Note note = Notes.signNote(cp.body(), List.of(log));

    Ed25519Cosigner w1 = new Ed25519Cosigner("example.org/w1", ED.getPrivate(), CLOCK);
    MlDsaCosigner w2 = new MlDsaCosigner("example.org/w2", ML.getPrivate(), CLOCK);
    Ed25519Cosigner w3 =
        new Ed25519Cosigner(
            "example.org/w3", TestPki.keyPair(SignatureAlgorithm.ED25519, 8).getPrivate(), CLOCK);
    Checkpoint parsed = Checkpoint.fromNote(note);
    note = note.withSignature(w1.cosign(parsed)).withSignature(w2.cosign(parsed));

    // Trust configured from vkey strings; w3 is trusted but did not sign.
    List<NoteVerifier> trusted =
        List.of(
            NoteVerifiers.fromVkey(log.vkey().format()),
            NoteVerifiers.fromVkey(w1.vkey().format()),
            NoteVerifiers.fromVkey(w2.vkey().format()),
            NoteVerifiers.fromVkey(w3.vkey().format()));
    VerifiedNote opened = Notes.open(note.format(), trusted);
    assertThat(opened.verifiedNames())
        .containsExactly("example.org/log", "example.org/w1", "example.org/w2");
    for (NoteSignature s : opened.note().signatures()) {
      NoteVerifier v =
          opened.verifiedBy().stream()
              .filter(x -> x.keyId() == s.keyId())
              .findFirst()
              .orElseThrow();
      if (v instanceof CosignatureVerifier cv) {
        assertThat(cv.timestampOf(s.signature())).isEqualTo(TS);
      }
    }
  }

  @Test
  void vkeyDispatch() throws Exception {
    Ed25519Cosigner ed = new Ed25519Cosigner("example.org/w1", ED.getPrivate());
    MlDsaCosigner ml = new MlDsaCosigner("example.org/w2", ML.getPrivate());
    assertThat(NoteVerifiers.fromVkey(ed.vkey().format()))
        .isInstanceOf(Ed25519CosignatureVerifier.class);
    assertThat(NoteVerifiers.fromVkey(ml.vkey().format()))
        .isInstanceOf(MlDsaCosignatureVerifier.class);
    assertThat(ml.vkey().publicKey()).hasSize(1312);
    assertThat(ml.vkey().type()).isEqualTo(NoteKeys.TYPE_SUBTREE_V1);
    assertThat(((CosignatureVerifier) NoteVerifiers.fromVkey(ml.vkey().format())).vkey())
        .isEqualTo(ml.vkey());
    String v8 = KnownAnswers.value("V8", "vkey");
    assertThat(NoteVerifiers.fromVkey(v8).keyId()).isEqualTo(0xc74f20a3);

    String edVkey = ed.vkey().format();
    String wrongId = edVkey.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
    assertThatThrownBy(() -> NoteVerifiers.fromVkey(wrongId))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("does not match");
    // Same key, type byte changed to 0x02: unsupported.
    int keyStart = edVkey.indexOf('+', edVkey.indexOf('+') + 1) + 1; // base64 may contain '+'
    byte[] material = Base64.getDecoder().decode(edVkey.substring(keyStart));
    material[0] = 0x02;
    String type2 = edVkey.substring(0, keyStart) + Base64.getEncoder().encodeToString(material);
    assertThatThrownBy(() -> NoteVerifiers.fromVkey(type2))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("unsupported signature type 0x02");
    assertThatThrownBy(() -> NoteVerifiers.fromVkey("nonsense"))
        .isInstanceOf(MalformedInputException.class);
  }

  /** Flipping any bit-0 of any byte of the signature (timestamp included) breaks it. */
  private static void assertEveryByteMatters(NoteVerifier v, byte[] body, byte[] sig) {
    for (int i = 0; i < sig.length; i++) {
      byte[] t = sig.clone();
      t[i] ^= 0x01;
      assertThat(v.verify(body, t)).as("signature byte %d flipped", i).isFalse();
    }
    for (int i = 0; i < body.length; i++) {
      byte[] t = body.clone();
      t[i] ^= 0x01;
      assertThat(v.verify(t, sig)).as("body byte %d flipped", i).isFalse();
    }
    assertThat(v.verify(body, java.util.Arrays.copyOf(sig, sig.length - 1))).isFalse();
    assertThat(v.verify(body, java.util.Arrays.copyOf(sig, sig.length + 1))).isFalse();
  }

  private static void assertRenamedLineIsNotCounted(
      Checkpoint cp, NoteSignature line, NoteVerifier v) throws Exception {
    Ed25519NoteSigner log = Ed25519NoteSigner.generate(cp.origin());
    Note note = Notes.signNote(cp.body(), List.of(log));
    NoteSignature renamed = new NoteSignature(line.keyName() + "x", line.keyId(), line.signature());
    assertThat(Notes.open(note.withSignature(line).format(), List.of(v)).verifiedBy())
        .containsExactly(v);
    assertThatThrownBy(() -> Notes.open(note.withSignature(renamed).format(), List.of(v)))
        .isInstanceOf(NoteVerificationException.class)
        .extracting(e -> ((NoteVerificationException) e).reason())
        .isEqualTo(NoteVerificationException.Reason.NO_KNOWN_SIGNATURE);
  }

  private static int first4(String name, byte type, byte[] pub) {
    byte[] h = Sha256.hash(name.getBytes(StandardCharsets.UTF_8), new byte[] {0x0a, type}, pub);
    return ByteBuffer.wrap(h).getInt();
  }
}
