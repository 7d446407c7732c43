package org.ledgerpki.streams.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyValueNodeStoreTest {
  private KeyValueStore<Bytes, byte[]> store;

  @BeforeEach
  void openStore() {
    store = openInMemory();
  }

  static KeyValueStore<Bytes, byte[]> openInMemory() {
    KeyValueStore<Bytes, byte[]> s =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("nodes"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    s.init(context.getStateStoreContext(), s);
    return s;
  }

  static byte[] hash(int fill) {
    byte[] h = new byte[32];
    Arrays.fill(h, (byte) fill);
    return h;
  }

  /** The per-node key of the layout before the chunks: prefix, level, 8-byte index. */
  static Bytes oldKey(Bytes prefix, int level, long index) {
    return Bytes.wrap(
        ByteBuffer.allocate(prefix.get().length + 9)
            .put(prefix.get())
            .put((byte) level)
            .putLong(index)
            .array());
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  @Test
  void aTreeAloneIsKeyedByMarkerLevelThenChunk() {
    new KeyValueNodeStore(store).put(2, 7, hash(1));

    // The issuance stream's tree-nodes changelog: 'C', 1 byte level, 8 bytes big-endian chunk.
    Bytes expected = Bytes.wrap(new byte[] {'C', 2, 0, 0, 0, 0, 0, 0, 0, 0});
    assertThat(KeyValueNodeStore.chunkKey(2, 7)).isEqualTo(expected);
    assertThat(KeyValueNodeStore.chunkKey(2, 15)).isEqualTo(expected);
    assertThat(KeyValueNodeStore.chunkKey(2, 16))
        .isEqualTo(Bytes.wrap(new byte[] {'C', 2, 0, 0, 0, 0, 0, 0, 0, 1}));
    // Bitmap with bit 7 set, slots 0..6 zero, slot 7 the hash.
    assertThat(store.get(expected))
        .isEqualTo(concat(new byte[] {0, (byte) 0x80}, new byte[7 * 32], hash(1)));
    assertThat(store.approximateNumEntries()).isEqualTo(1);
  }

  @Test
  void aChunkHoldsItsSlotsInAnyOrderWithGaps() {
    KeyValueNodeStore nodes = new KeyValueNodeStore(store);
    nodes.put(0, 9, hash(9));
    nodes.put(0, 3, hash(3));
    nodes.put(0, 15, hash(15));

    Bytes key = KeyValueNodeStore.chunkKey(0, 0);
    byte[] value = store.get(key);
    assertThat(value).hasSize(2 + 16 * 32);
    assertThat(Arrays.copyOf(value, 2)).isEqualTo(new byte[] {(byte) 0x82, 0x08});
    for (int i = 0; i < 16; i++) {
      byte[] want = i == 3 || i == 9 || i == 15 ? hash(i) : null;
      assertThat(nodes.get(0, i)).as("slot %d", i).isEqualTo(want);
    }
    assertThat(nodes.get(0, 16)).isNull();
    assertThat(nodes.get(1, 3)).isNull();
  }

  @Test
  void roundTripsAtChunkBoundaries() {
    KeyValueNodeStore nodes = new KeyValueNodeStore(store);
    long[] indices = {0, 15, 16, 31, 32, 47, 1L << 40, Long.MAX_VALUE};
    for (int level : new int[] {0, 1, 62}) {
      for (long i : indices) {
        nodes.put(level, i, hash((int) (level + i)));
      }
    }
    for (int level : new int[] {0, 1, 62}) {
      for (long i : indices) {
        assertThat(nodes.get(level, i)).isEqualTo(hash((int) (level + i)));
      }
      for (long i : new long[] {1, 14, 17, 30, 33, 48, (1L << 40) + 1, Long.MAX_VALUE - 1}) {
        assertThat(nodes.get(level, i)).isNull();
      }
    }
    // Per level: chunk 0 (0, 15), chunk 1 (16, 31), chunk 2 (32, 47), 2^36 and 2^59 - 1.
    assertThat(store.approximateNumEntries()).isEqualTo(3 * 5);
  }

  @Test
  void aReplayOrAReplacementKeepsTheOtherSlots() {
    KeyValueNodeStore nodes = new KeyValueNodeStore(store);
    nodes.put(0, 16, hash(1));
    nodes.put(0, 17, hash(2));
    byte[] before = store.get(KeyValueNodeStore.chunkKey(0, 16)).clone();
    nodes.put(0, 16, hash(1));
    assertThat(store.get(KeyValueNodeStore.chunkKey(0, 16))).isEqualTo(before);
    nodes.put(0, 16, hash(3));
    assertThat(nodes.get(0, 16)).isEqualTo(hash(3));
    assertThat(nodes.get(0, 17)).isEqualTo(hash(2));
  }

  @Test
  void keepsNoArrayOfTheCallerAndHandsOutNoneOfItsOwn() {
    KeyValueNodeStore nodes = new KeyValueNodeStore(store);
    byte[] h = hash(1);
    nodes.put(0, 0, h);
    h[0] = 9;
    byte[] got = nodes.get(0, 0);
    assertThat(got).isEqualTo(hash(1));
    got[0] = 9;
    assertThat(nodes.get(0, 0)).isEqualTo(hash(1));
    byte[] chunk = store.get(KeyValueNodeStore.chunkKey(0, 0));
    nodes.put(0, 1, hash(2));
    assertThat(chunk).as("the array the store held before the put").hasSize(34);
  }

  @Test
  void treesSharingAStoreAreKeyedByTheirPrefix() {
    Bytes pa = StoreKeys.of("log-a", 'N').build();
    Bytes pb = StoreKeys.of("log-b", 'N').build();
    KeyValueNodeStore a = new KeyValueNodeStore(store, pa);
    KeyValueNodeStore b = new KeyValueNodeStore(store, pb);
    for (int i = 0; i < 40; i++) {
      a.put(0, i, hash(i));
      b.put(0, i, hash(100 + i));
    }
    a.put(3, 5, hash(7));

    // The cosigner's mirror-nodes changelog: origin, tag 'N', 'C', level, chunk.
    assertThat(store.get(StoreKeys.of("log-a", 'N').u8('C').u8(0).u64(2).build()))
        .hasSize(2 + 8 * 32);
    assertThat(store.approximateNumEntries()).isEqualTo(3 + 3 + 1);
    for (int i = 0; i < 40; i++) {
      assertThat(a.get(0, i)).isEqualTo(hash(i));
      assertThat(b.get(0, i)).isEqualTo(hash(100 + i));
    }
    assertThat(a.get(0, 40)).isNull();
    assertThat(a.get(3, 5)).isEqualTo(hash(7));
    assertThat(b.get(3, 5)).isNull();
  }

  @Test
  void readsANodeOfThePerNodeLayoutWhenItsChunkLacksIt() {
    Bytes p = StoreKeys.of("log-a", 'N').build();
    // Written before the chunks: nodes (0, 0) to (0, 19) and (1, 0) to (1, 9), one key each.
    for (int i = 0; i < 20; i++) {
      store.put(oldKey(p, 0, i), hash(i));
    }
    for (int i = 0; i < 10; i++) {
      store.put(oldKey(p, 1, i), hash(50 + i));
    }
    KeyValueNodeStore nodes = new KeyValueNodeStore(store, p);
    nodes.put(0, 20, hash(20));
    nodes.put(0, 17, hash(17)); // a replay of an old node goes to its chunk
    nodes.put(1, 10, hash(60));

    for (int i = 0; i <= 20; i++) {
      assertThat(nodes.get(0, i)).isEqualTo(hash(i));
    }
    for (int i = 0; i <= 10; i++) {
      assertThat(nodes.get(1, i)).isEqualTo(hash(50 + i));
    }
    assertThat(nodes.get(0, 21)).isNull();
    assertThat(new KeyValueNodeStore(store).get(0, 0)).as("another prefix").isNull();
    assertThat(store.approximateNumEntries()).as("30 old keys and two chunks").isEqualTo(32);
  }

  @Test
  void refusesAMalformedChunk() {
    store.put(KeyValueNodeStore.chunkKey(0, 0), new byte[] {0, 3, 1});
    KeyValueNodeStore nodes = new KeyValueNodeStore(store);
    assertThatThrownBy(() -> nodes.get(0, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has 3 bytes and bitmap 3");
    store.put(KeyValueNodeStore.chunkKey(0, 0), new byte[2 + 32]);
    assertThatThrownBy(() -> nodes.put(0, 1, hash(1))).hasMessageContaining("bitmap 0");
  }

  @Test
  void refusesAHashOfTheWrongSizeAndANodeOutOfRange() {
    KeyValueNodeStore nodes = new KeyValueNodeStore(store);
    assertThatThrownBy(() -> nodes.put(0, 0, new byte[31]))
        .hasMessage("node hash has 31 bytes, want 32");
    assertThatThrownBy(() -> nodes.get(63, 0)).hasMessage("no node (level 63, index 0)");
    assertThatThrownBy(() -> nodes.get(0, -1)).hasMessage("no node (level 0, index -1)");
    assertThatThrownBy(() -> nodes.put(-1, 0, hash(1))).hasMessage("no node (level -1, index 0)");
  }
}
