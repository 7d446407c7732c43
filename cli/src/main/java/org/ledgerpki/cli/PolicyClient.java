package org.ledgerpki.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;

/**
 * Reads the consortium's policy chain from an inquiry node ({@code GET /v1/policy}, {@code GET
 * /v1/policy/{serial}}; docs/inquiry-api.md). Nothing it returns is trusted: {@code trust update}
 * and {@code policy show} verify each step offline.
 */
public final class PolicyClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public PolicyClient(String node) {
    this.base = node.replaceAll("/+$", "");
  }

  /** The node's base URL. */
  public String node() {
    return base;
  }

  /** One approval as served. */
  public record Approval(String member, Instant signedAt, byte[] signature) {}

  /**
   * A policy as served: the document's bytes and what the node says of it (hashes, effective
   * positions, approvals), not yet verified.
   */
  public record Fetched(
      long serial,
      byte[] document,
      byte[] sha256,
      byte[] previousSha256,
      long effectiveIndex,
      long effectiveStatusSequence,
      List<Approval> approvals) {}

  /** The node could not be asked, or answered with another status than 200. */
  static final class Unavailable extends IOException {
    final int status;

    Unavailable(String message, int status) {
      super(message);
      this.status = status;
    }
  }

  /** The newest policy the node holds. */
  public Fetched newest() throws IOException, MalformedInputException, InterruptedException {
    return parse(get(base + "/v1/policy"), "/v1/policy");
  }

  /** The policy of {@code serial}. */
  public Fetched serial(long serial)
      throws IOException, MalformedInputException, InterruptedException {
    String path = "/v1/policy/" + serial;
    Fetched f = parse(get(base + path), path);
    if (f.serial() != serial) {
      throw new MalformedInputException(
          "asked " + path + ", the node answered the policy of serial " + f.serial());
    }
    return f;
  }

  private String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10))
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new Unavailable("bad URL " + url + ": " + e.getMessage(), 0);
    }
    if (r.statusCode() != 200) {
      String body = r.body() == null ? "" : r.body().replace('\n', ' ').strip();
      throw new Unavailable(
          "HTTP "
              + r.statusCode()
              + " from "
              + url
              + (body.isEmpty()
                  ? ""
                  : ": " + (body.length() > 300 ? body.substring(0, 300) : body)),
          r.statusCode());
    }
    return r.body();
  }

  /** Parses a policy JSON answer. */
  public static Fetched parse(String json, String what) throws MalformedInputException {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new MalformedInputException(what + ": not JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new MalformedInputException(what + ": expected a JSON object");
    }
    long serial = number(n, "serial", what);
    byte[] document = base64(text(n, "document", what), what + ".document");
    byte[] sha = hex(text(n, "policySha256", what), what + ".policySha256");
    JsonNode prev = n.get("previousPolicySha256");
    byte[] previous =
        prev == null || prev.isNull() ? null : hex(prev.asText(), what + ".previousPolicySha256");
    List<Approval> approvals = new ArrayList<>();
    JsonNode list = n.get("approvals");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new MalformedInputException(what + ".approvals: expected an array");
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode a = list.get(i);
        String at = what + ".approvals[" + i + "]";
        Instant signedAt;
        try {
          signedAt = Instant.parse(text(a, "signedAt", at));
        } catch (DateTimeParseException e) {
          throw new MalformedInputException(at + ".signedAt: not an RFC 3339 time");
        }
        approvals.add(
            new Approval(
                text(a, "member", at),
                signedAt,
                base64(text(a, "signature", at), at + ".signature")));
      }
    }
    return new Fetched(
        serial,
        document,
        sha,
        previous,
        n.path("effectiveIndex").asLong(0),
        n.path("effectiveStatusSequence").asLong(0),
        List.copyOf(approvals));
  }

  private static long number(JsonNode n, String field, String what) throws MalformedInputException {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new MalformedInputException(
          what + ": field '" + field + "' is missing or not a number");
    }
    return v.asLong();
  }

  private static String text(JsonNode n, String field, String what) throws MalformedInputException {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || !v.isTextual()) {
      throw new MalformedInputException(what + ": field '" + field + "' is missing or not text");
    }
    return v.asText();
  }

  private static byte[] base64(String s, String what) throws MalformedInputException {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(what + ": not base64");
    }
  }

  private static byte[] hex(String s, String what) throws MalformedInputException {
    if (!s.matches("[0-9a-fA-F]{64}")) {
      throw new MalformedInputException(what + ": expected 64 hex characters, found '" + s + "'");
    }
    return Hex.decode(s);
  }
}
