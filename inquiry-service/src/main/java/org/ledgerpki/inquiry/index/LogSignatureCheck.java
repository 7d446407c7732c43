package org.ledgerpki.inquiry.index;

import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.note.Ed25519NoteVerifier;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * Checks on arrival the log's signature on each entry and status event it publishes ({@code
 * logSignature}, docs/adr/0012-log-signed-ledger-records.md), with the Ed25519 key the trust policy
 * gives the record's log: its {@code log.key}, the key its checkpoints are verified with. The
 * policy chain never changes the log's identity ({@code PolicyChain}), so the genesis policy's key
 * is the key of every policy the node may come to hold. The keys are parsed and adopted once.
 *
 * <p>A record without a valid signature is what anyone who can write the topics can forge without a
 * key: the index refuses it before it holds anything of it, and it is counted ({@link
 * #refusedCount}, metric {@code ledgerpki.inquiry.unsigned.records}). Logged once, as foreign
 * records are, then at debug level: a flood of forgeries must not flood the log too.
 */
final class LogSignatureCheck {
  private static final Logger log = Logger.getLogger(LedgerIndex.class);

  // Origin to the log's adopted Ed25519 public key.
  private final Map<String, PublicKey> keys = new HashMap<>();
  private final AtomicLong refused = new AtomicLong();

  /**
   * @param bundle the trust policy's bundle: each log's Ed25519 vkey (the first, if it names more
   *     than one)
   * @throws IllegalArgumentException if a log's Ed25519 vkey does not parse
   */
  LogSignatureCheck(TrustBundle bundle) {
    for (TrustBundle.Log l : bundle.logs()) {
      try {
        Vkey v = Vkey.parse(l.vkey());
        if (v.type() == NoteKeys.TYPE_ED25519 && !keys.containsKey(l.origin())) {
          // Adopted by Signatures.defaults(): no conversion per record.
          keys.put(l.origin(), Ed25519NoteVerifier.fromVkey(v).publicKey());
        }
      } catch (MalformedInputException e) {
        throw new IllegalArgumentException(
            "the trust policy's key of log " + l.origin() + " does not parse: " + e.getMessage(),
            e);
      }
    }
  }

  /**
   * Whether {@code e} does not carry its log's valid signature: then it is counted and logged, and
   * must be refused. The caller has checked that the trust policy names its log.
   */
  boolean refuses(LedgerEntry e) {
    PublicKey key = keys.get(e.getOrigin());
    String problem = key == null ? noKey(e.getOrigin()) : LogRecords.problem(e, key);
    return problem != null && refuse("entry", e.getIndex(), e.getOrigin(), problem);
  }

  /**
   * Whether {@code s} does not carry its log's valid signature, as {@link #refuses(LedgerEntry)}.
   */
  boolean refuses(StatusEntry s) {
    PublicKey key = keys.get(s.getOrigin());
    String problem = key == null ? noKey(s.getOrigin()) : LogRecords.problem(s, key);
    return problem != null && refuse("status event", s.getSequence(), s.getOrigin(), problem);
  }

  private static String noKey(String origin) {
    return "the trust policy gives log " + origin + " no Ed25519 key to check it with";
  }

  private boolean refuse(String kind, long number, String origin, String problem) {
    if (refused.getAndIncrement() == 0) {
      log.errorf(
          "%s %d of log %s refused: %s. Only the log can sign its records, so it is a forgery (said"
              + " once; the ledgerpki.inquiry.unsigned.records counter counts them)",
          kind, number, origin, problem);
    } else {
      log.debugf("%s %d of log %s refused: %s", kind, number, origin, problem);
    }
    return true;
  }

  /** How many entries and status events were refused for want of a valid log signature. */
  long refusedCount() {
    return refused.get();
  }
}
