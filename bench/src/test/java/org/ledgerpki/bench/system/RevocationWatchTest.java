package org.ledgerpki.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RevocationWatchTest {
  private static final int IN_FLIGHT = 8;

  /**
   * A node double that holds each answer a while, so that requests overlap if the poller lets them:
   * the poller must ask about many revocations at once (not one after another, which made a cycle
   * as long as the sum of the answers' times), never more than {@link #IN_FLIGHT}, and mark only
   * those the node says are REVOKED.
   */
  @Test
  void aPollerAsksConcurrentlyWithinItsWindowAndMarksOnlyRevokedAnswers() throws Exception {
    int revoked = 2 * IN_FLIGHT;
    Set<String> revokedShas = ConcurrentHashMap.newKeySet();
    Map<Integer, RevocationWatch.Pending> pending = new ConcurrentHashMap<>();
    for (int i = 0; i < revoked + 3; i++) {
      String sha = String.format("%064x", i);
      pending.put(i, new RevocationWatch.Pending(i, sha, System.nanoTime(), 1));
      if (i < revoked) {
        revokedShas.add(sha);
      }
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService threads = Executors.newFixedThreadPool(2 * IN_FLIGHT);
    server.setExecutor(threads);
    server.createContext(
        "/v1/status/",
        x -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          String sha = x.getRequestURI().getPath().substring("/v1/status/".length());
          String status = revokedShas.contains(sha) ? "REVOKED" : "GOOD";
          byte[] body = ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8);
          inFlight.decrementAndGet();
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.start();
    RevocationWatch.Poller poller =
        new RevocationWatch.Poller(
            0, "http://127.0.0.1:" + server.getAddress().getPort(), pending, 10, IN_FLIGHT);
    Thread t = new Thread(poller, "poller-under-test");
    try {
      t.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (pending.size() > 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      poller.stop();
      t.join(10_000);
      server.stop(0);
      threads.shutdownNow();
    }
    assertThat(pending.keySet())
        .as("every REVOKED answer marked and removed; the GOOD ones still pending")
        .containsExactlyInAnyOrder(revoked, revoked + 1, revoked + 2);
    assertThat(most.get())
        .as("requests open at once")
        .isGreaterThan(1)
        .isLessThanOrEqualTo(IN_FLIGHT);
  }

  /**
   * A checkpoint committed in the same transaction as a status event can be seen before the event:
   * the stage must still find it, not the next checkpoint (which made "signed → cosigned"
   * negative).
   */
  @Test
  void aCheckpointSeenBeforeItsStatusEventStillCoversIt() {
    RevocationWatch.Stages.Covering c = new RevocationWatch.Stages.Covering();
    assertThat(c.firstCovering(0)).as("none seen").isZero();
    c.saw(3, 100); // covers events 0, 1, 2
    c.saw(3, 150); // a heartbeat: the same count, not a new first
    c.saw(5, 200);
    assertThat(c.firstCovering(2)).isEqualTo(100);
    assertThat(c.firstCovering(3)).isEqualTo(200);
    assertThat(c.firstCovering(4)).isEqualTo(200);
    assertThat(c.firstCovering(5)).as("not covered yet").isZero();
  }
}
