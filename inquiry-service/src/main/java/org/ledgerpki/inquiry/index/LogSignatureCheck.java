package org.ledgerpki.inquiry.index;

import java.security.PublicKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.note.Ed25519NoteVerifier;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * Checks on arrival the log's signature on each entry, status event and decision it publishes
 * ({@code logSignature}, docs/adr/0012-log-signed-ledger-records.md), with the Ed25519 key the
 * trust policy gives the record's log: its {@code log.key}, the key its checkpoints are verified
 * with. The policy chain never changes the log's identity ({@code PolicyChain}), so the genesis
 * policy's key is the key of every policy the node may come to hold. The keys are parsed and
 * adopted once.
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

  /** Polled batches at least this large are checked ahead, in parallel ({@link #checkAhead}). */
  static final int AHEAD_MIN = 64;

  // Records whose signature already verified ({@link #checkAhead}) or that the node's own journal
  // vouches for ({@link #vouch}): refuses() takes each once without checking again. By identity:
  // only these objects, not equal ones. The follower's thread alone uses it.
  private final Set<Object> checked = Collections.newSetFromMap(new IdentityHashMap<>());

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
   * Verifies the log signatures of the entries and status events among {@code values} (a polled
   * batch, decoded, in order) on the common fork-join pool, ahead of applying them: one Ed25519
   * verification per record is most of what a node's catch-up costs, and the follower's thread
   * would otherwise make them one at a time. Only the records that verify are remembered, until the
   * next batch; the others are checked in their turn, and refused. A batch under {@link #AHEAD_MIN}
   * records is left to be checked in turn.
   */
  void checkAhead(List<?> values) {
    checked.clear();
    if (values.size() >= AHEAD_MIN) {
      checked.addAll(values.parallelStream().filter(this::verifies).toList());
    }
  }

  /**
   * Takes {@code value} as checked: the node's journal holds only records it applied, so verified,
   * before a restart, and replaying it does not verify them again.
   */
  void vouch(Object value) {
    if (value instanceof LedgerEntry || value instanceof StatusEntry || value instanceof Decision) {
      checked.add(value);
    }
  }

  private boolean verifies(Object value) {
    return switch (value) {
      case LedgerEntry e -> problem(e) == null;
      case StatusEntry s -> problem(s) == null;
      case Decision d -> problem(d) == null;
      default -> false;
    };
  }

  /**
   * Whether {@code e} does not carry its log's valid signature: then it is counted and logged, and
   * must be refused. The caller has checked that the trust policy names its log.
   */
  boolean refuses(LedgerEntry e) {
    String problem = checked.remove(e) ? null : problem(e);
    return problem != null && refuse(e, "entry", e.getIndex(), e.getOrigin(), problem);
  }

  /**
   * Whether {@code s} does not carry its log's valid signature, as {@link #refuses(LedgerEntry)}.
   */
  boolean refuses(StatusEntry s) {
    String problem = checked.remove(s) ? null : problem(s);
    return problem != null && refuse(s, "status event", s.getSequence(), s.getOrigin(), problem);
  }

  /**
   * Whether {@code d} does not carry the valid signature of the log it names ({@code origin}), as
   * {@link #refuses(LedgerEntry)}. A decision naming a log the policy does not is refused too.
   */
  boolean refuses(Decision d) {
    String problem = checked.remove(d) ? null : problem(d);
    return problem != null
        && refuse(d, "decision on submission", d.getSubmissionId(), d.getOrigin(), problem);
  }

  /** Why {@code e} is not its log's, as {@link LogRecords#problem}; null if it is. */
  private String problem(LedgerEntry e) {
    PublicKey key = keys.get(e.getOrigin());
    return key == null ? noKey(e.getOrigin()) : LogRecords.problem(e, key);
  }

  /** Why {@code s} is not its log's; null if it is. */
  private String problem(StatusEntry s) {
    PublicKey key = keys.get(s.getOrigin());
    return key == null ? noKey(s.getOrigin()) : LogRecords.problem(s, key);
  }

  /** Why {@code d} is not its log's; null if it is. */
  private String problem(Decision d) {
    PublicKey key = d.getOrigin() == null ? null : keys.get(d.getOrigin());
    return key == null ? noKey(d.getOrigin()) : LogRecords.problem(d, key);
  }

  private static String noKey(String origin) {
    return "the trust policy gives log " + origin + " no Ed25519 key to check it with";
  }

  private boolean refuse(Object record, String kind, Object number, String origin, String problem) {
    if (refused.getAndIncrement() == 0) {
      log.errorf(
          "%s %s of log %s refused: %s. Only the log can sign its records, so it is a forgery (said"
              + " once; the ledgerpki.inquiry.unsigned.records counter counts them)",
          kind, number, origin, problem);
    } else {
      log.debugf("%s %s of log %s refused: %s", kind, number, origin, problem);
    }
    return true;
  }

  /**
   * How many entries, status events and decisions were refused for want of a valid log signature.
   */
  long refusedCount() {
    return refused.get();
  }
}
