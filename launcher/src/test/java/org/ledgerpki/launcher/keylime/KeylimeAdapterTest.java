package org.ledgerpki.launcher.keylime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.launcher.demo.DemoLifecycle;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;

/**
 * The adapter's logic and its HTTP listener, with a sink that records what it would submit. Each
 * test has its own state directory, so that an event decided in one cannot hide a case in another.
 */
class KeylimeAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AGENT = "d432fbb3-d2f1-4a97-9ef7-75bd81c00000";
  private static final Instant NOW = Instant.parse("2024-03-05T14:04:00Z");
  private static KeyPair keylime;
  private static KeyPair stranger;

  @TempDir static Path dir;
  @TempDir Path state;
  private static String heldHash;
  private static String mappedHash;

  @BeforeAll
  static void keys() throws Exception {
    keylime = Keys.generate(SignatureAlgorithm.RSA, 2048);
    stranger = Keys.generate(SignatureAlgorithm.RSA, 2048);
    // A certificate whose subject names the agent, in a directory of the operator's certificates.
    KeyPair nf = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    var cert =
        new CertificateBuilder().subject("CN=" + AGENT + ",O=Operator B").keyPair(nf).build();
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/segw.pem"), Certificates.pem(cert));
    heldHash = Hex.encode(Certificates.sha256(cert));
    mappedHash = "ab".repeat(32);
    Files.writeString(
        dir.resolve("agents.yaml"), "agents:\n  other-agent:\n    - " + mappedHash + "\n");
  }

  /** A notification as Keylime's webhook notifier sends it, signed like Keylime signs it. */
  static byte[] notification(KeyPair signer, String agent, String eventId, String severity)
      throws Exception {
    return DemoLifecycle.keylimeNotification(signer, agent, eventId, severity);
  }

  /** As above, with the event_time text given. */
  static byte[] notificationAt(String eventTime, String eventId) throws Exception {
    return DemoLifecycle.keylimeNotification(keylime, AGENT, eventId, "critical", eventTime);
  }

  private static KeylimeAdapter.Sink recording(List<Submission> sunk) {
    return requests -> {
      List<Submissions.Keyed> out = new ArrayList<>();
      for (Submission.Builder b : requests) {
        b.setSignature(Evidence.unsigned("operator-b"));
        Submission s = b.build();
        sunk.add(s);
        out.add(new Submissions.Keyed(Submissions.keyOf(s), s));
      }
      return out;
    };
  }

  private static KeylimeAdapter.Config config(Path stateDir, ZoneId zone) throws Exception {
    AgentMapping mapping = AgentMapping.load(dir.resolve("agents.yaml"), dir.resolve("certs"));
    return new KeylimeAdapter.Config(
        "operator-b",
        keylime.getPublic(),
        mapping,
        Set.of("emergency"),
        "127.0.0.1",
        0,
        stateDir,
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        zone);
  }

  private static KeylimeAdapter adapter(List<Submission> sunk, Path stateDir) throws Exception {
    return new KeylimeAdapter(config(stateDir, ZoneId.of("UTC")), recording(sunk));
  }

  private KeylimeAdapter adapter(List<Submission> sunk) throws Exception {
    return adapter(sunk, state);
  }

  /** An adapter whose clock stands at {@link #NOW}. */
  private KeylimeAdapter adapterAtNow(List<Submission> sunk, ZoneId zone) throws Exception {
    return new KeylimeAdapter(
        config(state, zone), recording(sunk), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void aFailedAttestationSuspendsEveryCertificateOfTheAgentOnce() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter a = adapter(sunk)) {
      byte[] body = notification(keylime, AGENT, "ev-1", "critical");
      KeylimeAdapter.Outcome o = a.process(body);
      assertThat(o.status()).isEqualTo(200);
      assertThat(o.body()).containsEntry("action", "SUSPEND");
      assertThat(sunk).hasSize(1);
      Submission s = sunk.get(0);
      assertThat(s.getOperation()).isEqualTo(Operation.SUSPEND);
      assertThat(s.getSubmitter()).isEqualTo("operator-b");
      assertThat(s.getReasonCode()).isEqualTo(6); // certificateHold
      assertThat(Hex.encode(Evidence.bytes(s.getTargetCertificateSha256()))).isEqualTo(heldHash);

      // The same notification again: not acted on twice.
      assertThat(a.process(body).body()).containsEntry("action", "duplicate");
      assertThat(sunk).hasSize(1);
    }
  }

  @Test
  void aReplayAfterARestartIsRefusedAsADuplicateAndSubmitsNothing() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    byte[] captured = notification(keylime, AGENT, "ev-restart", "critical");
    try (KeylimeAdapter first = adapter(sunk)) {
      assertThat(first.process(captured).body()).containsEntry("action", "SUSPEND");
    }
    assertThat(sunk).hasSize(1);
    assertThat(Files.readAllLines(state.resolve(SeenEvents.FILE))).hasSize(1);

    try (KeylimeAdapter restarted = adapter(sunk)) {
      KeylimeAdapter.Outcome replay = restarted.process(captured);
      assertThat(replay.status()).isEqualTo(200);
      assertThat(replay.body()).containsEntry("action", "duplicate");
      assertThat(replay.body().get("requests")).isEqualTo(List.of());
      // A different notification is still acted on by the restarted adapter: the barrier.
      assertThat(restarted.process(notification(keylime, AGENT, "ev-next", "critical")).body())
          .containsEntry("action", "SUSPEND");
    }
    assertThat(sunk).hasSize(2);
    assertThat(sunk.get(1).getSubmissionId()).isNotEqualTo(sunk.get(0).getSubmissionId());
  }

  @Test
  void twoAdaptersCannotShareAStateDirectory() throws Exception {
    try (KeylimeAdapter a = adapter(new ArrayList<>())) {
      assertThatThrownBy(() -> adapter(new ArrayList<>()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(state.resolve(SeenEvents.FILE).toString())
          .hasMessageContaining("locked by another Keylime adapter");
    }
  }

  @Test
  void aStaleEventIsRefusedWithItsReason() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter a = adapterAtNow(sunk, ZoneId.of("UTC"))) {
      KeylimeAdapter.Outcome o =
          a.process(notificationAt(NOW.minus(Duration.ofMinutes(6)).toString(), "ev-old"));
      assertThat(o.status()).isEqualTo(422);
      assertThat(o.title()).isEqualTo("Stale event");
      assertThat(o.detail())
          .contains("event_time 2024-03-05T13:58:00Z is 360 s before now")
          .contains(KeylimeAdapter.MAX_EVENT_AGE + " = PT5M")
          .contains("possible replay");
      // Barrier: a fresh event in the same adapter is acted on, and it is the only submission.
      assertThat(a.process(notificationAt(NOW.minusSeconds(290).toString(), "ev-fresh")).status())
          .isEqualTo(200);
    }
    assertThat(sunk).hasSize(1);
  }

  @Test
  void anEventFromBeyondTheClockSkewIsRefused() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter a = adapterAtNow(sunk, ZoneId.of("UTC"))) {
      KeylimeAdapter.Outcome o =
          a.process(notificationAt(NOW.plusSeconds(31).toString(), "ev-future"));
      assertThat(o.status()).isEqualTo(422);
      assertThat(o.title()).isEqualTo("Event from the future");
      assertThat(o.detail())
          .contains("is 31 s after now")
          .contains(KeylimeAdapter.MAX_CLOCK_SKEW + " = PT30S");
      // Within the skew: accepted, the barrier.
      assertThat(a.process(notificationAt(NOW.plusSeconds(29).toString(), "ev-skew")).status())
          .isEqualTo(200);
    }
    assertThat(sunk).hasSize(1);
  }

  @Test
  void keylimesAsctimeIsReadInTheConfiguredZone() throws Exception {
    // What Python's time.asctime() writes, in the verifier's local time.
    String asctime = "Tue Mar  5 14:03:22 2024";
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter utc = adapterAtNow(sunk, ZoneId.of("UTC"))) {
      assertThat(utc.process(notificationAt(asctime, "ev-asc")).status()).isEqualTo(200);
    }
    assertThat(sunk).hasSize(1);
    // The same text from a verifier in Berlin (UTC+1 in March) is an hour older: stale.
    try (KeylimeAdapter berlin = adapterAtNow(sunk, ZoneId.of("Europe/Berlin"))) {
      KeylimeAdapter.Outcome o = berlin.process(notificationAt(asctime, "ev-asc"));
      assertThat(o.status()).isEqualTo(422);
      assertThat(o.detail()).contains("event_time 2024-03-05T13:03:22Z");
      KeylimeAdapter.Outcome unreadable = berlin.process(notificationAt("yesterday", "ev-y"));
      assertThat(unreadable.status()).isEqualTo(400);
      assertThat(unreadable.detail()).contains("event_time 'yesterday' is neither ISO-8601");
    }
    assertThat(sunk).hasSize(1);
  }

  @Test
  void concurrentDeliveriesOfOneEventSubmitOnce() throws Exception {
    int threads = 4;
    AtomicInteger sinkCalls = new AtomicInteger();
    CountDownLatch othersRefused = new CountDownLatch(threads - 1);
    List<Submission> sunk = Collections.synchronizedList(new ArrayList<>());
    KeylimeAdapter.Sink recorder = recording(sunk);
    // The delivery that submits holds its claim until every other delivery has been answered.
    KeylimeAdapter.Sink holding =
        requests -> {
          sinkCalls.incrementAndGet();
          othersRefused.await(10, TimeUnit.SECONDS);
          return recorder.submit(requests);
        };
    byte[] body = notification(keylime, AGENT, "ev-race", "critical");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (KeylimeAdapter a = new KeylimeAdapter(config(state, ZoneId.of("UTC")), holding)) {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<KeylimeAdapter.Outcome>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  KeylimeAdapter.Outcome o = a.process(body);
                  if (o.status() == 409) {
                    othersRefused.countDown();
                  }
                  return o;
                }));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<KeylimeAdapter.Outcome> f : answers) {
        KeylimeAdapter.Outcome o = f.get(30, TimeUnit.SECONDS);
        statuses.add(o.status());
        if (o.status() == 409) {
          assertThat(o.title()).isEqualTo("Duplicate event");
          assertThat(o.detail()).contains("being handled by another delivery");
        }
      }
      assertThat(sinkCalls).hasValue(1);
      assertThat(statuses).containsOnlyOnce(200).filteredOn(s -> s == 409).hasSize(threads - 1);
      // Once decided, a later delivery gets the duplicate answer.
      assertThat(a.process(body).body()).containsEntry("action", "duplicate");
    } finally {
      pool.shutdownNow();
    }
    assertThat(sunk).hasSize(1);
  }

  @Test
  void aConfiguredSeverityRevokesAndTheMappingFileIsUsed() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter a = adapter(sunk)) {
      KeylimeAdapter.Outcome o =
          a.process(notification(keylime, "other-agent", "ev-2", "emergency"));
      assertThat(o.status()).isEqualTo(200);
    }
    assertThat(sunk)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getOperation()).isEqualTo(Operation.REVOKE);
              assertThat(s.getReasonCode()).isEqualTo(1); // keyCompromise
              assertThat(Hex.encode(Evidence.bytes(s.getTargetCertificateSha256())))
                  .isEqualTo(mappedHash);
            });
  }

  @Test
  void forgedMalformedAndUnmappedNotificationsSubmitNothing() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter a = adapter(sunk)) {
      KeylimeAdapter.Outcome forged = a.process(notification(stranger, AGENT, "ev-3", "critical"));
      assertThat(forged.status()).isEqualTo(403);
      assertThat(forged.detail()).contains("signature of Keylime event ev-3 does not verify");
      assertThat(a.process("{\"msg\": 1}".getBytes(StandardCharsets.UTF_8)).detail())
          .contains("'msg'");
      assertThat(a.process("not json".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
      KeylimeAdapter.Outcome unknown = a.process(notification(keylime, "nobody", "ev-4", "x"));
      assertThat(unknown.status()).isEqualTo(200);
      assertThat(unknown.body().get("requests")).isEqualTo(List.of());
    }
    assertThat(sunk).isEmpty();
  }

  @Test
  void aLedgerOutageAnswers503SoThatKeylimeRetriesAndTheRetryIsActedOn() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    KeylimeAdapter.Sink recorder = recording(sunk);
    AtomicInteger attempts = new AtomicInteger();
    KeylimeAdapter.Sink flaky =
        requests -> {
          if (attempts.incrementAndGet() == 1) {
            throw new IllegalStateException("topic ledger.submissions does not exist");
          }
          return recorder.submit(requests);
        };
    byte[] body = notification(keylime, AGENT, "ev-5", "critical");
    try (KeylimeAdapter a = new KeylimeAdapter(config(state, ZoneId.of("UTC")), flaky)) {
      KeylimeAdapter.Outcome down = a.process(body);
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.detail()).contains("topic ledger.submissions does not exist");
      assertThat(sunk).isEmpty();
      // Nothing was decided, so Keylime's redelivery is acted on.
      assertThat(a.process(body).body()).containsEntry("action", "SUSPEND");
    }
    assertThat(sunk).hasSize(1);
  }

  @Test
  void overHttp() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter a = adapter(sunk)) {
      int port = a.start();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          notification(keylime, AGENT, "ev-6", "critical")))
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(ok.body()).get("requests").get(0).get("certificateSha256").asText())
          .isEqualTo(heldHash);
      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .POST(HttpRequest.BodyPublishers.ofString("[]"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(JSON.readTree(bad.body()).get("status").asInt()).isEqualTo(400);
      HttpResponse<String> stale =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          notificationAt(
                              Instant.now().minus(Duration.ofHours(1)).toString(), "ev-7")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(stale.statusCode()).isEqualTo(422);
      assertThat(stale.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(JSON.readTree(stale.body()).get("title").asText()).isEqualTo("Stale event");
      HttpResponse<String> get =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
    }
    assertThat(sunk).hasSize(1);
  }
}
