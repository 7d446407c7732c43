package org.ledgerpki.inquiry.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * The inquiry node's local store: an append-only file of the ledger records it applied, with the
 * consumer positions after each batch, so that a restart replays the file and resumes from Kafka
 * where it stopped. It is only a cache: deleting the store directory makes the node rebuild the
 * same index from the topics.
 *
 * <p>Layout of {@code <dir>/journal.bin}: a header line, then frames {@code [int length][int
 * crc32][payload]}. A payload is a record ({@code 1, topic code, partition, offset, Avro
 * single-object encoding of the value}) or positions ({@code 2, count, (topic code, partition, next
 * offset)*}). A torn or corrupt tail (a crash mid-write) is cut off when the file is opened. {@code
 * <dir>/identity} names the cluster and topics the journal was read from; if it differs, the
 * journal is discarded.
 *
 * <p>Only the follower thread uses a journal; it is not thread-safe.
 */
public final class Journal implements AutoCloseable {
  private static final Logger log = Logger.getLogger(Journal.class);
  private static final byte[] HEADER =
      "ledgerpki-inquiry-journal v1\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte RECORD = 1;
  private static final byte POSITIONS = 2;
  private static final int MAX_FRAME = 16 << 20;

  /** A partition of a followed topic. */
  public record Partition(LedgerTopic topic, int partition) {}

  /** Receives the records of a replay. */
  @FunctionalInterface
  public interface Sink {
    /** Applies one record read back from the journal. */
    void accept(LedgerTopic topic, SpecificRecord value);
  }

  private final Path dir;
  private final Path file;
  private OutputStream out;
  private final ByteArrayOutputStream frame = new ByteArrayOutputStream(4096);
  private final CRC32 crc = new CRC32();

  private Journal(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("journal.bin");
  }

  /**
   * Opens (creating if needed) the store in {@code dir}; call {@link #adopt} before reading it.
   *
   * @throws UncheckedIOException if the directory cannot be created or written
   */
  public static Journal open(Path dir) {
    Journal j = new Journal(dir);
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, "probe", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the store directory " + dir + ": " + e, e);
    }
    return j;
  }

  /**
   * Binds the store to what it is read from. If it was written for another {@code identity}
   * (another cluster or topic prefix), the journal is discarded.
   *
   * @param identity what the journal's records are read from, e.g. cluster id and topic names
   * @throws UncheckedIOException if the store cannot be read or written
   */
  public void adopt(String identity) {
    Objects.requireNonNull(identity, "identity");
    try {
      Path id = dir.resolve("identity");
      String held = Files.exists(id) ? Files.readString(id, StandardCharsets.UTF_8) : null;
      if (held != null && !held.equals(identity)) {
        log.warnf(
            "store %s was written for [%s], this node follows [%s]: discarding it and rebuilding"
                + " from the topics",
            dir, held.strip().replace('\n', ' '), identity.strip().replace('\n', ' '));
        wipe();
      }
      Files.writeString(id, identity, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the store directory " + dir + ": " + e, e);
    }
  }

  /** The store directory. */
  public Path directory() {
    return dir;
  }

  /**
   * Reads the journal back: passes each record to {@code sink} (unless it is null) and returns the
   * positions to resume from. Cuts off a torn or corrupt tail. Must be called before the first
   * append.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws RuntimeException whatever {@code sink} or the Avro decoder throws; the caller should
   *     then {@link #wipe()} and rebuild from the topics
   */
  public Map<Partition, Long> replay(Sink sink) {
    Map<Partition, Long> positions = new HashMap<>();
    if (!Files.exists(file)) {
      return positions;
    }
    long valid = 0;
    long records = 0;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] header = new byte[HEADER.length];
      in.readFully(header);
      if (!java.util.Arrays.equals(header, HEADER)) {
        log.warnf("store %s: %s is not a journal of this version; discarding it", dir, file);
        truncate(0);
        return positions;
      }
      valid = HEADER.length;
      while (true) {
        int length;
        int sum;
        byte[] payload;
        try {
          length = in.readInt();
          sum = in.readInt();
          if (length < 1 || length > MAX_FRAME) {
            break;
          }
          payload = new byte[length];
          in.readFully(payload);
        } catch (EOFException e) {
          break;
        }
        crc.reset();
        crc.update(payload);
        if ((int) crc.getValue() != sum) {
          break;
        }
        ByteBuffer p = ByteBuffer.wrap(payload);
        byte type = p.get();
        if (type == RECORD) {
          LedgerTopic topic = LedgerTopic.ofCode(p.get());
          int partition = p.getInt();
          long offset = p.getLong();
          if (sink != null) {
            sink.accept(topic, decode(topic, p.slice()));
          }
          positions.merge(new Partition(topic, partition), offset + 1, Math::max);
          records++;
        } else if (type == POSITIONS) {
          int n = p.getInt();
          for (int i = 0; i < n; i++) {
            positions.put(new Partition(LedgerTopic.ofCode(p.get()), p.getInt()), p.getLong());
          }
        } else {
          break;
        }
        valid += 8 + length;
      }
    } catch (EOFException e) {
      // a header cut short: nothing valid
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal " + file + ": " + e, e);
    }
    long size = size();
    if (valid < size) {
      log.warnf(
          "store %s: cutting a torn or corrupt tail of %d bytes off the journal",
          dir, size - valid);
      truncate(valid);
    }
    log.infof("store %s: replayed %d records from the journal", dir, records);
    return positions;
  }

  private static SpecificRecord decode(LedgerTopic topic, ByteBuffer b) throws IOException {
    return switch (topic) {
      case ENTRIES -> LedgerEntry.fromByteBuffer(b);
      case COSIGNED -> CosignedCheckpoint.fromByteBuffer(b);
      case LANDMARKS -> Landmark.fromByteBuffer(b);
      case DECISIONS -> Decision.fromByteBuffer(b);
      case STATUS -> StatusEntry.fromByteBuffer(b);
      case POLICY -> PolicyChange.fromByteBuffer(b);
    };
  }

  private static ByteBuffer encode(SpecificRecord value) throws IOException {
    return switch (value) {
      case LedgerEntry e -> e.toByteBuffer();
      case CosignedCheckpoint c -> c.toByteBuffer();
      case Landmark l -> l.toByteBuffer();
      case Decision d -> d.toByteBuffer();
      case StatusEntry e -> e.toByteBuffer();
      case PolicyChange c -> c.toByteBuffer();
      default -> throw new IllegalArgumentException("not a followed record: " + value.getClass());
    };
  }

  /** Appends a record the node applied, read at {@code offset} of {@code partition}. */
  public void append(Partition partition, long offset, SpecificRecord value) {
    try {
      ByteBuffer body = encode(value);
      frame.reset();
      DataOutputStream d = new DataOutputStream(frame);
      d.writeByte(RECORD);
      d.writeByte(partition.topic().code());
      d.writeInt(partition.partition());
      d.writeLong(offset);
      d.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
      writeFrame();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the journal " + file + ": " + e, e);
    }
  }

  /** Appends the consumer positions (next offsets to read) of every followed partition. */
  public void positions(Map<Partition, Long> positions) {
    try {
      frame.reset();
      DataOutputStream d = new DataOutputStream(frame);
      d.writeByte(POSITIONS);
      d.writeInt(positions.size());
      for (Map.Entry<Partition, Long> e : positions.entrySet()) {
        d.writeByte(e.getKey().topic().code());
        d.writeInt(e.getKey().partition());
        d.writeLong(e.getValue());
      }
      writeFrame();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the journal " + file + ": " + e, e);
    }
  }

  private void writeFrame() throws IOException {
    OutputStream o = output();
    byte[] payload = frame.toByteArray();
    crc.reset();
    crc.update(payload);
    DataOutputStream d = new DataOutputStream(o);
    d.writeInt(payload.length);
    d.writeInt((int) crc.getValue());
    d.write(payload);
  }

  private OutputStream output() throws IOException {
    if (out == null) {
      boolean fresh = !Files.exists(file) || Files.size(file) == 0;
      out =
          new BufferedOutputStream(
              Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
              1 << 16);
      if (fresh) {
        out.write(HEADER);
      }
    }
    return out;
  }

  /** Hands what was appended to the operating system (the follower calls it after each batch). */
  public void flush() {
    if (out != null) {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the journal " + file + ": " + e, e);
      }
    }
  }

  /** Deletes the journal: the next start rebuilds from the topics. */
  public void wipe() {
    close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the journal " + file + ": " + e, e);
    }
  }

  private long size() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private void truncate(long length) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot repair the journal " + file + ": " + e, e);
    }
  }

  @Override
  public void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        log.warnf("could not close the journal %s: %s", file, e);
      }
      out = null;
    }
  }
}
