package org.ledgerpki.streams.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * What a cached store's changelog gets for a key put and deleted before a commit, with and without
 * {@link UnheldTombstones}. The driver commits (and flushes the cache) after every input record.
 */
class UnheldTombstonesTest {
  private static final String STORE = "held";

  /** "put k v" puts, "del k" deletes, "both k v" puts and deletes within one record. */
  private static final class Writer implements Processor<String, String, Void, Void> {
    private final boolean skip;
    private KeyValueStore<String, String> store;

    Writer(boolean skip) {
      this.skip = skip;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(STORE);
      if (skip) {
        assertThat(UnheldTombstones.skip(store)).as("the store has a cache").isTrue();
      }
    }

    @Override
    public void process(Record<String, String> r) {
      String[] op = r.value().split(" ");
      switch (op[0]) {
        case "put" -> store.put(op[1], op[2]);
        case "del" -> store.delete(op[1]);
        default -> {
          store.put(op[1], op[2]);
          store.delete(op[1]);
        }
      }
    }
  }

  private static List<KeyValue<String, String>> changelog(boolean skip, List<String> ops) {
    Topology t = new Topology();
    t.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
    t.addProcessor("writer", () -> new Writer(skip), "in");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String())
            .withCachingEnabled(),
        "writer");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "tombstones");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver d = new TopologyTestDriver(t, p)) {
      TestInputTopic<String, String> in =
          d.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
      ops.forEach(op -> in.pipeInput("k", op));
      List<KeyValue<String, String>> out =
          d.createOutputTopic(
                  "tombstones-" + STORE + "-changelog",
                  Serdes.String().deserializer(),
                  Serdes.String().deserializer())
              .readKeyValuesToList();
      KeyValueStore<String, String> store = d.getKeyValueStore(STORE);
      assertThat(store.get("a")).isNull();
      assertThat(store.get("b")).isNull();
      assertThat(store.get("c")).isEqualTo("3");
      return out;
    }
  }

  private static final List<String> OPS =
      List.of("both a 1", "put b 2", "del b", "put c 3", "both b 4");

  @Test
  void aKeyPutAndDeletedBeforeTheCommitReachesTheChangelogAsATombstoneWithoutIt() {
    assertThat(changelog(false, OPS))
        .containsExactly(
            KeyValue.pair("a", null),
            KeyValue.pair("b", "2"),
            KeyValue.pair("b", null),
            KeyValue.pair("c", "3"),
            KeyValue.pair("b", null));
  }

  @Test
  void withItOnlyTheTombstonesOfKeysTheChangelogHeldAreWritten() {
    assertThat(changelog(true, OPS))
        .containsExactly(
            KeyValue.pair("b", "2"), KeyValue.pair("b", null), KeyValue.pair("c", "3"));
  }
}
