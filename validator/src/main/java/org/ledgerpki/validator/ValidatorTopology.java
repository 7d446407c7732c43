package org.ledgerpki.validator;

import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.policy.PolicyChangesProcessor;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The validator of one member organisation:
 *
 * <pre>
 * ledger.submissions ─► prepare ─┬─► ledger.dlq            (undecodable, wrong key, unsignable)
 *                                └─► by-key (repartition by SPKI hash, if several partitions)
 *                                       ─► validate [registered-keys, pending] ─┬─► ledger.endorsements
 *                                                                               └─► ledger.dlq (threw)
 * ledger.entries ─► ledger-entries-view (global: certificate → owner; entry → certificate; key → certificates)
 * ledger.status  ─► ledger-status-view  (global: certificate → lifecycle state, revocation reason)
 * ledger.policy  ─► policy-changes      (global: serial → verified policy change; the policy judged with)
 * </pre>
 *
 * <p>The two views read only the records the log signed ({@code logSignature}, with the log's
 * Ed25519 key of the trust policy); {@link LedgerViewProcessor} skips any other.
 */
public final class ValidatorTopology {
  /** Store: hex SPKI SHA-256 → member id the key is registered to. */
  public static final String REGISTERED_KEYS = "registered-keys";

  /**
   * Global store fed from {@code ledger.entries}: certificate → owner, MTC entry leaf hash →
   * certificate, key → certificates ({@link StoreLedgerView}). Renamed from {@code ledger-owners}
   * when it gained the entry and key indexes, so that an upgraded validator rebuilds it from the
   * topic instead of resuming a store without them.
   */
  public static final String LEDGER_OWNERS = "ledger-entries-view";

  /**
   * Global store fed from {@code ledger.status}: certificate → lifecycle state and revocation
   * reason ({@link StoreLedgerView}). Renamed from {@code ledger-states} for the same reason.
   */
  public static final String LEDGER_STATES = "ledger-status-view";

  /**
   * Scope of the validator's counters: Kafka metric group {@code ledger-validator-metrics}, tagged
   * {@code ledger-validator-id} = the member ({@code LedgerCounters}); published as {@code
   * ledgerpki_validator_*} by the health and metrics endpoint:
   *
   * <ul>
   *   <li>{@code verdicts-total{verdict=endorse|reject}}: verdicts made;
   *   <li>{@code rejection-reasons-total{reason=<ReasonCode>}}: the reasons given in rejections;
   *   <li>{@code
   *       dead-letters-total{reason=undecodable|malformed|wrong-key|unjudgeable|unsignable}};
   *   <li>{@code unauthenticated-records-total{kind=entry|status-event}}: records of {@code
   *       ledger.entries} and {@code ledger.status} skipped for want of the log's valid signature.
   * </ul>
   */
  public static final String METRICS_SCOPE = "ledger-validator";

  /**
   * Global store fed from {@code ledger.policy}: serial → the verified change ({@link
   * PolicyChangesProcessor}); the validator judges with the newest policy.
   */
  public static final String POLICY_CHANGES = "policy-changes";

  /** Store: sequence number → verdict waiting for its batch signature. */
  public static final String PENDING = "pending";

  private ValidatorTopology() {}

  /**
   * Builds the topology.
   *
   * @param org the validating member's id (its verdicts are signed by {@code signer})
   */
  public static Topology build(
      TrustPolicy policy,
      Topics topics,
      BatchSigner signer,
      Clock clock,
      ValidatorOptions options) {
    return build(PolicyHolder.genesis(policy), topics, signer, clock, options);
  }

  /**
   * Builds the topology judging with the newest policy of {@code holder}, which follows {@code
   * ledger.policy} from then on.
   */
  public static Topology build(
      PolicyHolder holder,
      Topics topics,
      BatchSigner signer,
      Clock clock,
      ValidatorOptions options) {
    String service = "validator/" + signer.signer();
    // The log signs every record it publishes with its Ed25519 checkpoint key, the same in every
    // policy of the chain: adopted once, for the views to check each record with.
    PublicKey logKey = Signatures.defaults().adopt(holder.history().genesis().log().ed25519());
    PolicyChecks check = new PolicyChecks(holder, new BatchVerifier());
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(REGISTERED_KEYS), Serdes.String(), Serdes.String()));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING),
                Serdes.Long(),
                topics.endorsements().valueSerde())
            .withCachingEnabled());

    b.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LEDGER_OWNERS), Serdes.String(), Serdes.String())
            .withLoggingDisabled(),
        topics.entries().name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("ledger-entries"),
        () ->
            new LedgerViewProcessor<>(
                LEDGER_OWNERS,
                topics.entries().name(),
                topics.entries().valueSerde().deserializer(),
                logKey,
                signer.signer()));
    b.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LEDGER_STATES), Serdes.String(), Serdes.String())
            .withLoggingDisabled(),
        topics.status().name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("ledger-status"),
        () ->
            new LedgerViewProcessor<>(
                LEDGER_STATES,
                topics.status().name(),
                topics.status().valueSerde().deserializer(),
                logKey,
                signer.signer()));

    b.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(POLICY_CHANGES), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        topics.policy().name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("ledger-policy"),
        () ->
            new PolicyChangesProcessor(
                POLICY_CHANGES,
                topics.policy().name(),
                topics.policy().valueSerde().deserializer(),
                holder,
                service));

    KStream<String, byte[]> raw =
        b.stream(
            topics.submissions().name(),
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("submissions"));
    Map<String, KStream<String, SpecificRecord>> branches =
        raw.process(
                () ->
                    new PrepareProcessor(
                        topics.submissions().valueSerde().deserializer(),
                        topics.submissions().name(),
                        service,
                        clock),
                Named.as("prepare"))
            .split(Named.as("prepared-"))
            .branch((k, v) -> v instanceof DeadLetter, Branched.as("dead"))
            .defaultBranch(Branched.as("ok"));

    KStream<String, Submission> submissions =
        branches.get("prepared-ok").mapValues(v -> (Submission) v, Named.as("as-submission"));
    if (topics.submissions().partitions() > 1) {
      // The key registry must see every submission of one key in one task. With one partition
      // it already does, and the round trip through a repartition topic would only cost I/O.
      submissions =
          submissions.repartition(
              Repartitioned.with(Serdes.String(), topics.submissions().valueSerde())
                  .withName("by-key"));
    }
    Map<String, KStream<String, SpecificRecord>> judged =
        submissions
            .process(
                () ->
                    new ValidateProcessor(
                        check, signer, clock, options.maxBatch(), options.linger()),
                Named.as("validate"),
                REGISTERED_KEYS,
                PENDING)
            .split(Named.as("judged-"))
            .branch((k, v) -> v instanceof DeadLetter, Branched.as("dead"))
            .defaultBranch(Branched.as("ok"));
    judged
        .get("judged-ok")
        .mapValues(v -> (Endorsement) v, Named.as("as-endorsement"))
        .to(
            topics.endorsements().name(),
            Produced.<String, Endorsement>with(
                    topics.endorsements().keySerde(), topics.endorsements().valueSerde())
                .withName("endorsements"));

    branches
        .get("prepared-dead")
        .merge(judged.get("judged-dead"), Named.as("all-dead"))
        .mapValues(v -> (DeadLetter) v, Named.as("as-dead-letter"))
        .to(
            topics.dlq().name(),
            Produced.with(topics.dlq().keySerde(), topics.dlq().valueSerde()).withName("dlq"));
    return b.build();
  }
}
