package org.ledgerpki.launcher.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ledgerpki.embedded.JvmService;

/**
 * Starts the Quarkus inquiry node (its {@code quarkus-run.jar}) as a child JVM, configured by its
 * {@code LEDGERPKI_*} variables: what the demo, the load drivers and the integration tests share.
 */
public final class InquiryNodeProcess {
  /**
   * JBoss Threads (under Quarkus' executor) resets thread locals by reflection into {@code
   * java.lang}; on JDK 24+ that needs the opening, or every blocking request fails. (The jar's
   * manifest opens it for {@code java -jar}, but a child JVM starts the entry point by class name.)
   */
  static final String ADD_OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";

  private InquiryNodeProcess() {}

  /**
   * Starts a node named {@code name} that follows the ledger of {@code conn} under the trust policy
   * {@code policy}, keeps its index in {@code storeDir} and listens on {@code port}.
   *
   * @param jvmOptions heap and JIT options (the java.lang opening is added)
   * @param workDir the child JVM's working directory (created if missing)
   */
  public static JvmService start(
      String name,
      Path jar,
      LocalConsortium.Connection conn,
      Path policy,
      Path storeDir,
      int port,
      List<String> jvmOptions,
      Path workDir,
      Path logFile)
      throws IOException {
    return start(name, jar, conn, policy, storeDir, port, jvmOptions, workDir, logFile, Map.of());
  }

  /**
   * As above, with further {@code LEDGERPKI_*} or {@code QUARKUS_*} variables, which win over the
   * ones derived from the arguments.
   */
  public static JvmService start(
      String name,
      Path jar,
      LocalConsortium.Connection conn,
      Path policy,
      Path storeDir,
      int port,
      List<String> jvmOptions,
      Path workDir,
      Path logFile,
      Map<String, String> moreEnv)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LEDGERPKI_KAFKA_BOOTSTRAP", conn.bootstrap());
    env.put("LEDGERPKI_REGISTRY_URL", conn.registryUrl());
    env.put("LEDGERPKI_POLICY", policy.toString());
    if (conn.topicPrefix() != null && !conn.topicPrefix().isEmpty()) {
      env.put("LEDGERPKI_TOPICS_PREFIX", conn.topicPrefix());
    }
    env.put("LEDGERPKI_INQUIRY_NODE", name);
    env.put("LEDGERPKI_INQUIRY_STORE_DIR", storeDir.toString());
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.putAll(moreEnv);
    List<String> options = new ArrayList<>(jvmOptions);
    options.add(ADD_OPENS);
    return JvmService.start(
        name,
        Files.createDirectories(workDir),
        options,
        List.of(jar.toString()),
        "io.quarkus.bootstrap.runner.QuarkusEntryPoint",
        env,
        logFile);
  }
}
