package org.ledgerpki.launcher.keylime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Keylime events an adapter has decided, kept in an append-only file ({@value #FILE} in the
 * adapter's state directory) so that a notification replayed after a restart is not acted on again,
 * and claimed in memory so that two concurrent deliveries of one event are not both acted on.
 *
 * <p>An event is named by its key (the adapter uses the SHA-256 of the signed {@code msg} text, see
 * {@link KeylimeNotification#key()}). Its life: {@link #claim} reserves it for one delivery; that
 * delivery then either {@link #release}s it (nothing was decided: a later delivery may try again)
 * or records it as {@link #decided}, which appends one line {@code <key> <decided-at>} to the file
 * and forces it to the device before returning.
 *
 * <p>The file is locked while it is open: two adapters cannot share a state directory. A last line
 * left incomplete by a crash in the middle of a write is dropped when the file is opened (that
 * event's answer was never sent, so its sender delivers it again); any other malformed line stops
 * the opening, named.
 *
 * <p>Thread-safe.
 */
public final class SeenEvents implements AutoCloseable {
  /** The file's name in the state directory. */
  public static final String FILE = "seen-events.log";

  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

  /** What {@link #claim} found. */
  public enum Claim {
    /**
     * The caller now holds the event: it must {@link #release} it or record it {@link #decided}.
     */
    CLAIMED,
    /** Another delivery holds the event and has not finished. */
    IN_PROGRESS,
    /** The event was decided before (in this run or, per the file, an earlier one). */
    DECIDED
  }

  private enum State {
    PENDING,
    DECIDED
  }

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final ConcurrentHashMap<String, State> events = new ConcurrentHashMap<>();

  private SeenEvents(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Opens (creating it and {@code dir} if missing) the file of decided events in {@code dir}, and
   * locks it.
   *
   * @throws IOException if it cannot be created, read or locked (another adapter holds it), or a
   *     line other than an incomplete last one is malformed; the message names the file
   */
  public static SeenEvents open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    boolean created = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    try {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IOException(
            file
                + " is locked by another Keylime adapter; give each adapter its own state directory");
      }
      if (created) {
        forceDirectory(dir);
      }
      SeenEvents seen = new SeenEvents(file, ch, lock);
      seen.load();
      return seen;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void load() throws IOException {
    long size = channel.size();
    ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(size));
    while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
      // read until full
    }
    String text = new String(all.array(), StandardCharsets.US_ASCII);
    int complete = text.lastIndexOf('\n') + 1;
    if (complete < text.length()) {
      // A crash in the middle of an append: that event was never answered; drop the torn line.
      channel.truncate(complete);
      channel.force(true);
    }
    int lineNo = 0;
    for (String line : text.substring(0, complete).split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      int sp = line.indexOf(' ');
      String key = sp < 0 ? line : line.substring(0, sp);
      if (!KEY.matcher(key).matches()) {
        throw new IOException(
            file
                + " line "
                + lineNo
                + ": expected '<64 hex> <time>', found '"
                + (line.length() > 80 ? line.substring(0, 80) + "..." : line)
                + "'");
      }
      events.put(key, State.DECIDED);
    }
    channel.position(complete);
  }

  /**
   * Claims the event {@code key} for the calling delivery, atomically: of several concurrent
   * callers with one key, exactly one gets {@link Claim#CLAIMED}.
   */
  public Claim claim(String key) {
    State before = events.putIfAbsent(key, State.PENDING);
    if (before == null) {
      return Claim.CLAIMED;
    }
    return before == State.DECIDED ? Claim.DECIDED : Claim.IN_PROGRESS;
  }

  /**
   * Gives up a claim without a decision, so that a later delivery of the event is acted on.
   * Requires that the caller {@linkplain #claim claimed} {@code key}; does nothing to a decided
   * event.
   */
  public void release(String key) {
    events.remove(key, State.PENDING);
  }

  /**
   * Records the claimed event {@code key} as decided: appends it to the file and forces the file to
   * the device. Even if that fails, the event stays decided in memory, so that this run does not
   * act on it twice.
   *
   * @throws IOException if the record could not be written or forced; the message names the file
   */
  public synchronized void decided(String key) throws IOException {
    events.put(key, State.DECIDED);
    ByteBuffer line =
        ByteBuffer.wrap((key + " " + Instant.now() + "\n").getBytes(StandardCharsets.US_ASCII));
    try {
      while (line.hasRemaining()) {
        channel.write(line);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new IOException("cannot record a decided event in " + file + ": " + e, e);
    }
  }

  /** Whether {@code key} is recorded as decided. */
  public boolean isDecided(String key) {
    return events.get(key) == State.DECIDED;
  }

  /** How many events are recorded as decided. */
  public long decidedCount() {
    return events.values().stream().filter(s -> s == State.DECIDED).count();
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Releases the lock and closes the file. */
  @Override
  public synchronized void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }

  /** Makes a new file's directory entry durable (where the platform allows opening a directory). */
  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not supported on this platform: the entry becomes durable with the next metadata sync.
    }
  }
}
