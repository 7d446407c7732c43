package org.ledgerpki.core.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.testkit.KnownAnswers;

/** Known answers V8 (golang/mod sumdb/note) and V9 (C2SP signed-note example). */
class NoteKnownAnswersTest {
  private static final String V8_SKEY = KnownAnswers.value("V8", "skey");
  private static final String V8_VKEY = KnownAnswers.value("V8", "vkey");
  private static final String V8_TEXT =
      KnownAnswers.unescape(KnownAnswers.find("V8", "^note text .*= \"(.*)\"$"));
  private static final String V8_SIG_LINE =
      KnownAnswers.find("V8", "^signed note = .*'(\u2014 [^']*)\\\\n'");
  private static final String V8_ENOCH_VKEY = KnownAnswers.find("V8", "^second key: (\\S+) ;");
  private static final String V8_ENOCH_LINE =
      KnownAnswers.find("V8", "its sig line on same text: '([^']*)'");

  @Test
  void v8SkeyGivesSeedPublicKeyKeyIdAndVkey() throws Exception {
    Skey skey = Skey.parse(V8_SKEY);
    assertThat(skey.name()).isEqualTo("PeterNeumann");
    assertThat(skey.type()).isEqualTo(NoteKeys.TYPE_ED25519);
    assertThat(Hex.encode(skey.privateKey())).isEqualTo(KnownAnswers.value("V8", "seed"));
    assertThat(skey.format()).isEqualTo(V8_SKEY);
    assertThat(skey.toString())
        .doesNotContain(KnownAnswers.value("V8", "seed"))
        .doesNotContain("AYEK");

    Ed25519NoteSigner signer = Ed25519NoteSigner.fromSkey(V8_SKEY);
    assertThat(Hex.encode(Keys.ed25519Raw(signer.publicKey())))
        .isEqualTo(KnownAnswers.value("V8", "pub"));
    String keyIdHex = KnownAnswers.find("V8", "^key ID = .* = ([0-9a-f]{8})$");
    assertThat(signer.keyId()).isEqualTo((int) Long.parseLong(keyIdHex, 16));
    assertThat(keyIdHex).isEqualTo("c74f20a3");
    assertThat(signer.vkey().format()).isEqualTo(V8_VKEY);
    assertThat(signer.skey().format()).isEqualTo(V8_SKEY);
    assertThat(Ed25519NoteVerifier.fromVkey(V8_VKEY).keyId()).isEqualTo(signer.keyId());
  }

  @Test
  void v8SignatureIsReproducedByteForByte() throws Exception {
    Ed25519NoteSigner signer = Ed25519NoteSigner.fromSkey(V8_SKEY);

    String signed = Notes.sign(V8_TEXT, List.of(signer));

    assertThat(signed).isEqualTo(V8_TEXT + "\n" + V8_SIG_LINE + "\n");
    Note note = Note.parse(signed);
    assertThat(Hex.encode(note.signatures().get(0).signature()))
        .isEqualTo(KnownAnswers.value("V8", "ed25519 sig (after 4-byte key ID)"));
    assertThat(note.signatures().get(0).keyIdHex()).isEqualTo("c74f20a3");
  }

  @Test
  void v8OpensWithBothKeysIncludingEnochRoot() throws Exception {
    String signed = V8_TEXT + "\n" + V8_SIG_LINE + "\n" + V8_ENOCH_LINE + "\n";
    NoteVerifier peter = Ed25519NoteVerifier.fromVkey(V8_VKEY);
    NoteVerifier enoch = Ed25519NoteVerifier.fromVkey(V8_ENOCH_VKEY);

    VerifiedNote both = Notes.open(signed, List.of(peter, enoch));
    assertThat(both.verifiedBy()).containsExactly(peter, enoch);
    assertThat(both.text()).isEqualTo(V8_TEXT);

    VerifiedNote onlyEnoch = Notes.open(signed, List.of(enoch));
    assertThat(onlyEnoch.verifiedNames()).containsExactly("EnochRoot");
  }

  @Test
  void v9SpecExampleVerifiesAndAModifiedTextFails() throws Exception {
    String vkey = KnownAnswers.value("V9", "vkey");
    String text = KnownAnswers.unescape(KnownAnswers.find("V9", "^text = \"(.*)\"$"));
    String line = KnownAnswers.find("V9", "^sig line = '([^']*)'");
    NoteVerifier v = Ed25519NoteVerifier.fromVkey(vkey);
    assertThat(Hex.encode(Vkey.parse(vkey).publicKey()))
        .isEqualTo(KnownAnswers.find("V9", "\\(pub ([0-9a-f]{64})\\)"));

    VerifiedNote ok = Notes.open(text + "\n" + line + "\n", List.of(v));
    assertThat(ok.verifiedNames()).containsExactly("example.com/foo");
    assertThat(ok.note().signatures().get(0).keyIdHex()).isEqualTo("530d903a");

    String modified = text.replace("example", "exemplary") + "\n" + line + "\n";
    assertThatThrownBy(() -> Notes.open(modified, List.of(v)))
        .isInstanceOf(NoteVerificationException.class)
        .hasMessageContaining("example.com/foo+530d903a")
        .extracting(e -> ((NoteVerificationException) e).reason())
        .isEqualTo(NoteVerificationException.Reason.KNOWN_SIGNATURE_INVALID);
  }

  @Test
  void vkeyWithWrongKeyIdIsRejected() {
    String wrong = V8_VKEY.replace("c74f20a3", "c74f20a4");
    assertThatThrownBy(() -> Vkey.parse(wrong))
        .isInstanceOf(org.ledgerpki.core.MalformedInputException.class)
        .hasMessageContaining("does not match")
        .hasMessageContaining("c74f20a3");
    String wrongSkey = V8_SKEY.replace("c74f20a3", "00000000");
    assertThatThrownBy(() -> Ed25519NoteSigner.fromSkey(wrongSkey))
        .isInstanceOf(org.ledgerpki.core.MalformedInputException.class)
        .hasMessageContaining("does not match");
  }
}
