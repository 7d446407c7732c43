package org.ledgerpki.bench.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * How the revocation benchmark watches revocations propagate: each revocation in flight ({@link
 * Pending}), a poller per inquiry node ({@link Poller}), and a follower of the ledger topics that
 * stamps the pipeline's stages ({@link Stages}).
 */
final class RevocationWatch {
  private RevocationWatch() {}

  /** One revocation in flight: when it was requested, and when each node first showed it. */
  static final class Pending {
    final int i;
    final String sha;
    final long t0;
    final AtomicLongArray seen;
    final String[] bodies;
    volatile long endorsedAt;
    volatile int verdicts;
    volatile long decidedAt;
    volatile long sequence = -1;
    volatile long sequencedAt;
    volatile long checkpointedAt;
    volatile long cosignedAt;

    Pending(int i, String sha, long t0, int nodes) {
      this.i = i;
      this.sha = sha;
      this.t0 = t0;
      this.seen = new AtomicLongArray(nodes);
      this.bodies = new String[nodes];
    }

    boolean done() {
      for (int n = 0; n < seen.length(); n++) {
        if (seen.get(n) == 0) {
          return false;
        }
      }
      return true;
    }

    /** Nanoseconds until the last node showed it. */
    long latency() {
      long last = 0;
      for (int n = 0; n < seen.length(); n++) {
        last = Math.max(last, seen.get(n));
      }
      return last - t0;
    }
  }

  /** Asks one node about every pending revocation it has not shown yet, every {@code pollMs}. */
  static final class Poller implements Runnable {
    final int node;
    final String url;
    final Map<Integer, Pending> pending;
    final int pollMs;
    final int inFlight;
    final AtomicInteger requests = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong nanos =
        new java.util.concurrent.atomic.AtomicLong();
    volatile boolean running = true;
    final HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /**
     * @param inFlight the most requests open at once (1: one after another)
     */
    Poller(int node, String url, Map<Integer, Pending> pending, int pollMs, int inFlight) {
      this.inFlight = inFlight;
      this.node = node;
      this.url = url;
      this.pending = pending;
      this.pollMs = pollMs;
    }

    /**
     * Each cycle asks about every revocation this node has not shown yet, up to {@code inFlight} at
     * a time on as many connections, and stamps each when its answer arrives. One after another, a
     * cycle lasts the sum of the answers' times, which the nodes' stage is charged with; at once,
     * each answer waits behind the others at the node. At 10 revocations a second neither gave the
     * nodes' stage a shorter time (BENCHMARKS.md, P5).
     */
    @Override
    public void run() {
      while (running) {
        long cycle = System.nanoTime();
        List<Pending> unseen = new ArrayList<>();
        for (Pending p : pending.values()) {
          if (p.seen.get(node) == 0) {
            unseen.add(p);
          }
        }
        for (int from = 0; from < unseen.size() && running; from += inFlight) {
          List<CompletableFuture<Void>> asked = new ArrayList<>();
          for (Pending p : unseen.subList(from, Math.min(unseen.size(), from + inFlight))) {
            asked.add(ask(p));
          }
          try {
            CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } catch (ExecutionException e) {
            // ask() handles its own failures; a revocation not shown is asked again next cycle.
          }
        }
        long sleep = pollMs - (System.nanoTime() - cycle) / 1_000_000;
        if (sleep > 0) {
          try {
            Thread.sleep(sleep);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    /** Asks about {@code p}; marks it shown at this node when the answer says REVOKED. */
    private CompletableFuture<Void> ask(Pending p) {
      long q = System.nanoTime();
      return http.sendAsync(
              HttpRequest.newBuilder(URI.create(url + "/v1/status/" + p.sha))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .handle(
              (r, failure) -> {
                long at = System.nanoTime();
                if (failure != null) {
                  return null; // counted as not yet; the next cycle asks again
                }
                nanos.addAndGet(at - q);
                requests.incrementAndGet();
                if (r.statusCode() == 200 && r.body().contains("\"status\":\"REVOKED\"")) {
                  p.bodies[node] = r.body();
                  p.seen.set(node, at);
                  if (p.done()) {
                    pending.remove(p.i);
                  }
                }
                return null;
              });
    }

    void stop() {
      running = false;
    }
  }

  /**
   * Follows ledger.status, ledger.checkpoints and ledger.cosigned (read_committed, as the nodes do)
   * and stamps each revocation when its event, then a signed and a cosigned checkpoint that commits
   * to it, become visible.
   */
  static final class Stages implements Runnable {
    final KafkaConsumer<byte[], byte[]> consumer;
    final Topics topics;
    final List<Pending> all;
    volatile boolean running = true;

    Stages(String bootstrap, Topics topics, List<Pending> all) {
      this.topics = topics;
      this.all = all;
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> tps =
          List.of(
              new TopicPartition(topics.endorsements().name(), 0),
              new TopicPartition(topics.decisions().name(), 0),
              new TopicPartition(topics.status().name(), 0),
              new TopicPartition(topics.checkpoints().name(), 0),
              new TopicPartition(topics.cosigned().name(), 0));
      consumer.assign(tps);
      consumer.seekToEnd(tps);
      for (TopicPartition tp : tps) {
        consumer.position(tp);
      }
    }

    /** The status count of a checkpoint note's ledger-pki-status line; -1 if none. */
    static long statusCount(String note) {
      for (String line : note.split("\n")) {
        if (line.startsWith(StatusCommitment.PREFIX)) {
          return Long.parseLong(line.split(" ")[1]);
        }
      }
      return -1;
    }

    private final Covering signedSeen = new Covering();
    private final Covering cosignedSeen = new Covering();

    /** Checkpoint records seen (heartbeats included), and over how long: what the run cost. */
    volatile long signedRecords;

    volatile long cosignedRecords;
    volatile long watchedNanos;

    /** When checkpoints of growing status counts were first seen, in the order they were seen. */
    static final class Covering {
      private final List<long[]> seen = new ArrayList<>();

      void saw(long count, long at) {
        if (seen.isEmpty() || count > seen.get(seen.size() - 1)[0]) {
          seen.add(new long[] {count, at});
        }
      }

      /**
       * When the first checkpoint that covers status event {@code sequence} was seen; 0 if none.
       */
      long firstCovering(long sequence) {
        for (long[] s : seen) {
          if (sequence < s[0]) {
            return s[1];
          }
        }
        return 0;
      }
    }

    @Override
    public void run() {
      long began = System.nanoTime();
      Map<String, Pending> bySha = new HashMap<>();
      int known = 0;
      try {
        while (running) {
          var records = consumer.poll(Duration.ofMillis(20));
          long now = System.nanoTime();
          synchronized (all) {
            for (; known < all.size(); known++) {
              bySha.put(all.get(known).sha, all.get(known));
            }
          }
          for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(topics.endorsements().name())
                || r.topic().equals(topics.decisions().name())) {
              Pending p =
                  r.key() == null ? null : bySha.get(new String(r.key(), StandardCharsets.UTF_8));
              if (p != null && p.sequencedAt == 0) {
                if (r.topic().equals(topics.decisions().name())) {
                  if (p.decidedAt == 0) {
                    p.decidedAt = now;
                  }
                } else if (++p.verdicts == 2) {
                  p.endorsedAt = now;
                }
              }
            } else if (r.topic().equals(topics.status().name())) {
              StatusEntry e =
                  topics.status().valueSerde().deserializer().deserialize(r.topic(), r.value());
              Pending p = bySha.get(Hex.encode(Evidence.bytes(e.getCertificateSha256())));
              if (p != null && p.sequencedAt == 0) {
                p.sequence = e.getSequence();
                p.sequencedAt = now;
              }
            } else {
              boolean cosigned = r.topic().equals(topics.cosigned().name());
              String note =
                  cosigned
                      ? topics
                          .cosigned()
                          .valueSerde()
                          .deserializer()
                          .deserialize(r.topic(), r.value())
                          .getNote()
                      : topics
                          .checkpoints()
                          .valueSerde()
                          .deserializer()
                          .deserialize(r.topic(), r.value())
                          .getNote();
              long count = statusCount(note);
              (cosigned ? cosignedSeen : signedSeen).saw(count, now);
              if (cosigned) {
                cosignedRecords++;
              } else {
                signedRecords++;
              }
            }
          }
        }
      } finally {
        watchedNanos = System.nanoTime() - began;
        consumer.close();
        stampCheckpoints();
      }
    }

    /**
     * Stamps each sequenced revocation with the first signed and cosigned checkpoint that covers
     * it. A checkpoint committed in the same transaction as the event (ADR 0016) can reach this
     * consumer first: it covers the event from the moment the event is visible, never earlier.
     */
    private void stampCheckpoints() {
      synchronized (all) {
        for (Pending p : all) {
          if (p.sequence < 0) {
            continue;
          }
          long signedAt = signedSeen.firstCovering(p.sequence);
          if (signedAt > 0) {
            p.checkpointedAt = Math.max(signedAt, p.sequencedAt);
          }
          long cosignedAt = cosignedSeen.firstCovering(p.sequence);
          if (cosignedAt > 0) {
            p.cosignedAt = Math.max(cosignedAt, p.sequencedAt);
          }
        }
      }
    }
  }

  /** The size of the node's latest cosigned checkpoint (second line of the note). */
  static long checkpointSize(String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v1/checkpoint")).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? Long.parseLong(r.body().split("\n")[1]) : -1;
  }
}
