package org.ledgerpki.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * An inquiry node double serving {@code GET /v1/policy} and {@code /v1/policy/{serial}} in the
 * inquiry API's JSON (docs/inquiry-api.md) from whatever it is given: a genesis policy and changes,
 * honest or forged.
 */
final class PolicyNodeDouble implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<Long, String> bySerial = new ConcurrentHashMap<>();
  private volatile long newest;
  private final HttpServer server;

  PolicyNodeDouble() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/policy",
        x -> {
          String path = x.getRequestURI().getPath();
          String tail = path.substring("/v1/policy".length()).replaceFirst("^/", "");
          String body = tail.isEmpty() ? bySerial.get(newest) : bySerial.get(parse(tail));
          int code = body == null ? 404 : 200;
          byte[] b =
              (body == null ? "{\"type\":\"urn:ledgerpki:problem:not-found\"}" : body)
                  .getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().set("Content-Type", "application/json");
          x.sendResponseHeaders(code, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    server.start();
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Serves {@code genesis} as the chain's first policy. */
  PolicyNodeDouble genesis(TrustPolicy genesis) {
    ObjectNode n = JSON.createObjectNode();
    n.put("serial", genesis.serial());
    n.put("document", Base64.getEncoder().encodeToString(genesis.documentBytes()));
    n.put("policySha256", Hex.encode(genesis.sha256()));
    n.put("effectiveIndex", 0);
    n.put("effectiveStatusSequence", 0);
    n.putArray("approvals");
    put(genesis.serial(), n);
    return this;
  }

  /** Serves {@code change} as the policy of its serial (the newest if it is the highest). */
  PolicyNodeDouble change(PolicyChange change) {
    ObjectNode n = JSON.createObjectNode();
    n.put("serial", change.serial());
    n.put("document", Base64.getEncoder().encodeToString(change.document()));
    n.put("policySha256", Hex.encode(change.policySha256()));
    n.put("previousPolicySha256", Hex.encode(change.previousPolicySha256()));
    n.put("effectiveIndex", change.effectiveIndex());
    n.put("effectiveStatusSequence", change.effectiveStatusSequence());
    ArrayNode a = n.putArray("approvals");
    for (Approval ap : change.approvals()) {
      a.addObject()
          .put("member", ap.member())
          .put("signedAt", Instant.ofEpochMilli(ap.signedAtMillis()).toString())
          .put("signature", Base64.getEncoder().encodeToString(ap.signature()));
    }
    put(change.serial(), n);
    return this;
  }

  /** A change from {@code from} to {@code to} with {@code approvals}. */
  static PolicyChange change(
      TrustPolicy from, TrustPolicy to, List<Approval> approvals, long index) {
    return new PolicyChange(
        to.serial(),
        to.documentBytes(),
        to.sha256(),
        from.sha256(),
        index,
        0,
        approvals,
        System.currentTimeMillis());
  }

  private void put(long serial, ObjectNode n) {
    bySerial.put(serial, n.toString());
    newest = Math.max(newest, serial);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
