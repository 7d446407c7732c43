package org.ledgerpki.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;

/** The statements the log signs for its records, and their signatures (ADR 0012). */
class LogRecordStatementsTest {
  private static final KeyPair LOG = Keys.generate(SignatureAlgorithm.ED25519);
  private static final byte[] H1 = Sha256.hash(new byte[] {1});
  private static final byte[] H2 = Sha256.hash(new byte[] {2});
  private static final byte[] H3 = Sha256.hash(new byte[] {3});

  private static EntryStatement entry() {
    return new EntryStatement("oid/1.2", 1, 7, H1, H2, H3, "sub-7", "vendor-a", 0x0102L, H1);
  }

  private static StatusStatement status() {
    return new StatusStatement("oid/1.2", 1, 3, H1, H2, "REVOKE", 1, null, "vendor-a", 0x0102L, H1);
  }

  private static void string(ByteArrayOutputStream out, String s) {
    bytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(ByteArrayOutputStream out, byte[] b) {
    out.write(b.length >>> 8);
    out.write(b.length);
    out.writeBytes(b);
  }

  private static void u64(ByteArrayOutputStream out, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
  }

  @Test
  void anEntryStatementIsItsLabelThenItsFieldsInOrder() {
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.writeBytes("ledger-pki ledger-entry v1\n".getBytes(StandardCharsets.US_ASCII));
    string(want, "oid/1.2");
    u64(want, 1);
    u64(want, 7);
    bytes(want, H1);
    bytes(want, H2);
    bytes(want, H3);
    string(want, "sub-7");
    string(want, "vendor-a");
    u64(want, 0x0102L);
    bytes(want, H1);
    assertThat(HexFormat.of().formatHex(entry().encode()))
        .isEqualTo(HexFormat.of().formatHex(want.toByteArray()));
  }

  @Test
  void aStatusStatementIsItsLabelThenItsFieldsInOrder() {
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.writeBytes("ledger-pki status-entry v1\n".getBytes(StandardCharsets.US_ASCII));
    string(want, "oid/1.2");
    u64(want, 1);
    u64(want, 3);
    bytes(want, H1);
    bytes(want, H2);
    string(want, "REVOKE");
    want.write(0);
    want.write(2); // reason code 1, + 1
    bytes(want, new byte[0]); // no supersededBy
    string(want, "vendor-a");
    u64(want, 0x0102L);
    bytes(want, H1);
    assertThat(HexFormat.of().formatHex(status().encode()))
        .isEqualTo(HexFormat.of().formatHex(want.toByteArray()));
  }

  @Test
  void everyFieldIsBound() {
    byte[] base = entry().encode();
    List<EntryStatement> changed =
        List.of(
            new EntryStatement("oid/1.3", 1, 7, H1, H2, H3, "sub-7", "vendor-a", 0x0102L, H1),
            new EntryStatement("oid/1.2", 2, 7, H1, H2, H3, "sub-7", "vendor-a", 0x0102L, H1),
            new EntryStatement("oid/1.2", 1, 8, H1, H2, H3, "sub-7", "vendor-a", 0x0102L, H1),
            new EntryStatement("oid/1.2", 1, 7, H3, H2, H3, "sub-7", "vendor-a", 0x0102L, H1),
            new EntryStatement("oid/1.2", 1, 7, H1, null, H3, "sub-7", "vendor-a", 0x0102L, H1),
            new EntryStatement("oid/1.2", 1, 7, H1, H2, H1, "sub-7", "vendor-a", 0x0102L, H1),
            new EntryStatement("oid/1.2", 1, 7, H1, H2, H3, "sub-8", "vendor-a", 0x0102L, H1),
            new EntryStatement("oid/1.2", 1, 7, H1, H2, H3, "sub-7", "vendor-b", 0x0102L, H1),
            new EntryStatement("oid/1.2", 1, 7, H1, H2, H3, "sub-7", "vendor-a", 0x0103L, H1),
            new EntryStatement("oid/1.2", 1, 7, H1, H2, H3, "sub-7", "vendor-a", 0x0102L, H2));
    for (EntryStatement c : changed) {
      assertThat(c.encode()).as(c.toString()).isNotEqualTo(base);
    }
    byte[] statusBase = status().encode();
    List<StatusStatement> changedStatus =
        List.of(
            new StatusStatement(
                "oid/1.2", 1, 4, H1, H2, "REVOKE", 1, null, "vendor-a", 0x0102L, H1),
            new StatusStatement(
                "oid/1.2", 1, 3, H3, H2, "REVOKE", 1, null, "vendor-a", 0x0102L, H1),
            new StatusStatement(
                "oid/1.2", 1, 3, H1, H3, "REVOKE", 1, null, "vendor-a", 0x0102L, H1),
            new StatusStatement(
                "oid/1.2", 1, 3, H1, H2, "SUSPEND", 1, null, "vendor-a", 0x0102L, H1),
            new StatusStatement(
                "oid/1.2", 1, 3, H1, H2, "REVOKE", null, null, "vendor-a", 0x0102L, H1),
            new StatusStatement("oid/1.2", 1, 3, H1, H2, "REVOKE", 1, H3, "vendor-a", 0x0102L, H1),
            new StatusStatement(
                "oid/1.2", 1, 3, H1, H2, "REVOKE", 1, null, "vendor-b", 0x0102L, H1),
            new StatusStatement(
                "oid/1.2", 1, 3, H1, H2, "REVOKE", 1, null, "vendor-a", 0x0102L, H2));
    for (StatusStatement c : changedStatus) {
      assertThat(c.encode()).as(c.toString()).isNotEqualTo(statusBase);
    }
  }

  private static BatchEvidence signature(String signer, byte last) {
    return new BatchEvidence(signer, "0011223344556677", 2, 1, List.of(H1), new byte[] {9, last});
  }

  @Test
  void theEvidenceDigestBindsEveryItemItsKindAndItsOrder() {
    byte[] a = "statement a".getBytes(StandardCharsets.UTF_8);
    byte[] b = "statement b".getBytes(StandardCharsets.UTF_8);
    byte[] base =
        new EvidenceDigest()
            .add("endorsement", a, signature("operator-b", (byte) 1))
            .add("endorsement", b, signature("ca-c", (byte) 1))
            .digest();
    List<byte[]> others =
        List.of(
            new EvidenceDigest()
                .add("endorsement", b, signature("ca-c", (byte) 1))
                .add("endorsement", a, signature("operator-b", (byte) 1))
                .digest(),
            new EvidenceDigest().add("endorsement", a, signature("operator-b", (byte) 1)).digest(),
            new EvidenceDigest()
                .add("submission", a, signature("operator-b", (byte) 1))
                .add("endorsement", b, signature("ca-c", (byte) 1))
                .digest(),
            new EvidenceDigest()
                .add("endorsement", a, signature("operator-b", (byte) 2))
                .add("endorsement", b, signature("ca-c", (byte) 1))
                .digest(),
            new EvidenceDigest()
                .add("endorsement", a, signature("operator-c", (byte) 1))
                .add("endorsement", b, signature("ca-c", (byte) 1))
                .digest());
    for (byte[] o : others) {
      assertThat(o).isNotEqualTo(base);
    }
    assertThat(new EvidenceDigest().digest()).isEqualTo(Sha256.hash(new byte[0]));
  }

  @Test
  void noStatementIsASignedNoteText() {
    // C2SP signed-note: the text must not contain control characters other than newline. The
    // length prefixes put a NUL into every statement, so the log's record signatures can never
    // pass for a checkpoint signature by the same key.
    for (byte[] s : List.of(entry().encode(), status().encode())) {
      int firstNewline = new String(s, StandardCharsets.ISO_8859_1).indexOf('\n');
      boolean control = false;
      for (int i = firstNewline + 1; i < s.length; i++) {
        control |= (s[i] & 0xff) < 0x20 && s[i] != '\n';
      }
      assertThat(control).isTrue();
    }
  }

  @Test
  void aSignatureVerifiesForItsStatementAndKeyOnly() {
    byte[] statement = entry().encode();
    byte[] sig = LogRecordSignatures.sign(LOG.getPrivate(), statement);
    assertThat(sig).hasSize(LogRecordSignatures.SIGNATURE_LENGTH);
    assertThat(LogRecordSignatures.verify(LOG.getPublic(), statement, sig)).isTrue();
    KeyPair other = Keys.generate(SignatureAlgorithm.ED25519);
    assertThat(LogRecordSignatures.verify(other.getPublic(), statement, sig)).isFalse();
    assertThat(LogRecordSignatures.verify(LOG.getPublic(), status().encode(), sig)).isFalse();
    byte[] flipped = sig.clone();
    flipped[10] ^= 1;
    assertThat(LogRecordSignatures.verify(LOG.getPublic(), statement, flipped)).isFalse();
    assertThat(LogRecordSignatures.verify(LOG.getPublic(), statement, null)).isFalse();
    assertThat(LogRecordSignatures.verify(LOG.getPublic(), statement, new byte[63])).isFalse();
  }

  @Test
  void onlyAnEd25519KeySignsRecords() {
    KeyPair ecdsa = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    assertThatThrownBy(() -> LogRecordSignatures.sign(ecdsa.getPrivate(), entry().encode()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Ed25519");
  }

  private static DecisionStatement decision(List<DecisionStatement.Reason> reasons) {
    return new DecisionStatement(
        "oid/1.2", "sub-7", "ISSUE", "vendor-a", H2, "REJECTED", reasons, 0x0102L, H1);
  }

  @Test
  void aDecisionStatementIsItsLabelThenItsFieldsInOrder() {
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.writeBytes("ledger-pki decision v1\n".getBytes(StandardCharsets.US_ASCII));
    string(want, "oid/1.2");
    string(want, "sub-7");
    string(want, "ISSUE");
    string(want, "vendor-a");
    bytes(want, H2);
    string(want, "REJECTED");
    want.write(0);
    want.write(2); // two reasons
    string(want, "OTHER");
    string(want, "a");
    string(want, "DUPLICATE");
    string(want, "");
    u64(want, 0x0102L);
    bytes(want, H1);
    DecisionStatement d =
        decision(
            List.of(
                new DecisionStatement.Reason("OTHER", "a"),
                new DecisionStatement.Reason("DUPLICATE", "")));
    assertThat(HexFormat.of().formatHex(d.encode()))
        .isEqualTo(HexFormat.of().formatHex(want.toByteArray()));
  }

  @Test
  void everyFieldOfADecisionIsBoundAndReasonsCannotBeShifted() {
    List<DecisionStatement.Reason> r = List.of(new DecisionStatement.Reason("OTHER", "a b"));
    byte[] base = decision(r).encode();
    List<DecisionStatement> changed =
        List.of(
            new DecisionStatement(
                "oid/1.3", "sub-7", "ISSUE", "vendor-a", H2, "REJECTED", r, 0x0102L, H1),
            new DecisionStatement(
                "oid/1.2", "sub-8", "ISSUE", "vendor-a", H2, "REJECTED", r, 0x0102L, H1),
            new DecisionStatement(
                "oid/1.2", "sub-7", "REVOKE", "vendor-a", H2, "REJECTED", r, 0x0102L, H1),
            new DecisionStatement(
                "oid/1.2", "sub-7", "ISSUE", "vendor-b", H2, "REJECTED", r, 0x0102L, H1),
            new DecisionStatement(
                "oid/1.2", "sub-7", "ISSUE", "vendor-a", H3, "REJECTED", r, 0x0102L, H1),
            new DecisionStatement(
                "oid/1.2", "sub-7", "ISSUE", "vendor-a", H2, "ACCEPTED", r, 0x0102L, H1),
            new DecisionStatement(
                "oid/1.2", "sub-7", "ISSUE", "vendor-a", H2, "REJECTED", List.of(), 0x0102L, H1),
            decision(List.of(new DecisionStatement.Reason("OTHER a", "b"))),
            decision(
                List.of(
                    new DecisionStatement.Reason("OTHER", "a"),
                    new DecisionStatement.Reason("b", ""))),
            new DecisionStatement(
                "oid/1.2", "sub-7", "ISSUE", "vendor-a", H2, "REJECTED", r, 0x0103L, H1),
            new DecisionStatement(
                "oid/1.2", "sub-7", "ISSUE", "vendor-a", H2, "REJECTED", r, 0x0102L, H2));
    for (DecisionStatement c : changed) {
      assertThat(c.encode()).as(c.toString()).isNotEqualTo(base);
    }
  }
}
