package org.ledgerpki.streams.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.merkle.CompactRange;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.NodeStore;
import org.ledgerpki.core.merkle.Rfc9162;

/** {@link KeyValueNodeStore} under core's {@link MerkleTree}: older stores, keys and records. */
class KeyValueNodeStoreTreeTest {
  private static byte[] leaf(long i) {
    return Rfc9162.leafHash(ByteBuffer.allocate(8).putLong(i).array());
  }

  /** The layout before the chunks, written straight into the store: one key per node. */
  private record PerNodeLayout(KeyValueStore<Bytes, byte[]> store, Bytes prefix)
      implements NodeStore {
    @Override
    public byte[] get(int level, long index) {
      byte[] h = store.get(KeyValueNodeStoreTest.oldKey(prefix, level, index));
      return h == null ? null : h.clone();
    }

    @Override
    public void put(int level, long index, byte[] hash) {
      store.put(KeyValueNodeStoreTest.oldKey(prefix, level, index), hash.clone());
    }
  }

  private static Set<Bytes> keys(KeyValueStore<Bytes, byte[]> store) {
    Set<Bytes> keys = new HashSet<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }

  /** Roots, inclusion and consistency proofs of {@code t} equal those of {@code want}. */
  private static void assertSameTree(MerkleTree t, MerkleTree want) {
    long n = want.size();
    assertThat(t.size()).isEqualTo(n);
    assertThat(t.root()).isEqualTo(want.root());
    for (long size = 1; size <= n; size += size < 40 ? 1 : 37) {
      assertThat(t.rootAt(size)).as("root at %d", size).isEqualTo(want.rootAt(size));
      for (long i = 0; i < size; i += 1 + size / 7) {
        assertThat(t.inclusionProof(i, size))
            .as("inclusion of %d in %d", i, size)
            .containsExactlyElementsOf(want.inclusionProof(i, size));
      }
      for (long s1 : new long[] {1, size / 3, size / 2, size - 1, 999, 1000, 1001}) {
        if (s1 <= size) {
          assertThat(t.consistencyProof(s1, size))
              .as("consistency of %d with %d", s1, size)
              .containsExactlyElementsOf(want.consistencyProof(s1, size));
        }
      }
    }
    for (long i = 0; i < n; i++) {
      assertThat(t.leafHash(i)).isEqualTo(want.leafHash(i));
    }
  }

  @Test
  void aTreeWrittenPerNodeContinuesInChunks() {
    for (Bytes prefix : List.of(Bytes.wrap(new byte[0]), StoreKeys.of("log-a", 'N').build())) {
      KeyValueStore<Bytes, byte[]> store = KeyValueNodeStoreTest.openInMemory();
      MerkleTree want = new MerkleTree(new InMemoryNodeStore());
      MerkleTree old = new MerkleTree(new PerNodeLayout(store, prefix));
      for (long i = 0; i < 1000; i++) {
        old.append(leaf(i));
        want.append(leaf(i));
      }
      Set<Bytes> oldKeys = keys(store);
      assertThat(oldKeys).hasSize(2 * 1000 - Long.bitCount(1000));
      CompactRange frontier = old.frontier();

      KeyValueNodeStore nodes =
          prefix.get().length == 0
              ? new KeyValueNodeStore(store)
              : new KeyValueNodeStore(store, prefix);
      assertSameTree(MerkleTree.open(nodes, frontier), want);
      MerkleTree t = MerkleTree.open(nodes, frontier);
      // Leaf 1000 is slot 8 of the chunk whose slots 0 to 7 are per-node keys.
      for (long i = 1000; i < 2100; i++) {
        t.append(leaf(i));
        want.append(leaf(i));
      }
      assertSameTree(t, want);
      assertSameTree(MerkleTree.open(nodes, t.size()), want);

      Set<Bytes> added = keys(store);
      added.removeAll(oldKeys);
      assertThat(added)
          .as("new writes go to chunks only")
          .allSatisfy(
              k -> {
                assertThat(k.get()).hasSize(prefix.get().length + 10);
                assertThat(k.get()[prefix.get().length]).isEqualTo((byte) 'C');
              });
      assertThat(keys(store)).containsAll(oldKeys);
    }
  }

  @Test
  void appendingWritesAboutOneKeyPerSixteenNodes() {
    KeyValueStore<Bytes, byte[]> store = KeyValueNodeStoreTest.openInMemory();
    KeyValueNodeStore nodes = new KeyValueNodeStore(store, StoreKeys.of("log-a", 'N').build());
    MerkleTree t = new MerkleTree(nodes);
    MerkleTree want = new MerkleTree(new InMemoryNodeStore());
    for (long i = 0; i < 1000; i++) {
      t.append(leaf(i));
      want.append(leaf(i));
    }
    // 1,994 perfect nodes: one key each before the chunks; 129 chunks of 16 now.
    assertThat(keys(store).size()).isLessThan(1000 / 16 * 2 + 64);
    assertSameTree(t, want);
  }

  /** Appends 40 leaves per input record, to the tree of a cached, changelogged store. */
  private static final class Appender implements Processor<String, String, Void, Void> {
    private MerkleTree tree;
    private long next;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      KeyValueStore<Bytes, byte[]> store = context.getStateStore("nodes");
      tree = new MerkleTree(new KeyValueNodeStore(store));
    }

    @Override
    public void process(Record<String, String> record) {
      for (int i = 0; i < 40; i++) {
        tree.append(leaf(next++));
      }
    }
  }

  @Test
  void withTheRecordCacheEachDirtyChunkReachesTheChangelogOncePerCommit() {
    Topology topology = new Topology();
    topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
    topology.addProcessor("append", Appender::new, "in");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("nodes"), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingEnabled(),
        "append");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tree");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    MerkleTree want = new MerkleTree(new InMemoryNodeStore());
    for (long i = 0; i < 1000; i++) {
      want.append(leaf(i));
    }
    List<KeyValue<byte[], byte[]>> changelog;
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      TestInputTopic<String, String> in =
          driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
      // The driver commits after each input record: 25 commits of 40 leaves.
      for (int r = 0; r < 25; r++) {
        in.pipeInput("k", "v");
      }
      changelog =
          driver
              .createOutputTopic(
                  "tree-nodes-changelog",
                  Serdes.ByteArray().deserializer(),
                  Serdes.ByteArray().deserializer())
              .readKeyValuesToList();
    }
    // 1,994 node writes; one changelog record per node before the chunks.
    assertThat(changelog.size()).as("changelog records for 1,000 leaves").isLessThan(400);

    // The changelog restores the tree.
    KeyValueStore<Bytes, byte[]> restored = KeyValueNodeStoreTest.openInMemory();
    for (KeyValue<byte[], byte[]> r : changelog) {
      restored.put(Bytes.wrap(r.key), r.value);
    }
    assertSameTree(MerkleTree.open(new KeyValueNodeStore(restored), 1000), want);
  }
}
