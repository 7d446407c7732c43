package org.ledgerpki.core.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.MalformedInputException;

class NotesTest {
  private static final String TEXT =
      "example.org/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  private static final Ed25519NoteSigner A = Ed25519NoteSigner.generate("example.org/a");
  private static final Ed25519NoteSigner B = Ed25519NoteSigner.generate("example.org/b");
  private static final Ed25519NoteSigner C = Ed25519NoteSigner.generate("example.org/c");

  @Test
  void signAndOpen() throws Exception {
    String signed = Notes.sign(TEXT, List.of(A, B));
    VerifiedNote v = Notes.open(signed, List.of(A.verifier(), B.verifier()));
    assertThat(v.verifiedNames()).containsExactly("example.org/a", "example.org/b");
    assertThat(v.text()).isEqualTo(TEXT);
  }

  @Test
  void unknownKeysAreIgnored() throws Exception {
    String signed = Notes.sign(TEXT, List.of(A, B));
    VerifiedNote v = Notes.open(signed, List.of(B.verifier()));
    assertThat(v.verifiedNames()).containsExactly("example.org/b");
    assertThat(v.note().signatures()).hasSize(2);
  }

  @Test
  void sameNameOtherIdOrSameIdOtherNameIsUnknownAndIgnored() throws Exception {
    Ed25519NoteSigner impostor = Ed25519NoteSigner.generate("example.org/a"); // same name, other ID
    NoteSignature sameIdOtherName =
        new NoteSignature("example.org/x", A.keyId(), new byte[64]); // A's ID, other name
    Note note = Notes.signNote(TEXT, List.of(impostor, B)).withSignature(sameIdOtherName);
    VerifiedNote v = Notes.open(note.format(), List.of(A.verifier(), B.verifier()));
    assertThat(v.verifiedNames()).containsExactly("example.org/b");
  }

  @Test
  void aKnownKeyWithABadSignatureRejectsTheNote() {
    Note good = Notes.signNote(TEXT, List.of(A));
    NoteSignature forged = new NoteSignature(B.name(), B.keyId(), new byte[64]);
    String signed = good.withSignature(forged).format();

    assertThatThrownBy(() -> Notes.open(signed, List.of(A.verifier(), B.verifier())))
        .isInstanceOf(NoteVerificationException.class)
        .isInstanceOf(org.ledgerpki.core.VerificationException.class)
        .hasMessageContaining("example.org/b+" + forged.keyIdHex())
        .extracting(e -> ((NoteVerificationException) e).reason())
        .isEqualTo(NoteVerificationException.Reason.KNOWN_SIGNATURE_INVALID);
    // With B unknown, the same note opens on A's signature.
    assertThat(catchingOpen(signed, List.of(A.verifier()))).isTrue();
  }

  @Test
  void noVerifiedKnownSignatureRejectsTheNote() {
    String signed = Notes.sign(TEXT, List.of(A));
    assertThatThrownBy(() -> Notes.open(signed, List.of(B.verifier(), C.verifier())))
        .isInstanceOf(NoteVerificationException.class)
        .hasMessageContaining("no signature by a known key")
        .hasMessageContaining("example.org/a+")
        .extracting(e -> ((NoteVerificationException) e).reason())
        .isEqualTo(NoteVerificationException.Reason.NO_KNOWN_SIGNATURE);
    assertThatThrownBy(() -> Notes.open(signed, List.of()))
        .isInstanceOf(NoteVerificationException.class);
  }

  @Test
  void acceptsAtLeastSixteenSignatures() throws Exception {
    List<Ed25519NoteSigner> signers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      signers.add(Ed25519NoteSigner.generate("witness.example/w" + i));
    }
    String signed = Notes.sign(TEXT, signers);
    VerifiedNote v = Notes.open(signed, signers.stream().map(Ed25519NoteSigner::verifier).toList());
    assertThat(v.verifiedBy()).hasSize(20);
  }

  @Test
  void repeatedValidSignatureCountsOnce() throws Exception {
    Note note = Notes.signNote(TEXT, List.of(A));
    String signed = note.withSignature(note.signatures().get(0)).format();
    VerifiedNote v = Notes.open(signed, List.of(A.verifier()));
    assertThat(v.verifiedBy()).containsExactly(v.verifiedBy().get(0));
  }

  @Test
  void malformedNotesAndBadArguments() {
    assertThatThrownBy(() -> Notes.open(TEXT, List.of(A.verifier())))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("no blank line");
    assertThatThrownBy(() -> Notes.sign("no newline", List.of(A)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Notes.sign(TEXT, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    Ed25519NoteVerifier a1 = A.verifier();
    Ed25519NoteVerifier a2 = A.verifier();
    String signed = Notes.sign(TEXT, List.of(A));
    assertThatThrownBy(() -> Notes.open(signed, List.of(a1, a2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share key name and ID");
  }

  @Test
  void signersAndVerifiersDoNotRevealKeys() {
    assertThat(A.toString())
        .isEqualTo("Ed25519NoteSigner[example.org/a+" + String.format("%08x", A.keyId()) + "]");
    assertThat(A.skey().toString()).doesNotContain(A.skey().format().substring(20));
  }

  private static boolean catchingOpen(String signed, List<NoteVerifier> known) {
    try {
      return !Notes.open(signed, known).verifiedBy().isEmpty();
    } catch (MalformedInputException | NoteVerificationException e) {
      return false;
    }
  }
}
