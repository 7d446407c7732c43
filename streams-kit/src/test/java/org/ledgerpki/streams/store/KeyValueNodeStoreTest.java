package org.ledgerpki.streams.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("nodes"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
  }

  private static byte[] hash(int fill) {
    byte[] h = new byte[32];
    Arrays.fill(h, (byte) fill);
    return h;
  }

  @Test
  void aTreeAloneIsKeyedByLevelThenIndex() {
    new KeyValueNodeStore(store).put(2, 7, hash(1));

    // The issuance stream's tree-nodes changelog: 1 byte level, 8 bytes big-endian index.
    Bytes expected = Bytes.wrap(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 7});
    assertThat(KeyValueNodeStore.key(2, 7)).isEqualTo(expected);
    assertThat(store.get(expected)).isEqualTo(hash(1));
  }

  @Test
  void treesSharingAStoreAreKeyedByTheirPrefix() {
    KeyValueNodeStore a = new KeyValueNodeStore(store, StoreKeys.of("log-a", 'N').build());
    KeyValueNodeStore b = new KeyValueNodeStore(store, StoreKeys.of("log-b", 'N').build());
    a.put(0, 3, hash(1));
    b.put(0, 3, hash(2));

    // The cosigner's mirror-nodes changelog: origin, tag 'N', level, index.
    assertThat(store.get(StoreKeys.of("log-a", 'N').u8(0).u64(3).build())).isEqualTo(hash(1));
    assertThat(store.get(StoreKeys.of("log-b", 'N').u8(0).u64(3).build())).isEqualTo(hash(2));
    assertThat(a.get(0, 3)).isEqualTo(hash(1));
    assertThat(b.get(0, 3)).isEqualTo(hash(2));
    assertThat(a.get(0, 4)).isNull();
  }

  @Test
  void refusesAHashOfTheWrongSizeAndANodeOutOfRange() {
    KeyValueNodeStore nodes = new KeyValueNodeStore(store);
    assertThatThrownBy(() -> nodes.put(0, 0, new byte[31]))
        .hasMessage("node hash has 31 bytes, want 32");
    assertThatThrownBy(() -> nodes.get(63, 0)).hasMessage("no node (level 63, index 0)");
    assertThatThrownBy(() -> nodes.get(0, -1)).hasMessage("no node (level 0, index -1)");
  }
}
