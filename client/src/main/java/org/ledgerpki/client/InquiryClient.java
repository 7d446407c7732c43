package org.ledgerpki.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.schemas.inquiry.InquiryJson;
import org.ledgerpki.schemas.inquiry.Landmark;
import org.ledgerpki.schemas.inquiry.RevocationList;

/**
 * Asks an inquiry node (docs/inquiry-api.md). Its answers are read through the record classes the
 * node writes them with ({@link InquiryJson}, and core's {@code StatusAnswer} for status), and are
 * evidence to check, not facts: nothing here trusts them. Connects within 5 s, answers within 10 s.
 */
public final class InquiryClient {
  private static final Duration CONNECT = Duration.ofSeconds(5);
  private static final Duration REQUEST = Duration.ofSeconds(10);

  private final String node;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();

  /** A client of the node at {@code node} (a base URL; trailing slashes are ignored). */
  public InquiryClient(String node) {
    this.node = node.replaceAll("/+$", "");
  }

  /** The node's base URL, without a trailing slash. */
  public String node() {
    return node;
  }

  /** An HTTP answer: status code and body (UTF-8). */
  public record Answer(int code, String body) {}

  /**
   * {@code GET /v1/status/{sha256}}: the status answer of the certificate with that SHA-256 (hex).
   *
   * @throws IOException if the node cannot be reached or the URL is malformed
   */
  public Answer status(String sha256) throws IOException, InterruptedException {
    return status(sha256, null, false, List.of()).asText();
  }

  /**
   * {@code POST /v1/status} with the certificate (DER): the node also finds the entry of another
   * encoding of it (status is a property of the entry, docs/status.md).
   *
   * @throws IOException if the node cannot be reached or the URL is malformed
   */
  public Answer status(byte[] der) throws IOException, InterruptedException {
    return status(null, der, false, List.of()).asText();
  }

  /** An HTTP answer as bytes, with its content type (empty if none). */
  public record RawAnswer(int code, String contentType, byte[] body) {
    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The same answer with its body as UTF-8 text. */
    public Answer asText() {
      return new Answer(code, text());
    }

    /** Whether the node answered in the compact binary form. */
    public boolean compact() {
      return contentType.startsWith(CompactAnswer.MEDIA_TYPE);
    }
  }

  /**
   * A status query in the form ADR 0009 defines: {@code POST /v1/status} with {@code der} if it is
   * not null, else {@code GET /v1/status/{sha256}}; asking for the compact binary form if {@code
   * compact} (answers without proofs still come as JSON), and naming in {@code X-Checkpoint-Held}
   * the checkpoints the caller holds verified, so that an answer proved against one of them leaves
   * its note out.
   *
   * @param held checkpoint names ({@code checkpointSha256}); empty for none
   * @throws IOException if the node cannot be reached or the URL is malformed
   */
  public RawAnswer status(String sha256, byte[] der, boolean compact, List<String> held)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        der == null
            ? HttpRequest.newBuilder(uri("/v1/status/" + sha256)).GET()
            : HttpRequest.newBuilder(uri("/v1/status"))
                .header("Content-Type", "application/pkix-cert")
                .POST(HttpRequest.BodyPublishers.ofByteArray(der));
    if (!held.isEmpty()) {
      b.header("X-Checkpoint-Held", String.join(",", held));
    }
    String accept =
        compact ? CompactAnswer.MEDIA_TYPE + ", application/json;q=0.5" : "application/json";
    try {
      HttpResponse<byte[]> r =
          http.send(
              b.timeout(REQUEST).header("Accept", accept).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return new RawAnswer(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IllegalArgumentException e) {
      throw new IOException("bad request to " + node + ": " + e.getMessage());
    }
  }

  /**
   * {@code GET /v1/checkpoint}: the node's latest cosigned checkpoint, the full signed note with
   * the cosigners' ML-DSA-44 status cosignatures that answers leave out (ADR 0010). Evidence:
   * verify it ({@code HeldCheckpoints.hold}) before relying on it.
   *
   * @throws IOException if the node cannot be reached or does not answer 200
   */
  public String checkpoint() throws IOException, InterruptedException {
    return ok("/v1/checkpoint");
  }

  /**
   * {@code GET /v1/landmarks/subtrees} as the node sent it (to save it for offline use, or to read
   * with {@link InquiryJson#landmarks}).
   *
   * @throws IOException if the node cannot be reached or does not answer 200
   */
  public String landmarkSubtreesJson() throws IOException, InterruptedException {
    return ok("/v1/landmarks/subtrees");
  }

  /**
   * {@code GET /v1/landmarks/subtrees}, read.
   *
   * @throws IOException if the node cannot be reached or does not answer 200
   * @throws MalformedInputException if the answer is not a landmark list
   */
  public List<Landmark> landmarkSubtrees()
      throws IOException, InterruptedException, MalformedInputException {
    return InquiryJson.landmarks(landmarkSubtreesJson());
  }

  /**
   * {@code GET /v1/revocations}, read.
   *
   * @throws IOException if the node cannot be reached or does not answer 200
   * @throws MalformedInputException if the answer is not a revocation list
   */
  public RevocationList revocations()
      throws IOException, InterruptedException, MalformedInputException {
    return InquiryJson.revocations(ok("/v1/revocations"));
  }

  private String ok(String path) throws IOException, InterruptedException {
    Answer a = send(HttpRequest.newBuilder(uri(path)).GET());
    if (a.code() != 200) {
      throw new IOException("HTTP " + a.code() + " from " + node + path + ": " + a.body());
    }
    return a.body();
  }

  private URI uri(String path) throws IOException {
    try {
      return URI.create(node + path);
    } catch (IllegalArgumentException e) {
      throw new IOException("bad URL " + node + path + ": " + e.getMessage());
    }
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    try {
      HttpResponse<String> r =
          http.send(
              request.timeout(REQUEST).header("Accept", "application/json").build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(r.statusCode(), r.body());
    } catch (IllegalArgumentException e) {
      throw new IOException("bad request to " + node + ": " + e.getMessage());
    }
  }
}
