package org.ledgerpki.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.verify.TrustBundle;
import picocli.CommandLine;

/**
 * What the relying-party commands' tests share: running {@code ledgerpki} with its output captured,
 * the trust bundle of {@link TestConsortium}, an inquiry node double that serves one canned answer,
 * and MTC certificates of a {@link TestLog}'s entries.
 */
final class RelyingPartyFixture {
  private RelyingPartyFixture() {}

  /** The exit code, stdout and stderr of one run. */
  record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new LedgerPki()).execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Writes the trust bundle of {@link TestConsortium}'s policy (m = 2) into {@code dir}. */
  static Path trust(Path dir) throws IOException {
    Path p = dir.resolve("trust.json");
    Files.writeString(p, TrustBundle.fromPolicy(TestConsortium.get().policy()).toJson());
    return p;
  }

  /**
   * An inquiry node double on a loopback port: every {@code /v1/status} request (GET or POST) gets
   * the current answer with HTTP 200 (it counts them and keeps the last method, path and body);
   * {@code /v1/landmarks/subtrees} is an empty list.
   */
  static final class FakeNode implements AutoCloseable {
    final AtomicReference<String> answer = new AtomicReference<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicReference<String> last = new AtomicReference<>();
    final AtomicReference<byte[]> lastBody = new AtomicReference<>();

    /** When set, the answer to a request that accepts the compact form (ADR 0009). */
    final AtomicReference<byte[]> compact = new AtomicReference<>();

    /** When set, what {@code /v1/checkpoint} serves (else 404); counted in {@link #fetched}. */
    final AtomicReference<String> checkpoint = new AtomicReference<>();

    /** Served by {@code /v1/checkpoint} first, one a request, before {@link #checkpoint}. */
    final java.util.Queue<String> nextCheckpoints =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** How many times {@code /v1/checkpoint} was asked. */
    final AtomicInteger fetched = new AtomicInteger();

    /** The last request's X-Checkpoint-Held header, or null. */
    final AtomicReference<String> lastHeld = new AtomicReference<>();

    private final HttpServer server;

    FakeNode() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/v1/status",
          x -> {
            requests.incrementAndGet();
            last.set(x.getRequestMethod() + " " + x.getRequestURI().getPath());
            lastBody.set(x.getRequestBody().readAllBytes());
            lastHeld.set(x.getRequestHeaders().getFirst("X-Checkpoint-Held"));
            String accept = x.getRequestHeaders().getFirst("Accept");
            boolean wantsCompact =
                compact.get() != null
                    && accept != null
                    && accept.startsWith(org.ledgerpki.core.verify.CompactAnswer.MEDIA_TYPE);
            byte[] body =
                wantsCompact ? compact.get() : answer.get().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders()
                .set(
                    "Content-Type",
                    wantsCompact
                        ? org.ledgerpki.core.verify.CompactAnswer.MEDIA_TYPE
                        : "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
          });
      server.createContext(
          "/v1/checkpoint",
          x -> {
            fetched.incrementAndGet();
            String queued = nextCheckpoints.poll();
            String note = queued != null ? queued : checkpoint.get();
            byte[] body = (note == null ? "none" : note).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(note == null ? 404 : 200, body.length);
            x.getResponseBody().write(body);
            x.close();
          });
      server.createContext(
          "/v1/landmarks/subtrees",
          x -> {
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
          });
      server.start();
    }

    FakeNode serving(String json) {
      answer.set(json);
      return this;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * The standalone MTC certificate of the entry at {@code index} of {@code log} (holding {@code
   * certificateDer}), for the subtree {@code [0, size)}, signed with the ML-DSA-44 subtree keys of
   * {@code cosigners}: what {@code GET /v1/certificates/{sha256}/mtc} serves before a landmark
   * covers the entry.
   */
  static byte[] mtcCertificate(
      TestLog log, long index, byte[] certificateDer, List<String> cosigners) throws Exception {
    TestConsortium tc = TestConsortium.get();
    long size = log.tree().size();
    byte[] hash = log.tree().subtreeHash(0, size);
    List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
    for (String id : cosigners) {
      MemberKeys m = tc.member(id);
      sigs.add(
          MtcProof.SubtreeSignature.of(
              m.trustAnchorId(), m.mlDsaCosigner().signSubtree(log.origin(), 0, size, hash)));
    }
    sigs.sort(
        java.util.Comparator.comparingInt((MtcProof.SubtreeSignature g) -> g.cosignerId().length)
            .thenComparing(MtcProof.SubtreeSignature::cosignerId, Arrays::compareUnsigned));
    MtcProof proof =
        new MtcProof(List.of(), 0, size, log.tree().subtreeInclusionProof(index, 0, size), sigs);
    return MtcCertificate.assemble(
        TbsCertificateLogEntry.fromSubmittedCertificate(certificateDer, TestConsortium.CA_ID),
        List.of(),
        Certificates.parse(certificateDer).getPublicKey().getEncoded(),
        tc.log().number(),
        index,
        proof);
  }
}
