package org.ledgerpki.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.schemas.inquiry.InquiryJson;
import org.ledgerpki.schemas.inquiry.Landmark;

class InquiryClientTest {
  private HttpServer server;
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final Map<String, String> posted = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          String path = x.getRequestURI().getPath();
          if ("POST".equals(x.getRequestMethod())) {
            posted.put(path, x.getRequestHeaders().getFirst("Content-Type"));
          }
          String body = bodies.get(path);
          byte[] out =
              (body == null ? "{\"title\":\"Not Found\"}" : body).getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(body == null ? 404 : 200, out.length);
          try (OutputStream o = x.getResponseBody()) {
            o.write(out);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private InquiryClient client() {
    return new InquiryClient("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Test
  void readsTheLandmarksThroughTheRecordsTheNodeWritesThemWith() throws Exception {
    List<Landmark> written =
        List.of(
            new Landmark(
                1,
                4,
                0,
                List.of(
                    new Landmark.Subtree(
                        0, 4, "aGFzaA==", List.of(new Landmark.Cosignature("b", "1.2", "c2ln"))))));
    bodies.put(
        "/v1/landmarks/subtrees", new String(InquiryJson.write(written), StandardCharsets.UTF_8));

    assertThat(client().landmarkSubtrees()).isEqualTo(written);
  }

  @Test
  void aLandmarkAnswerWithoutHashesIsRefusedNamingTheField() {
    bodies.put(
        "/v1/landmarks/subtrees",
        "[{\"number\":1,\"treeSize\":4,\"previousTreeSize\":0,\"subtrees\":[{\"start\":0,\"end\":4,"
            + "\"signatures\":[]}]}]");

    assertThatThrownBy(() -> client().landmarkSubtrees())
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("missing field 'hash'");
  }

  @Test
  void anAnswerOtherThan200IsAnIoErrorWithTheCode() {
    assertThatThrownBy(() -> client().revocations())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 404 from http://127.0.0.1:")
        .hasMessageContaining("/v1/revocations");
  }

  @Test
  void statusByCertificateIsPostedAsDerAndByHashIsAGet() throws Exception {
    bodies.put("/v1/status", "{\"status\":\"GOOD\"}");
    bodies.put("/v1/status/ab", "{\"status\":\"UNKNOWN\"}");

    InquiryClient.Answer byCert = client().status(new byte[] {0x30, 0x00});
    InquiryClient.Answer byHash = client().status("ab");

    assertThat(byCert).isEqualTo(new InquiryClient.Answer(200, "{\"status\":\"GOOD\"}"));
    assertThat(posted).containsEntry("/v1/status", "application/pkix-cert");
    assertThat(byHash).isEqualTo(new InquiryClient.Answer(200, "{\"status\":\"UNKNOWN\"}"));
    assertThat(posted).doesNotContainKey("/v1/status/ab");
  }
}
