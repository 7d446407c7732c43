package org.ledgerpki.streams.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.GovernanceException;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.schemas.Governance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code ledger.policy} inside a Kafka Streams application, as the processor of a global
 * store (key = serial, value = the record's bytes): each change is verified against the policy
 * before it ({@code PolicyChain}, from the genesis policy of the {@link PolicyHolder}) and advances
 * the holder, so that the application's processors judge with the newest policy without a restart
 * (docs/governance.md). At start-up it rebuilds the holder from its store, so a restarted
 * application has the same history. A record that does not verify is skipped with an ERROR and
 * counted ({@link PolicyHolder#refused()}); it is kept out of the store.
 */
public final class PolicyChangesProcessor implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyChangesProcessor.class);

  private final String storeName;
  private final String topic;
  private final Deserializer<org.ledgerpki.schemas.avro.PolicyChange> reader;
  private final PolicyHolder holder;
  private final String service;
  private final Signatures signatures = Signatures.defaults();
  private KeyValueStore<String, byte[]> store;

  /**
   * @param storeName the global store this processor keeps
   * @param topic the name of {@code ledger.policy}
   * @param reader its value deserializer
   * @param service the service's name, for log lines
   */
  public PolicyChangesProcessor(
      String storeName,
      String topic,
      Deserializer<org.ledgerpki.schemas.avro.PolicyChange> reader,
      PolicyHolder holder,
      String service) {
    this.storeName = storeName;
    this.topic = topic;
    this.reader = reader;
    this.holder = holder;
    this.service = service;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.store = context.getStateStore(storeName);
    List<PolicyChange> stored = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        PolicyChange c = decode(it.next().value);
        if (c != null) {
          stored.add(c);
        }
      }
    }
    stored.sort(Comparator.comparingLong(PolicyChange::serial));
    stored.forEach(this::apply);
    if (holder.history().entries().size() > 1) {
      LOG.info("{}: policy history from the store: {}", service, holder.history());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    PolicyChange c = decode(record.value());
    if (c != null && apply(c)) {
      store.put(Governance.key(c.serial()), record.value());
    }
  }

  private PolicyChange decode(byte[] value) {
    try {
      return Governance.toCore(reader.deserialize(topic, value));
    } catch (RuntimeException e) {
      holder.refuse();
      LOG.error("{}: a record of {} is not a PolicyChange: {}", service, topic, e.toString());
      return null;
    }
  }

  /** Extends the held history with {@code c}; true if it verified (or was already held). */
  private boolean apply(PolicyChange c) {
    PolicyHistory now = holder.history();
    if (c.serial() <= now.latest().serial()) {
      return now.bySerial(c.serial())
          .map(e -> java.util.Arrays.equals(e.policy().sha256(), c.policySha256()))
          .orElse(false);
    }
    try {
      holder.advance(now.extend(c, signatures));
      LOG.info(
          "{}: policy serial {} in force from index {} / status {}",
          service,
          c.serial(),
          c.effectiveIndex(),
          c.effectiveStatusSequence());
      return true;
    } catch (GovernanceException e) {
      holder.refuse();
      LOG.error(
          "{}: policy change serial {} on {} refused: {}",
          service,
          c.serial(),
          topic,
          e.getMessage());
      return false;
    }
  }
}
