package org.ledgerpki.cosign.aggregator;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ledgerpki.streams.store.Codec;

/**
 * A log-signed checkpoint the aggregator knows, with the valid CHECKPOINT cosignatures collected on
 * it (cosigner → signature lines, and the cosignature's timestamp), whether its cosigned form was
 * published, and which cosigners re-cosigned it since (a heartbeat: once they reach the quorum, the
 * checkpoint is published again with their fresh signatures). Mutable.
 */
final class CheckpointEntry {
  private static final int FORMAT = 2;

  final long previousSize;
  final String note;
  final long timestampMillis;
  boolean published;
  final TreeMap<String, List<String>> cosignatures = new TreeMap<>();
  final TreeMap<String, Long> times = new TreeMap<>();
  final java.util.TreeSet<String> refreshed = new java.util.TreeSet<>();

  /**
   * Takes cosigner {@code name}'s lines signed at {@code timestamp} (POSIX seconds) if they are its
   * first or newer than the ones held; after publication, newer ones count as refreshed.
   *
   * @return whether they were taken
   */
  boolean take(String name, List<String> lines, long timestamp) {
    Long held = times.get(name);
    if (held != null && held >= timestamp) {
      return false;
    }
    cosignatures.put(name, List.copyOf(lines));
    times.put(name, timestamp);
    if (published) {
      refreshed.add(name);
    }
    return true;
  }

  CheckpointEntry(long previousSize, String note, long timestampMillis) {
    this.previousSize = previousSize;
    this.note = note;
    this.timestampMillis = timestampMillis;
  }

  byte[] encode() {
    Codec.Writer w =
        new Codec.Writer()
            .u8(FORMAT)
            .i64(previousSize)
            .string(note)
            .i64(timestampMillis)
            .bool(published)
            .i64(cosignatures.size());
    for (Map.Entry<String, List<String>> e : cosignatures.entrySet()) {
      w.string(e.getKey()).strings(e.getValue()).i64(times.getOrDefault(e.getKey(), 0L));
    }
    w.strings(List.copyOf(refreshed));
    return w.toByteArray();
  }

  static CheckpointEntry decode(byte[] bytes) {
    Codec.Reader r = new Codec.Reader(bytes, "aggregated checkpoint").format(FORMAT);
    CheckpointEntry c = new CheckpointEntry(r.i64(), r.string(), r.i64());
    c.published = r.bool();
    long n = r.i64();
    for (long i = 0; i < n; i++) {
      String name = r.string();
      c.cosignatures.put(name, List.copyOf(r.strings()));
      c.times.put(name, r.i64());
    }
    c.refreshed.addAll(r.strings());
    r.end();
    return c;
  }
}
