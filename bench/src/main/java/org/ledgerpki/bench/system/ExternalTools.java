package org.ledgerpki.bench.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The external commands the inquiry benchmark drives (wrk, the OCSP responder, jcmd), each bounded
 * in time.
 */
final class ExternalTools {
  private final Path work;
  private final int threads;
  private final int connections;

  /**
   * @param work the scratch directory (for the commands' output)
   * @param threads wrk threads
   * @param connections wrk connections
   */
  ExternalTools(Path work, int threads, int connections) {
    this.work = work;
    this.threads = threads;
    this.connections = connections;
  }

  /** The wrk script: a GET of the status of a certificate drawn at random from the file. */
  static String luaScript(Path hashes) {
    return """
        -- ledgerpki bench inquiry: GET /v1/status/{sha256} of a random certificate of the ledger.
        local hashes = {}
        for line in io.lines("%s") do hashes[#hashes + 1] = line end
        local n = #hashes
        local counter = 0
        function setup(thread)
          counter = counter + 1
          thread:set("id", counter)
        end
        function init(args)
          math.randomseed(os.time() + 7919 * (id or 0))
        end
        function request()
          return wrk.format("GET", "/v1/status/" .. hashes[math.random(n)])
        end
        """
        .formatted(hashes.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""));
  }

  WrkResult wrk(String node, Path lua, int seconds) throws Exception {
    return wrk(node, lua, seconds, List.of());
  }

  WrkResult wrk(String node, Path lua, int seconds, List<String> extra) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "wrk",
            "-t" + threads,
            "-c" + connections,
            "-d" + seconds + "s",
            "--timeout",
            "5s",
            "--latency"));
    cmd.addAll(extra);
    cmd.addAll(List.of("-s", lua.toString(), node + "/"));
    Exec e = exec(cmd, Duration.ofSeconds(seconds + 60L));
    if (e.code() != 0) {
      throw new IllegalStateException("wrk exited with " + e.code() + ":\n" + e.output());
    }
    return WrkResult.parse(e.output());
  }

  record Exec(int code, String output) {}

  Exec exec(List<String> command, Duration timeout) throws Exception {
    return exec(command, timeout, Map.of());
  }

  /** Runs a command (bounded in time), its output merged, and kills it and its children late. */
  Exec exec(List<String> command, Duration timeout, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path out = Files.createTempFile(work, "exec", ".txt");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      String text = Files.readString(out);
      Files.deleteIfExists(out);
      throw new IllegalStateException(
          "timed out after " + timeout + ": " + String.join(" ", command) + "\n" + text);
    }
    String text = Files.readString(out);
    Files.deleteIfExists(out);
    return new Exec(p.exitValue(), text);
  }
}
