package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.streams.store.Codec;
import org.ledgerpki.streams.store.StoreKeys;

/**
 * A cosigner restart, as Kafka Streams performs it when an instance dies and another takes its task
 * over: the new instance has no local state and restores every store from its changelog topic. The
 * first driver's changelog records are captured and written into a second, fresh driver's stores;
 * the second must then judge a revocation of a certificate mirrored before the restart (its owner
 * and status identity come from the restored status store) and cosign the checkpoint after it (the
 * frontier and the last cosigned checkpoint come from the restored mirror state).
 */
class CosignerRestartTest {
  private static final TrustPolicy POLICY = TestLedger.TC.policy();
  private static final long T0 = 1_772_366_400_000L;
  private static final String APP = "cosigner-operator-b";
  private static final List<String> STORES =
      List.of(
          CosignerTopology.MIRROR_STATE,
          CosignerTopology.MIRROR_NODES,
          CosignerTopology.PARKED,
          CosignerTopology.STATUS);

  @TempDir Path first;
  @TempDir Path second;

  private static String changelog(String store) {
    return APP + "-" + store + "-changelog";
  }

  private static Map<String, List<KeyValue<byte[], byte[]>>> changelogs(CosignHarness.Cosigner c) {
    Map<String, List<KeyValue<byte[], byte[]>>> out = new LinkedHashMap<>();
    for (String store : STORES) {
      TestOutputTopic<byte[], byte[]> t =
          c.driver.createOutputTopic(
              changelog(store),
              Serdes.ByteArray().deserializer(),
              Serdes.ByteArray().deserializer());
      out.put(store, t.readKeyValuesToList());
    }
    return out;
  }

  private static void restore(
      CosignHarness.Cosigner c, Map<String, List<KeyValue<byte[], byte[]>>> changelogs) {
    KeyValueStore<String, byte[]> state = c.driver.getKeyValueStore(CosignerTopology.MIRROR_STATE);
    for (KeyValue<byte[], byte[]> r : changelogs.get(CosignerTopology.MIRROR_STATE)) {
      String key = Serdes.String().deserializer().deserialize("", r.key);
      if (r.value == null) {
        state.delete(key);
      } else {
        state.put(key, r.value);
      }
    }
    for (String store : STORES.subList(1, STORES.size())) {
      KeyValueStore<Bytes, byte[]> kv = c.driver.getKeyValueStore(store);
      for (KeyValue<byte[], byte[]> r : changelogs.get(store)) {
        if (r.value == null) {
          kv.delete(Bytes.wrap(r.key));
        } else {
          kv.put(Bytes.wrap(r.key), r.value);
        }
      }
    }
  }

  private static List<Cosignature> checkpointCosignatures(CosignHarness.Cosigner c) {
    return c.cosignatures.readValuesToList().stream()
        .filter(x -> x.getKind() == CosignatureKind.CHECKPOINT)
        .toList();
  }

  /** The layouts of the status store that cosigners wrote before this one, still read. */
  private enum Layout {
    /** One record per certificate, by leaf hash ('L': index, certificate, key hash, owner). */
    CURRENT,
    /** 'L' (index) and, by certificate, 'J' (leaf hash, key hash, owner). */
    COMBINED_BY_CERTIFICATE,
    /** 'L' (index) and, by certificate, 'O' (owner) and 'I' (leaf hash, key hash). */
    BEFORE_THE_COMBINED_RECORD
  }

  /**
   * The changelog with each certificate's leaf record rewritten in {@code layout}, as a store
   * restored from an older deployment's changelog holds it.
   */
  private static List<KeyValue<byte[], byte[]>> inLayout(
      List<KeyValue<byte[], byte[]>> status,
      String origin,
      List<LedgerEntry> certs,
      Layout layout) {
    List<KeyValue<byte[], byte[]>> out = new ArrayList<>();
    int rewritten = 0;
    for (KeyValue<byte[], byte[]> r : status) {
      LedgerEntry match = null;
      for (LedgerEntry e : certs) {
        byte[] l =
            StoreKeys.of(origin, 'L')
                .raw(Rfc9162.leafHash(Evidence.bytes(e.getEntry())))
                .build()
                .get();
        if (Arrays.equals(l, r.key)) {
          match = e;
        }
      }
      if (match == null) {
        out.add(r);
        continue;
      }
      Codec.Reader reader = new Codec.Reader(r.value, "leaf record");
      long index = reader.i64();
      byte[] cert = reader.bytes();
      byte[] spki = reader.bytes();
      String owner = reader.string();
      reader.end();
      assertThat(cert).isEqualTo(Evidence.bytes(match.getCertificateSha256()));
      assertThat(index).isEqualTo(match.getIndex());
      byte[] leaf = Rfc9162.leafHash(Evidence.bytes(match.getEntry()));
      out.add(KeyValue.pair(r.key, new Codec.Writer().i64(index).toByteArray()));
      if (layout == Layout.COMBINED_BY_CERTIFICATE) {
        out.add(
            KeyValue.pair(
                StoreKeys.of(origin, 'J').raw(cert).build().get(),
                new Codec.Writer().bytes(leaf).bytes(spki).string(owner).toByteArray()));
      } else {
        out.add(
            KeyValue.pair(
                StoreKeys.of(origin, 'O').raw(cert).build().get(),
                owner.getBytes(StandardCharsets.UTF_8)));
        out.add(
            KeyValue.pair(
                StoreKeys.of(origin, 'I').raw(cert).build().get(),
                new Codec.Writer().bytes(leaf).bytes(spki).toByteArray()));
      }
      rewritten++;
    }
    assertThat(rewritten).as("leaf records rewritten").isEqualTo(certs.size());
    return out;
  }

  @Test
  void aRestoredCosignerJudgesEventsAboutCertificatesMirroredBeforeTheRestart() {
    restartAndRevoke(Layout.CURRENT);
  }

  @Test
  void aStoreWithTheCombinedRecordByCertificateIsStillRead() {
    restartAndRevoke(Layout.COMBINED_BY_CERTIFICATE);
  }

  @Test
  void aStoreWrittenBeforeTheCombinedRecordIsStillRead() {
    restartAndRevoke(Layout.BEFORE_THE_COMBINED_RECORD);
  }

  private void restartAndRevoke(Layout layout) {
    TestLedger ledger = new TestLedger();
    List<LedgerEntry> certs = ledger.add(3);
    Map<String, List<KeyValue<byte[], byte[]>>> saved;
    try (CosignHarness h =
        new CosignHarness(POLICY, first, List.of(TestLedger.TC.member("operator-b")))) {
      CosignHarness.Cosigner b = h.cosigner("operator-b");
      h.entries(ledger.entries());
      h.checkpoint(ledger.checkpoint(T0));
      assertThat(checkpointCosignatures(b)).hasSize(1);
      saved = changelogs(b);
    }
    // The null entry's leaf, and per certificate one record: its leaf hash with its index, its
    // certificate, key hash and owner.
    assertThat(saved.get(CosignerTopology.STATUS))
        .as("cosigner-status changelog records for the null entry and 3 certificates")
        .hasSize(1 + 3);
    if (layout != Layout.CURRENT) {
      saved.put(
          CosignerTopology.STATUS,
          inLayout(saved.get(CosignerTopology.STATUS), ledger.origin(), certs, layout));
    }

    try (CosignHarness h =
        new CosignHarness(POLICY, second, List.of(TestLedger.TC.member("operator-b")))) {
      CosignHarness.Cosigner b = h.cosigner("operator-b");
      restore(b, saved);
      // The owner revokes a certificate mirrored before the restart: the restored store must know
      // its owner and status identity, or the status log is tainted and the checkpoint refused.
      h.status(ledger.lifecycle(certs.get(1), Operation.REVOKE, 1, "vendor-a"));
      Checkpoint cp = ledger.checkpoint(T0 + 1000);
      h.checkpoint(cp);
      assertThat(b.metric("tainted-entries-total")).isZero();
      assertThat(b.metric("tainted-status-events-total")).isZero();
      assertThat(b.metric("refused-checkpoints-total")).isZero();
      assertThat(checkpointCosignatures(b))
          .extracting(Cosignature::getEnd)
          .as("the checkpoint after the restart, at the same size, cosigned")
          .containsExactly(3L + 1);
      // The entries already mirrored, replayed after the restart, change nothing.
      h.entries(ledger.entries());
      h.checkpoint(ledger.checkpoint(T0 + 2000));
      assertThat(b.metric("tainted-entries-total")).isZero();
      assertThat(b.metric("refused-checkpoints-total")).isZero();
    }
  }
}
