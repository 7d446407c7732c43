package org.ledgerpki.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.ledgerpki.embedded.internal.ChildMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM started through {@link ChildMain}: its output goes to a log file, and it dies with
 * this JVM, whether this JVM exits normally (a shutdown hook stops every child still running) or is
 * killed (the child sees its standard input close and exits).
 */
final class ChildJvm {

  private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
  private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();
  private static final Duration HOOK_GRACE = Duration.ofSeconds(5);

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ChildJvm::stopAllAtExit, "ledgerpki-child-jvm-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path logFile;

  private ChildJvm(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /** The {@code setsid} program (util-linux), or null where there is none. */
  private static final String SETSID =
      java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
          .filter(p -> Files.isExecutable(Path.of(p)))
          .findFirst()
          .orElse(null);

  /**
   * Starts {@code java <jvmOptions> -cp <launcher>:<classpath> ChildMain <arguments>}.
   *
   * @param name for logs, e.g. {@code kafka-1}
   * @param workDir a directory of the child's own; the launcher class is written below it
   * @param jvmOptions options before the main class (heap, system properties)
   * @param classpath the child's classpath entries
   * @param arguments arguments of {@link ChildMain}: optional steps, the main class, its arguments
   * @param logFile receives the child's stdout and stderr (appended); null: they go to this JVM's
   *     standard output
   * @throws UncheckedIOException if the process cannot be started
   */
  static ChildJvm start(
      String name,
      Path workDir,
      List<String> jvmOptions,
      List<String> classpath,
      List<String> arguments,
      Path logFile) {
    return start(name, workDir, jvmOptions, classpath, arguments, java.util.Map.of(), logFile);
  }

  /** As {@link #start(String, Path, List, List, List, Path)}, with extra environment variables. */
  static ChildJvm start(
      String name,
      Path workDir,
      List<String> jvmOptions,
      List<String> classpath,
      List<String> arguments,
      java.util.Map<String, String> environment,
      Path logFile) {
    List<String> command = new ArrayList<>();
    // In a session of its own, so that Ctrl-C in a terminal (SIGINT to the whole foreground
    // process group) reaches only the parent, whose shutdown stops the services before the broker
    // they commit to. A child still ends when the parent goes: its stdin pipe closes.
    if (SETSID != null) {
      command.add(SETSID);
    }
    command.add(javaExecutable().toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    List<String> entries = new ArrayList<>();
    entries.add(writeLauncher(workDir).toString());
    entries.addAll(classpath);
    command.add(String.join(java.io.File.pathSeparator, entries));
    command.add(ChildMain.class.getName());
    command.addAll(arguments);
    try {
      if (logFile != null) {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
      }
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(environment);
      Process process =
          builder
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(
                  logFile == null
                      ? ProcessBuilder.Redirect.INHERIT
                      : ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              // stdin stays a pipe from this JVM: ChildMain exits when it closes.
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      ChildJvm child = new ChildJvm(name, process, logFile);
      RUNNING.add(child);
      process.onExit().thenRun(() -> RUNNING.remove(child));
      log.debug("started {} (pid {}): {}", name, process.pid(), command);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the " + name + " JVM: " + command, e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path logFile() {
    return logFile;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, if the child has exited. */
  Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  /** Asks the child to stop (SIGTERM, so its shutdown hooks run) and returns at once. */
  void terminate() {
    process.destroy();
  }

  /**
   * Waits up to {@code timeout} for the child to exit.
   *
   * @return whether it has exited
   */
  boolean awaitExit(Duration timeout) {
    return waitFor(timeout);
  }

  /**
   * Asks the child to stop (SIGTERM, so its shutdown hooks run) and waits up to {@code grace}; then
   * kills it (SIGKILL) and waits for it to be gone.
   *
   * @return true if it stopped within the grace period, false if it had to be killed
   */
  boolean stop(Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    terminate();
    if (waitFor(grace)) {
      return true;
    }
    log.warn(
        "{} (pid {}) did not stop within {} s of SIGTERM; killing it",
        name,
        process.pid(),
        grace.toSeconds());
    kill();
    return false;
  }

  /** Kills the child (SIGKILL) and waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    if (!waitFor(Duration.ofSeconds(30))) {
      throw new IllegalStateException(
          name + " (pid " + process.pid() + ") is still alive 30 s after SIGKILL");
    }
  }

  /** The last {@code lines} lines of the log file, for error messages. */
  String logTail(int lines) {
    return logFile == null
        ? "(its output went to this JVM's standard output)"
        : tail(logFile, lines);
  }

  static String tail(Path file, int lines) {
    try (InputStream in = Files.newInputStream(file)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> all = text.lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + (process.isAlive() ? ", running)" : ", exited)");
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** What must stop, in order, before the children are stopped at exit (see {@link #atExit}). */
  private static final List<Runnable> BEFORE_REAPING =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Runs {@code orderlyStop} at JVM exit before the children are stopped. JVM shutdown hooks run
   * concurrently, so a hook of its own would race the reaper: services committing to a broker child
   * would find it gone and wait out their transaction timeouts.
   */
  static void atExit(Runnable orderlyStop) {
    BEFORE_REAPING.add(orderlyStop);
  }

  private static void stopAllAtExit() {
    for (Runnable r : BEFORE_REAPING) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("an orderly stop at exit failed; stopping the child JVMs anyway", e);
      }
    }
    List<ChildJvm> children = List.copyOf(RUNNING);
    if (children.isEmpty()) {
      return;
    }
    // SIGTERM to all at once, then one shared grace period, then SIGKILL.
    children.forEach(child -> child.process.destroy());
    long deadline = System.nanoTime() + HOOK_GRACE.toNanos();
    for (ChildJvm child : children) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        if (!child.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          child.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        child.process.destroyForcibly();
      }
    }
  }

  /** The java of this JVM: children run on the same JDK. */
  private static Path javaExecutable() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return Files.isExecutable(java)
        ? java
        : Path.of(ProcessHandle.current().info().command().orElse("java"));
  }

  /** Writes ChildMain's class file below {@code workDir}; returns the classpath entry. */
  private static Path writeLauncher(Path workDir) {
    String resource = ChildMain.class.getName().replace('.', '/') + ".class";
    Path root = workDir.resolve("launcher");
    Path target = root.resolve(resource);
    try (InputStream in =
        Objects.requireNonNull(
            ChildJvm.class.getClassLoader().getResourceAsStream(resource),
            "missing resource " + resource)) {
      Files.createDirectories(target.getParent());
      Files.write(target, in.readAllBytes());
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the child launcher to " + target, e);
    }
  }
}
