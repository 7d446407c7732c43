package org.ledgerpki.validator;

import java.security.PublicKey;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.evidence.FieldBounds;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a global store of the validator's {@link LedgerView} ({@link StoreLedgerView} names the
 * keys). From {@code ledger.entries}: certificate → owner, MTC entry leaf hash → certificate, key →
 * certificates. From {@code ledger.status}, read by its clear fields only ({@code
 * certificateSha256}, {@code operation}, {@code reasonCode}; never the encoded {@code event}):
 * certificate → state of its latest event, and certificate → revocation reason (REVOKE with its
 * reason, unspecified if none; RENEW as superseded). Revocation is final, so the first revocation
 * of a certificate is kept. A record that cannot be read is skipped with a WARN (the validator does
 * not trust these topics for anything but its own advice: the issuance stream and the cosigners
 * decide).
 *
 * <p>Every record must carry the log's signature ({@code logSignature}, verified with the log's
 * Ed25519 key of the trust policy; docs/adr/0012-log-signed-ledger-records.md). One that does not
 * was written by someone without the log's key and is skipped, counted in {@code
 * unauthenticated-records-total{kind=entry|status-event}} and logged at WARN (the first, then one
 * in {@value #WARN_EVERY}, at DEBUG in between): as the view keeps the first owner of a
 * certificate, a forged entry read first would otherwise claim the certificate and its key.
 */
final class LedgerViewProcessor<T> implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerViewProcessor.class);

  /** Of the records skipped for their log signature, one in this many is logged at WARN. */
  static final long WARN_EVERY = 1000;

  private final String storeName;
  private final String topic;
  private final Deserializer<T> reader;
  private final PublicKey logKey;
  private final String member;
  private KeyValueStore<String, String> store;
  private LedgerCounters counters;
  private long unauthenticated;

  /**
   * @param logKey the log's Ed25519 key of the trust policy, which signs every record it publishes
   * @param member the validating member, the {@code ledger-validator-id} of the counters
   */
  LedgerViewProcessor(
      String storeName, String topic, Deserializer<T> reader, PublicKey logKey, String member) {
    this.storeName = storeName;
    this.topic = topic;
    this.reader = reader;
    this.logKey = logKey;
    this.member = member;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.store = context.getStateStore(storeName);
    this.counters = new LedgerCounters(context.metrics(), ValidatorTopology.METRICS_SCOPE, member);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      T value = reader.deserialize(topic, record.value());
      if (value instanceof LedgerEntry e) {
        if (isLogSigned("entry", "entry " + e.getIndex(), LogRecords.problem(e, logKey))) {
          entry(e);
        }
      } else if (value instanceof StatusEntry s) {
        if (isLogSigned(
            "status-event", "status event " + s.getSequence(), LogRecords.problem(s, logKey))) {
          status(s);
        }
      }
    } catch (Exception ex) {
      LOG.warn("skipping an unreadable record of {}: {}", topic, ex.getMessage());
    }
  }

  /**
   * Whether the record carries the log's valid signature ({@code problem} is null); if not, counts
   * it and logs that it is skipped.
   */
  private boolean isLogSigned(String kind, String what, String problem) {
    if (problem == null) {
      return true;
    }
    counters.count(
        "unauthenticated-records",
        "Entries and status events without the log's valid signature, skipped",
        "kind",
        kind);
    unauthenticated++;
    if (unauthenticated == 1 || unauthenticated % WARN_EVERY == 0) {
      LOG.warn(
          "validator/{}: skipping {} of {}, not the log's: {} ({} such records so far)",
          member,
          what,
          topic,
          problem,
          unauthenticated);
    } else {
      LOG.debug("validator/{}: skipping {} of {}, not the log's: {}", member, what, topic, problem);
    }
    return false;
  }

  private void entry(LedgerEntry e) {
    byte[] hash = Evidence.bytes(e.getCertificateSha256());
    byte[] der = Evidence.bytes(e.getCertificate());
    String owner = e.getSubmitter();
    if (hash == null || hash.length != FieldBounds.HASH_BYTES || der == null || owner == null) {
      return; // the null_entry, or nothing a submission could be compared with
    }
    String cert = Hex.encode(hash);
    store.putIfAbsent(StoreLedgerView.CERT + cert, owner);
    byte[] entry = Evidence.bytes(e.getEntry());
    if (entry != null) {
      store.putIfAbsent(StoreLedgerView.LEAF + Hex.encode(Rfc9162.leafHash(entry)), cert);
    }
    SubmissionCheck.spkiSha256(der)
        .ifPresent(spki -> store.putIfAbsent(StoreLedgerView.KEY + spki + "/" + cert, owner));
  }

  private void status(StatusEntry s) {
    byte[] hash = Evidence.bytes(s.getCertificateSha256());
    if (hash == null || hash.length != FieldBounds.HASH_BYTES || s.getSequence() < 0) {
      return;
    }
    String cert = Hex.encode(hash);
    Operation op = s.getOperation();
    CertificateState state =
        switch (op) {
          case REVOKE, RENEW -> CertificateState.REVOKED;
          case SUSPEND -> CertificateState.SUSPENDED;
          case RESUME -> CertificateState.GOOD;
          case ISSUE -> null;
        };
    if (state == null) {
      return;
    }
    if (store.get(StoreLedgerView.REVOKED + cert) != null) {
      return; // revocation is final
    }
    store.put(StoreLedgerView.STATE + cert, state.name());
    if (state == CertificateState.REVOKED) {
      Integer reason = s.getReasonCode();
      int r =
          op == Operation.RENEW
              ? org.ledgerpki.core.status.Lifecycle.REASON_SUPERSEDED
              : reason == null ? org.ledgerpki.core.status.Lifecycle.REASON_UNSPECIFIED : reason;
      store.put(StoreLedgerView.REVOKED + cert, Integer.toString(r));
    }
  }
}
