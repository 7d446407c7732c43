package org.ledgerpki.bench.system;

import static java.net.http.HttpResponse.BodyHandlers.ofByteArray;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusCheckpoints;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.core.verify.VerifiedCheckpoint;

/**
 * What one client sees of an inquiry node under test ({@code ledgerpki bench inquiry}): a network
 * function's sequential status checks, each verified offline, and the sizes of the answers.
 */
final class NodeProbes {
  private final int segwRequests;
  private final Consumer<String> say;

  /**
   * @param segwRequests sequential status checks of the network function's measurement
   * @param say prints a progress line
   */
  NodeProbes(int segwRequests, Consumer<String> say) {
    this.segwRequests = segwRequests;
    this.say = say;
  }

  // --- the network function's view -------------------------------------------------------------

  record Segw(
      int count,
      Percentiles request,
      Percentiles verify,
      Percentiles total,
      Percentiles checkpointOnly,
      boolean allGood,
      String asked) {
    String report() {
      return String.format(
          Locale.ROOT,
          "  %d sequential %s on one kept-alive HTTP/1.1 connection"
              + " (java.net.http), then StatusVerifier.verify with the certificate:%n"
              + "    request alone            p50 %7.0f µs   p99 %7.0f µs%n"
              + "    offline verification     p50 %7.0f µs   p99 %7.0f µs%n"
              + "    request + verification   p50 %7.0f µs   p99 %7.0f µs%n"
              + "    of which the checkpoint's signatures alone (CheckpointVerifier.verify):"
              + " p50 %.0f µs, p99 %.0f µs",
          count,
          asked,
          request.at(50) / 1e3,
          request.at(99) / 1e3,
          verify.at(50) / 1e3,
          verify.at(99) / 1e3,
          total.at(50) / 1e3,
          total.at(99) / 1e3,
          checkpointOnly.at(50) / 1e3,
          checkpointOnly.at(99) / 1e3);
    }
  }

  Segw segw(
      HttpClient http,
      String node,
      SyntheticLedger ledger,
      StatusVerifier verifier,
      TrustBundle bundle,
      InquiryBench.AnswerFormOption form)
      throws Exception {
    int warm = Math.min(3000, segwRequests);
    // In the compact forms the network function POSTs the peer's certificate and asks for the
    // compact answer; holding the checkpoint, it verified the node's note once, before the loop.
    HeldCheckpoints held = null;
    String heldNames = null;
    if (form != InquiryBench.AnswerFormOption.JSON) {
      held = new HeldCheckpoints(bundle);
      VerifiedCheckpoint cp =
          held.hold(
              http.send(
                      HttpRequest.newBuilder(URI.create(node + "/v1/checkpoint")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      heldNames = StatusCheckpoints.sha256(cp.note());
    }
    int n = segwRequests;
    say.accept(
        String.format(
            Locale.ROOT,
            "network function: %d sequential status checks (after %d for warm-up), at most 120 s",
            n,
            warm));
    SplittableRandom rnd = new SplittableRandom(4242);
    long[] req = new long[n];
    long[] ver = new long[n];
    long[] tot = new long[n];
    boolean allGood = true;
    int done = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int i = 0; i < warm + n && System.nanoTime() < deadline; i++) {
      long index = 1 + rnd.nextLong(ledger.size() - 1);
      byte[] der = ledger.certificate(index);
      String hex = Hex.encode(Sha256.hash(der));
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = http.send(request(node, hex, der, form, heldNames), ofByteArray());
      long t1 = System.nanoTime();
      StatusAnswer a =
          r.headers().firstValue("Content-Type").orElse("").startsWith(CompactAnswer.MEDIA_TYPE)
              ? CompactAnswer.decode(r.body())
              : StatusAnswer.fromJson(new String(r.body(), StandardCharsets.UTF_8));
      StatusVerifier.Verified v =
          form == InquiryBench.AnswerFormOption.COMPACT_HELD
              ? verifier.verify(a, der, Instant.now(), held)
              : verifier.verify(a, der, Instant.now());
      long t2 = System.nanoTime();
      if (r.statusCode() != 200 || !"GOOD".equals(v.status())) {
        allGood = false;
      }
      if (i >= warm) {
        req[done] = t1 - t0;
        ver[done] = t2 - t1;
        tot[done] = t2 - t0;
        done++;
      }
    }
    // The share of the verification that is the checkpoint's signatures (the log's Ed25519 and
    // ML-DSA-44, and each cosigner's Ed25519 and ML-DSA-44): what a relying party could cache
    // per checkpoint.
    CheckpointVerifier cv = new CheckpointVerifier(bundle);
    String note = status(http, node, ledger.certificate(1)).checkpoint();
    int reps = 2000;
    long[] cpOnly = new long[reps];
    for (int i = 0; i < 500; i++) {
      cv.verify(note);
    }
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      cv.verify(note);
      cpOnly[i] = System.nanoTime() - t0;
    }
    return new Segw(
        done,
        new Percentiles(Arrays.copyOf(req, done)),
        new Percentiles(Arrays.copyOf(ver, done)),
        new Percentiles(Arrays.copyOf(tot, done)),
        new Percentiles(cpOnly),
        allGood && done > 0,
        switch (form) {
          case JSON -> "GET /v1/status/{sha256} (JSON)";
          case COMPACT -> "POST /v1/status (the certificate; compact answers)";
          case COMPACT_HELD ->
              "POST /v1/status (the certificate; compact answers, checkpoint held and verified"
                  + " once before the loop)";
        });
  }

  /** One network function's request in the form the bench asks for. */
  private static HttpRequest request(
      String node, String hex, byte[] der, InquiryBench.AnswerFormOption form, String held) {
    if (form == InquiryBench.AnswerFormOption.JSON) {
      return HttpRequest.newBuilder(URI.create(node + "/v1/status/" + hex)).GET().build();
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node + "/v1/status"))
            .header("Content-Type", "application/pkix-cert")
            .header("Accept", CompactAnswer.MEDIA_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(der));
    if (form == InquiryBench.AnswerFormOption.COMPACT_HELD) {
      b.header("X-Checkpoint-Held", held);
    }
    return b.build();
  }

  // --- sizes -----------------------------------------------------------------------------------

  record Sizes(String report, boolean ok) {}

  Sizes sizes(
      HttpClient http,
      String node,
      SyntheticLedger ledger,
      LedgerWriter.Plan plan,
      TrustPolicy policy,
      TrustBundle bundle)
      throws Exception {
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    SplittableRandom rnd = new SplittableRandom(7);
    int n = 200;
    long[] bodies = new long[n];
    long[] notes = new long[n];
    long[] proofs = new long[n];
    for (int i = 0; i < n; i++) {
      long index = 1 + rnd.nextLong(ledger.size() - 1);
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          node
                              + "/v1/status/"
                              + Hex.encode(Sha256.hash(ledger.certificate(index)))))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      StatusAnswer a = StatusAnswer.fromJson(new String(r.body(), StandardCharsets.UTF_8));
      ok &= r.statusCode() == 200 && "GOOD".equals(a.status());
      bodies[i] = r.body().length;
      notes[i] = a.checkpoint().getBytes(StandardCharsets.UTF_8).length;
      proofs[i] = a.inclusionProof().size();
    }
    Percentiles b = new Percentiles(bodies);
    Percentiles nb = new Percentiles(notes);
    Percentiles pr = new Percentiles(proofs);
    out.append(
        String.format(
            Locale.ROOT,
            "  (a) GOOD status answer, JSON body as served (%d random certificates): median %d"
                + " bytes (min %d, max %d); of which the cosigned checkpoint note %d bytes;"
                + " inclusion proof %d hashes (median)%n",
            n,
            b.at(50),
            b.at(0.0001),
            b.at(100),
            nb.at(50),
            pr.at(50)));
    long landmarkIndex = Math.max(1, plan.lastLandmarkSize() / 2);
    // In the middle of the last checkpoint's range: its standalone proof is a typical one.
    long standaloneIndex =
        Math.max(plan.lastLandmarkSize(), ledger.size() - 1 - plan.checkpointEvery() / 2);
    byte[] certDer = ledger.certificate(landmarkIndex);
    for (long index : new long[] {landmarkIndex, standaloneIndex}) {
      String hex = Hex.encode(Sha256.hash(ledger.certificate(index)));
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(node + "/v1/certificates/" + hex + "/mtc"))
                  .header("Accept", "application/pkix-cert")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      String form = r.headers().firstValue("X-MTC-Form").orElse("?");
      if (r.statusCode() != 200) {
        out.append(
            String.format(
                Locale.ROOT,
                "  (b) MTC certificate of index %d: HTTP %d%n",
                index,
                r.statusCode()));
        ok = false;
        continue;
      }
      MtcCertificate parsed = MtcCertificate.parse(r.body());
      String check = "parsed";
      if ("standalone".equals(form)) {
        try {
          MtcVerifier.builder(policy.log().caId())
              .cosignerPolicy(new QuorumCosignerPolicy(bundle))
              .build()
              .verify(r.body());
          check = "verified with MtcVerifier against the cosigners";
        } catch (Exception e) {
          check = "DID NOT VERIFY: " + e.getMessage();
          ok = false;
        }
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  (b) MTC certificate, %s form (X-MTC-Form: %s), index %d: %d bytes DER; proof %d"
                  + " hashes, %d subtree signatures (%s)%n",
              index == landmarkIndex ? "landmark" : "standalone",
              form,
              index,
              r.body().length,
              parsed.proof().inclusionProof().size(),
              parsed.proof().signatures().size(),
              check));
      ok &= (index == landmarkIndex ? "landmark" : "standalone").equals(form);
    }
    out.append(
        String.format(
            Locale.ROOT,
            "      for comparison, the submitted X.509 certificate (ECDSA P-256, self-signed): %d"
                + " bytes DER%n",
            certDer.length));
    return new Sizes(out.toString().stripTrailing(), ok);
  }

  static StatusAnswer status(HttpClient http, String node, byte[] der) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(node + "/v1/status/" + Hex.encode(Sha256.hash(der))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("status lookup answered " + r.statusCode() + ": " + r.body());
    }
    return StatusAnswer.fromJson(r.body());
  }
}
