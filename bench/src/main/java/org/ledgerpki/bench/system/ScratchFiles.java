package org.ledgerpki.bench.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scratch directories and ports of the system benchmarks. */
final class ScratchFiles {
  private ScratchFiles() {}

  /** A port on the loopback interface that the system says is free. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The first free port of {@code preferred .. preferred + 99} on 127.0.0.1. */
  static int freePort(int preferred) throws IOException {
    for (int port = preferred; port < preferred + 100; port++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException e) {
        // In use: try the next.
      }
    }
    throw new IOException("no free port in " + preferred + ".." + (preferred + 99));
  }

  /**
   * Empties the scratch directory, if it is one this benchmark made (or new): it holds {@code
   * marker}, which names {@code what}.
   */
  static void resetWorkDir(Path dir, String marker, String what) throws IOException {
    if (Files.exists(dir)) {
      boolean empty;
      try (var list = Files.list(dir)) {
        empty = list.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve(marker))) {
        throw new IllegalStateException(
            dir + " exists and is not a scratch directory of this benchmark; choose another");
      }
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(marker), "scratch directory of " + what + "\n");
  }

  /** Deletes {@code dir} and everything in it, if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
