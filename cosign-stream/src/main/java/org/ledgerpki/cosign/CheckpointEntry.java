package org.ledgerpki.cosign;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A log-signed checkpoint the aggregator knows, with the valid CHECKPOINT cosignatures collected on
 * it (cosigner → signature lines) and whether its cosigned form was published. Mutable.
 */
final class CheckpointEntry {
  private static final int FORMAT = 1;

  final long previousSize;
  final String note;
  final long timestampMillis;
  boolean published;
  final TreeMap<String, List<String>> cosignatures = new TreeMap<>();

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
      w.string(e.getKey()).strings(e.getValue());
    }
    return w.toByteArray();
  }

  static CheckpointEntry decode(byte[] bytes) {
    Codec.Reader r = new Codec.Reader(bytes, "aggregated checkpoint").format(FORMAT);
    CheckpointEntry c = new CheckpointEntry(r.i64(), r.string(), r.i64());
    c.published = r.bool();
    long n = r.i64();
    for (long i = 0; i < n; i++) {
      c.cosignatures.put(r.string(), List.copyOf(r.strings()));
    }
    r.end();
    return c;
  }
}
