package org.ledgerpki.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.verify.StatusVerifier;

/**
 * The relying party's memory of the newest verified checkpoint per log origin ({@code ledgerpki
 * status --state FILE}), so that an inquiry node cannot roll it back to an older view of the log,
 * even one whose cosignatures are still fresh. JSON:
 *
 * <pre>{"logs":{"&lt;origin&gt;":{"size":n,"statusCount":c,"root":"hex","statusLogRoot":"hex",
 *  "signedAt":"RFC 3339"}}}
 * </pre>
 *
 * A checkpoint is refused when, against the one remembered for its log, it has a smaller tree size,
 * a smaller status count (a log's status events only accumulate), or the same tree size with
 * another root or the same status count with another status-log root (a split view: two checkpoints
 * that cannot both be the log's). Not thread-safe; one file per relying party.
 */
public final class CheckpointState {
  /** What is remembered of one log's newest verified checkpoint. */
  record Seen(long size, long statusCount, String root, String statusLogRoot, String signedAt) {}

  /** The file's shape. */
  record Logs(TreeMap<String, Seen> logs) {
    Logs {
      logs = logs == null ? new TreeMap<>() : new TreeMap<>(logs);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final Logs state;

  private CheckpointState(Path file, Logs state) {
    this.file = file;
    this.state = state;
  }

  /**
   * Reads {@code file}; a missing file is an empty state.
   *
   * @throws IOException if it cannot be read or is not a state file
   */
  static CheckpointState load(Path file) throws IOException {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Logs logs = JSON.readValue(text, Logs.class);
      if (logs == null) {
        throw new IOException(file + " is not a ledgerpki state file (empty JSON)");
      }
      for (var e : logs.logs().entrySet()) {
        Seen s = e.getValue();
        if (s == null || s.root() == null || s.size() < 0 || s.statusCount() < 0) {
          throw new IOException(
              file + ": the entry of log '" + e.getKey() + "' lacks size, statusCount or root");
        }
        if (s.signedAt() != null) {
          try {
            Instant.parse(s.signedAt());
          } catch (java.time.format.DateTimeParseException x) {
            throw new IOException(
                file
                    + ": the entry of log '"
                    + e.getKey()
                    + "' has a bad signedAt "
                    + s.signedAt());
          }
        }
      }
      return new CheckpointState(file, logs);
    } catch (NoSuchFileException e) {
      return new CheckpointState(file, new Logs(null));
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not a ledgerpki state file: " + e.getOriginalMessage(), e);
    }
  }

  /** What is remembered of {@code origin}, if anything. */
  Optional<Seen> seen(String origin) {
    return Optional.ofNullable(state.logs().get(origin));
  }

  /**
   * Why {@code v}'s checkpoint is older than, or conflicts with, the one remembered for its log;
   * empty if it is as new or newer.
   */
  Optional<String> rollback(StatusVerifier.Verified v) {
    Seen s = state.logs().get(v.origin());
    if (s == null) {
      return Optional.empty();
    }
    Seen n = of(v);
    String was = describe(s);
    String found = describe(n);
    if (n.size() < s.size()) {
      return Optional.of(
          "rollback: the answer's checkpoint of log "
              + v.origin()
              + " has tree size "
              + n.size()
              + ", older than the size "
              + s.size()
              + " already verified (remembered: "
              + was
              + "; found: "
              + found
              + ")");
    }
    if (n.statusCount() < s.statusCount()) {
      return Optional.of(
          "rollback: the answer's checkpoint of log "
              + v.origin()
              + " commits to "
              + n.statusCount()
              + " status events, fewer than the "
              + s.statusCount()
              + " already verified (remembered: "
              + was
              + "; found: "
              + found
              + ")");
    }
    if (n.size() == s.size() && !n.root().equals(s.root())) {
      return Optional.of(
          "rollback: split view: the answer's checkpoint of log "
              + v.origin()
              + " at tree size "
              + n.size()
              + " has root "
              + n.root()
              + ", but the checkpoint already verified at that size has root "
              + s.root()
              + "; both are signed, so the log or the node shows two views");
    }
    if (n.statusCount() == s.statusCount()
        && s.statusLogRoot() != null
        && !n.statusLogRoot().equals(s.statusLogRoot())) {
      return Optional.of(
          "rollback: split view: the answer's checkpoint of log "
              + v.origin()
              + " commits to "
              + n.statusCount()
              + " status events with status-log root "
              + n.statusLogRoot()
              + ", but the one already verified with that count has "
              + s.statusLogRoot());
    }
    return Optional.empty();
  }

  /**
   * Remembers {@code v}'s checkpoint if it is newer than the one remembered for its log (a larger
   * size or status count, or a later signed time), and writes the file atomically (a temporary file
   * in the same directory, then a rename). Requires {@link #rollback} to have found nothing.
   *
   * @return whether the file changed
   */
  boolean remember(StatusVerifier.Verified v) throws IOException {
    Seen s = state.logs().get(v.origin());
    Seen n = of(v);
    if (s != null
        && n.size() == s.size()
        && n.statusCount() == s.statusCount()
        && s.signedAt() != null
        && !Instant.parse(s.signedAt()).isBefore(v.signedAt())) {
      return false;
    }
    state.logs().put(v.origin(), n);
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, abs.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, JSON.writeValueAsString(state) + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return true;
  }

  private static Seen of(StatusVerifier.Verified v) {
    var cp = v.checkpoint().checkpoint();
    StatusCommitment sc;
    try {
      sc = StatusCommitment.find(cp.extensions()).orElse(null);
    } catch (org.ledgerpki.core.MalformedInputException e) {
      // The verifier has parsed this line already; a verified answer always has one.
      throw new IllegalStateException("a verified checkpoint's status line no longer parses", e);
    }
    return new Seen(
        cp.size(),
        sc == null ? 0 : sc.count(),
        Hex.encode(cp.rootHash()),
        sc == null ? null : Hex.encode(sc.logRoot()),
        v.signedAt().toString());
  }

  private static String describe(Seen s) {
    return "size "
        + s.size()
        + ", "
        + s.statusCount()
        + " status events, root "
        + s.root()
        + ", signed at "
        + s.signedAt();
  }
}
