package org.ledgerpki.embedded.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The entry point of the child JVMs that the fixture starts (Kafka nodes, the schema registry).
 * Internal: not an API.
 *
 * <p>Usage: {@code ChildMain [--kafka-format <clusterId> <server.properties>] <mainClass> [args]}.
 *
 * <ol>
 *   <li>It watches its standard input, which is a pipe from the parent JVM. When the pipe closes,
 *       the parent is gone (even if it was killed with SIGKILL and ran no shutdown hook), and the
 *       child exits too, so no broker or registry outlives its test run. Shutdown hooks run; if
 *       they hang, the JVM halts after {@value #HALT_AFTER_MS} ms.
 *   <li>With {@code --kafka-format}, it formats the node's storage with Kafka's {@code StorageTool}
 *       (in this JVM, skipping a storage that is already formatted), saving a JVM start per node.
 *   <li>It runs {@code mainClass.main(args)}.
 * </ol>
 *
 * <p>The fixture copies this class file next to the child's classpath, so it must use the JDK only
 * (Kafka is reached through reflection) and must compile to this one class file (lambdas are fine;
 * no nested or anonymous classes).
 */
public final class ChildMain {

  /** How long shutdown hooks may take after the parent is gone. */
  public static final long HALT_AFTER_MS = 20_000;

  private ChildMain() {}

  /**
   * Runs the child; see the class comment for the arguments.
   *
   * @throws Throwable whatever the main class throws
   */
  public static void main(String[] args) throws Throwable {
    watchParent(System.in);
    int next = 0;
    if (args.length >= 3 && args[0].equals("--kafka-format")) {
      formatKafkaStorage(args[1], args[2]);
      next = 3;
    }
    if (args.length <= next) {
      System.err.println(
          "usage: ChildMain [--kafka-format <clusterId> <server.properties>] <mainClass> [args]");
      System.exit(2);
    }
    Method main = Class.forName(args[next]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, next + 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void watchParent(InputStream parent) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                byte[] buffer = new byte[256];
                while (parent.read(buffer) != -1) {
                  // The parent never writes; keep draining until the pipe closes.
                }
              } catch (IOException e) {
                // A broken pipe means the same as end of stream.
              }
              System.err.println("[ChildMain] the parent process is gone; shutting down");
              Thread halt =
                  new Thread(
                      () -> {
                        try {
                          Thread.sleep(HALT_AFTER_MS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        Runtime.getRuntime().halt(1);
                      },
                      "parent-watchdog-halt");
              halt.setDaemon(true);
              halt.start();
              System.exit(1);
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void formatKafkaStorage(String clusterId, String serverProperties)
      throws ReflectiveOperationException {
    Method execute =
        Class.forName("kafka.tools.StorageTool")
            .getMethod("execute", String[].class, PrintStream.class);
    String[] formatArgs = {
      "format", "--cluster-id", clusterId, "--config", serverProperties, "--ignore-formatted"
    };
    int status = (Integer) execute.invoke(null, formatArgs, System.out);
    if (status != 0) {
      System.err.println("[ChildMain] kafka-storage format failed with status " + status);
      System.exit(status);
    }
  }
}
