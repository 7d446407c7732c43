package org.ledgerpki.bench.system;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka records per certificate, by topic: the growth of every partition's end offset between two
 * snapshots of the broker (every topic, the broker's own {@code __consumer_offsets} and {@code
 * __transaction_state} included), and the committed data records in that range, counted by reading
 * it with {@code read_committed}.
 *
 * <p>An end offset counts every record the log holds: data records, the transaction markers a
 * transactional producer writes at each commit or abort (one per partition it wrote in the
 * transaction), and the data records of aborted transactions. The committed count is what a
 * consumer sees; the difference is markers plus aborted records.
 */
final class TopicRecords {
  /** One topic's growth between two snapshots. */
  record Growth(String topic, long offsets, long committed) {}

  private final String bootstrap;

  TopicRecords(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** The end offset of every partition of every topic on the broker now. */
  Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> names =
          admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      for (TopicDescription d : described.values()) {
        d.partitions()
            .forEach(
                p -> ask.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> got =
          admin.listOffsets(ask).all().get();
      Map<TopicPartition, Long> out = new HashMap<>();
      got.forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    }
  }

  /**
   * The growth of each topic from {@code before} to {@code after} (partitions absent from {@code
   * before} count from 0), with its committed data records counted by reading each grown range with
   * {@code read_committed}; topics that did not grow are left out. Sorted by offsets, largest
   * first.
   */
  List<Growth> growth(Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
    Map<TopicPartition, long[]> ranges = new HashMap<>();
    after.forEach(
        (tp, end) -> {
          long start = before.getOrDefault(tp, 0L);
          if (end > start) {
            ranges.put(tp, new long[] {start, end});
          }
        });
    Map<TopicPartition, Long> committed = countCommitted(ranges);
    Map<String, long[]> byTopic = new TreeMap<>();
    ranges.forEach(
        (tp, r) -> {
          long[] t = byTopic.computeIfAbsent(tp.topic(), k -> new long[2]);
          t[0] += r[1] - r[0];
          t[1] += Math.max(0, committed.getOrDefault(tp, 0L));
        });
    List<Growth> out = new ArrayList<>();
    byTopic.forEach((topic, t) -> out.add(new Growth(topic, t[0], t[1])));
    out.sort(Comparator.comparingLong(Growth::offsets).reversed().thenComparing(Growth::topic));
    return out;
  }

  /**
   * Reads each range {@code [start, end)} with {@code read_committed} and counts the records; a
   * transaction still open at {@code end} is waited for (up to a minute in all).
   */
  private Map<TopicPartition, Long> countCommitted(Map<TopicPartition, long[]> ranges) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
    Map<TopicPartition, Long> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(ranges.keySet());
      ranges.forEach((tp, r) -> consumer.seek(tp, r[0]));
      Map<TopicPartition, long[]> open = new HashMap<>(ranges);
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      while (!open.isEmpty() && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          long[] range = ranges.get(tp);
          if (r.offset() < range[1]) {
            counts.merge(tp, 1L, Long::sum);
          }
        }
        List<TopicPartition> done = new ArrayList<>();
        for (TopicPartition tp : open.keySet()) {
          if (consumer.position(tp) >= ranges.get(tp)[1]) {
            done.add(tp);
          }
        }
        done.forEach(open::remove);
        consumer.pause(done);
      }
      open.keySet().forEach(tp -> counts.put(tp, -1L));
    }
    return counts;
  }

  /** Prints the table: topic, offsets and committed records per certificate, and the totals. */
  static void print(List<Growth> growth, int certificates, Consumer<String> out) {
    out.accept(
        String.format(
            Locale.ROOT,
            "Kafka records per certificate, by topic (end-offset growth during the measured phase;"
                + " it counts transaction markers and aborted records too; 'committed' are the"
                + " data records a read_committed consumer sees):"));
    out.accept(String.format(Locale.ROOT, "  %-64s %9s %10s", "topic", "offsets", "committed"));
    Map<Boolean, List<Growth>> split =
        growth.stream().collect(Collectors.partitioningBy(g -> g.topic().startsWith("__")));
    for (boolean broker : List.of(false, true)) {
      long offsets = 0;
      long committed = 0;
      for (Growth g : split.get(broker)) {
        out.accept(
            String.format(
                Locale.ROOT,
                "  %-64s %9.2f %10.2f",
                g.topic(),
                (double) g.offsets() / certificates,
                (double) g.committed() / certificates));
        offsets += g.offsets();
        committed += g.committed();
      }
      out.accept(
          String.format(
              Locale.ROOT,
              "  %-64s %9.2f %10.2f",
              broker
                  ? "total, broker's own topics (offsets commits, transaction log)"
                  : "TOTAL, the consortium's topics (ledger, changelogs, repartitions, dead letters)",
              (double) offsets / certificates,
              (double) committed / certificates));
    }
  }
}
