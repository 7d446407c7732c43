package org.ledgerpki.inquiry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.embedded.KafkaFixture;

/**
 * Starts (or reuses) the shared Kafka fixture, gives the test class its own topic prefix, policy
 * file and store directory, and writes the ledger ({@link Scenarios}): for scenario {@code "api"}
 * before the node starts; for {@code "late"} only once the test releases the latch it is given, so
 * that the node starts on a ledger that does not exist yet.
 *
 * <p>The resource runs outside the application's class loader (Quarkus loads the test class and the
 * application in its own), so it shares nothing with the test but JDK types: it injects the test's
 * {@code Map<String, Object> ledger} field (certificates, entries, roots, notes; see {@link
 * Scenarios#describe}) and, for {@code "late"}, its {@code CountDownLatch release} field. The keys
 * of the test consortium and the Kafka fixture stay on this side.
 *
 * <p>The late writer puts {@code "written"} (true) into the ledger map once it has written
 * everything, or {@code "error"} (the exception) if it failed; a test of that scenario must assert
 * that {@code "error"} is absent.
 *
 * <p>Scenario {@code "flood"} writes {@link Scenarios#flood} before the node starts and {@link
 * Scenarios#floodCheckpoint} once the test releases the latch (then {@code "written"} or {@code
 * "error"}, as above).
 *
 * <p>Scenario {@code "policy"} writes a chain of policy changes to {@code ledger.policy} before the
 * node starts ({@link Scenarios#policy}).
 */
public class InquiryTestResource implements QuarkusTestResourceLifecycleManager {
  private String scenario = "api";
  private LedgerFeed feed;
  private final Map<String, Object> manifest = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private Thread late;

  @Override
  public void init(Map<String, String> args) {
    scenario = args.getOrDefault("scenario", "api");
  }

  @Override
  public Map<String, String> start() {
    KafkaFixture fixture = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("inquiry-" + scenario);
    Map<String, String> config = new HashMap<>();
    try {
      Path policy = Files.createTempFile("inquiry-policy-", ".yaml");
      Files.writeString(
          policy, TestConsortium.get().document(2, 2, "seed").toYaml(), StandardCharsets.UTF_8);
      Path store = Files.createTempDirectory("inquiry-store-");
      config.put("ledgerpki.policy", policy.toString());
      config.put("ledgerpki.inquiry.store-dir", store.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.put("ledgerpki.kafka.bootstrap", fixture.bootstrapServers());
    config.put("ledgerpki.registry.url", fixture.registryUrl());
    config.put("ledgerpki.topics.prefix", prefix);
    config.put("ledgerpki.inquiry.retry-after", "2s");
    config.put("quarkus.http.test-port", "0");
    manifest.put("prefix", prefix);
    if (scenario.equals("api")) {
      feed = new LedgerFeed(prefix);
      Scenarios.api(feed, manifest);
    } else if (scenario.equals("flood")) {
      feed = new LedgerFeed(prefix);
      Scenarios.flood(feed, manifest);
      afterRelease("flood-checkpoint-writer", () -> Scenarios.floodCheckpoint(feed));
    } else if (scenario.equals("policy")) {
      feed = new LedgerFeed(prefix);
      try {
        Scenarios.policy(
            feed, Files.readAllBytes(Path.of(config.get("ledgerpki.policy"))), manifest);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      afterRelease(
          "late-ledger-writer",
          () -> {
            feed = new LedgerFeed(prefix);
            Scenarios.api(feed, manifest);
          });
    }
    return config;
  }

  /**
   * Runs {@code write} on a thread of its own once the test releases the latch, then puts {@code
   * "written"} into the manifest, or {@code "error"} if it failed (the test asserts it is absent).
   */
  private void afterRelease(String name, Runnable write) {
    late =
        new Thread(
            () -> {
              try {
                release.await();
                write.run();
                manifest.put("written", Boolean.TRUE);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException | Error e) {
                manifest.put("error", e.toString());
              }
            },
            name);
    late.setDaemon(true);
    late.start();
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        manifest, f -> f.getName().equals("ledger") && f.getType() == Map.class);
    injector.injectIntoFields(
        release, f -> f.getName().equals("release") && f.getType() == CountDownLatch.class);
  }

  @Override
  public void stop() {
    if (late != null) {
      late.interrupt();
    }
    if (feed != null) {
      feed.close();
    }
  }
}
