package org.ledgerpki.validator;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a global store of the validator's {@link LedgerView}: from {@code ledger.entries},
 * certificate hash → owner; from {@code ledger.status}, certificate hash → state of its latest
 * event. A record that cannot be read is skipped with a WARN (the validator does not trust these
 * topics for anything but its own advice: the issuance stream and the cosigners decide).
 */
final class LedgerViewProcessor<T> implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerViewProcessor.class);

  private final String storeName;
  private final String topic;
  private final Deserializer<T> reader;
  private KeyValueStore<String, String> store;

  LedgerViewProcessor(String storeName, String topic, Deserializer<T> reader) {
    this.storeName = storeName;
    this.topic = topic;
    this.reader = reader;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      T value = reader.deserialize(topic, record.value());
      if (value instanceof LedgerEntry e) {
        byte[] hash = Evidence.bytes(e.getCertificateSha256());
        if (hash != null && e.getSubmitter() != null) {
          store.putIfAbsent(Hex.encode(hash), e.getSubmitter());
        }
      } else if (value instanceof StatusEntry s) {
        StatusEvent event = StatusEvent.decode(Evidence.bytes(s.getEvent()));
        store.put(Hex.encode(event.certificateSha256()), event.state().name());
      }
    } catch (Exception ex) {
      LOG.warn("skipping an unreadable record of {}: {}", topic, ex.getMessage());
    }
  }
}
