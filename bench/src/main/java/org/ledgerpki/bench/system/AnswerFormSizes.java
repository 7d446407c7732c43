package org.ledgerpki.bench.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusCheckpoints;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * P4: the six forms an inquiry node serves a status answer in (ADR 0009), each measured only after
 * it verified as its client verifies it.
 */
final class AnswerFormSizes {
  /** P4's goal for a GOOD answer that carries its checkpoint. */
  public static final int GOAL_GOOD = 1_500;

  /** P4's goal for a GOOD answer to a client that holds the checkpoint. */
  public static final int GOAL_GOOD_HELD = 700;

  /** P4's goal for a REVOKED answer. */
  public static final int GOAL_REVOKED = 2_000;

  private AnswerFormSizes() {}

  /**
   * One served form of a P4 answer, measured after it verified.
   *
   * @param status GOOD or REVOKED, as the answer says and as it verified
   * @param form which form, as the table names it
   * @param held whether the checkpoint note is left out (the client holds it)
   * @param compact whether it is {@link CompactAnswer}'s binary form (else JSON)
   * @param body the bytes served
   * @param note the bytes of {@code body} that are the checkpoint note (in JSON: its string
   *     literal)
   * @param certificate the bytes of {@code body} that are the certificate (in JSON: base64, quoted)
   * @param goal P4's goal for this form, in bytes
   * @param verifiedAs the status {@link StatusVerifier} proved for it
   */
  public record Form(
      String status,
      String form,
      boolean held,
      boolean compact,
      byte[] body,
      int note,
      int certificate,
      int goal,
      String verifiedAs) {
    public int bytes() {
      return body.length;
    }

    public boolean met() {
      return body.length <= goal;
    }
  }

  /**
   * The six P4 forms of the answer at this state, with the checkpoint cosigned by the first {@code
   * n} members, each verified as its client would verify it.
   *
   * @throws IllegalStateException if a form does not verify with the answer's status
   */
  static List<Form> forms(SizedLedger.Setup s, SizedLedger.State st, int n) throws Exception {
    String full = SizedLedger.note(s, st, n);
    String statusForm = StatusCheckpoints.statusForm(full);
    StatusAnswer a = SizedLedger.answer(s, st, full);
    String status = a.status();
    int goal = st.revocation() == null ? GOAL_GOOD : GOAL_REVOKED;
    int heldGoal = st.revocation() == null ? GOAL_GOOD_HELD : GOAL_REVOKED;
    byte[] target = Sha256.hash(s.der());
    StatusVerifier verifier = s.verifier();
    Instant now = s.now();
    // The relying party that holds the checkpoint fetched and verified the full note before.
    HeldCheckpoints held = new HeldCheckpoints(TrustBundle.fromPolicy(s.policy()));
    held.hold(full);
    // In JSON, the certificate is a quoted base64 string; the note's string literal takes the place
    // of a null when it is left out, so it is the difference between forms (1) and (2) plus 4.
    int certLiteral = a.certificate().length() + 2;
    int statusNote = utf8(statusForm).length;
    int der = s.der().length;
    List<Form> out = new ArrayList<>();

    byte[] j1 = utf8(a.toJson());
    byte[] j2 = utf8(a.withoutCheckpoint().toJson());
    int noteLiteral = j1.length - j2.length + "null".length();
    String v1 = verifier.verifyByHash(StatusAnswer.fromJson(str(j1)), target, now, null).status();
    out.add(
        new Form(
            status,
            "(1) JSON as served, full note",
            false,
            false,
            j1,
            noteLiteral,
            certLiteral,
            goal,
            v1));

    String v2 = verifier.verifyByHash(StatusAnswer.fromJson(str(j2)), target, now, held).status();
    out.add(
        new Form(
            status, "(2) JSON, checkpoint held", true, false, j2, 0, certLiteral, heldGoal, v2));

    StatusAnswer statusFormed = a.withCheckpoint(statusForm);
    byte[] c3 = CompactAnswer.encode(statusFormed);
    String v3 = verifier.verifyByHash(CompactAnswer.decode(c3), target, now, null).status();
    out.add(
        new Form(
            status,
            "(3) compact, by hash (status-form note, certificate)",
            false,
            true,
            c3,
            statusNote,
            der,
            goal,
            v3));

    byte[] c4 = CompactAnswer.encode(a.withCheckpoint(statusForm).withCertificate(null));
    String v4 = verifier.verify(CompactAnswer.decode(c4), s.der(), now, null).status();
    out.add(
        new Form(
            status,
            "(4) compact, query carries the certificate (status-form note)",
            false,
            true,
            c4,
            statusNote,
            0,
            goal,
            v4));

    byte[] c5 = CompactAnswer.encode(a.withoutCheckpoint());
    String v5 = verifier.verifyByHash(CompactAnswer.decode(c5), target, now, held).status();
    out.add(
        new Form(
            status,
            "(5) compact + held, by hash (certificate)",
            true,
            true,
            c5,
            0,
            der,
            heldGoal,
            v5));

    byte[] c6 = CompactAnswer.encode(a.withoutCheckpoint().withCertificate(null));
    String v6 = verifier.verify(CompactAnswer.decode(c6), s.der(), now, held).status();
    out.add(
        new Form(
            status,
            "(6) compact + held, query carries the certificate",
            true,
            true,
            c6,
            0,
            0,
            heldGoal,
            v6));

    for (Form f : out) {
      if (!status.equals(f.verifiedAs())) {
        throw new IllegalStateException(
            f.form() + ": expected it to verify as " + status + ", found " + f.verifiedAs());
      }
    }
    return out;
  }

  static int gzip(byte[] bytes) {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return gz.size();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
