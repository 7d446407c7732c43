package org.ledgerpki.inquiry;

import java.security.PrivateKey;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * Signs records as the test consortium's log does ({@code logSignature}, ADR 0012): with the log's
 * Ed25519 key, the key {@link TestConsortium#policy()} names for the log. Also the keys of forgers:
 * another key under the same origin, and none.
 */
public final class LogSigning {
  /** The log's own Ed25519 private key: honest records, or a dishonest sequencer's forgeries. */
  public static final PrivateKey LOG_KEY =
      Signatures.defaults().adopt(TestConsortium.get().log().ed25519().getPrivate());

  /** An Ed25519 key of a log with the same origin that no policy names: a forger's own key. */
  public static final PrivateKey OTHER_KEY =
      LogKeys.generate(TestConsortium.CA_ID, 1).ed25519().getPrivate();

  private LogSigning() {}

  /** {@code e}, signed with the log's key. */
  public static LedgerEntry signed(LedgerEntry e) {
    return LogRecords.sign(e, LOG_KEY);
  }

  /** {@code s}, signed with the log's key. */
  public static StatusEntry signed(StatusEntry s) {
    return LogRecords.sign(s, LOG_KEY);
  }

  /** {@code e}, signed with a key the policy does not name for its log. */
  public static LedgerEntry signedByAnother(LedgerEntry e) {
    return LogRecords.sign(e, OTHER_KEY);
  }

  /** {@code s}, signed with a key the policy does not name for its log. */
  public static StatusEntry signedByAnother(StatusEntry s) {
    return LogRecords.sign(s, OTHER_KEY);
  }

  /** {@code e} without any log signature. */
  public static LedgerEntry unsigned(LedgerEntry e) {
    e.setLogSignature(null);
    return e;
  }

  /** {@code s} without any log signature. */
  public static StatusEntry unsigned(StatusEntry s) {
    s.setLogSignature(null);
    return s;
  }

  /** {@code d}, signed with the log's key. */
  public static Decision signed(Decision d) {
    return LogRecords.sign(d, LOG_KEY);
  }

  /** {@code d}, signed with a key the policy does not name for its log. */
  public static Decision signedByAnother(Decision d) {
    return LogRecords.sign(d, OTHER_KEY);
  }

  /** {@code d} without any log signature. */
  public static Decision unsigned(Decision d) {
    d.setLogSignature(null);
    return d;
  }
}
