package org.ledgerpki.launcher.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.client.InquiryClient;
import org.ledgerpki.client.MtcChecks;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * What {@code ledgerpki demo} prints of the ledger's answers, each checked as a relying party does.
 */
final class DemoReport {
  private DemoReport() {}

  /**
   * Prints each certificate's decision, each GOOD answer verified offline with {@code verifier},
   * and each rejection's reasons; false if one was not as the plan expects.
   */
  static boolean decisions(
      DemoPlan plan, Map<String, StatusAnswer> answers, StatusVerifier verifier, Path trustFile) {
    boolean ok = true;
    System.out.println();
    System.out.println(
        "Accepted into the ledger (each answer verified offline against " + trustFile + "):");
    for (DemoPlan.DemoCert c :
        plan.certificates().stream().filter(DemoPlan.DemoCert::mustBeAccepted).toList()) {
      StatusAnswer a = answers.get(c.sha256());
      String line =
          String.format(
              Locale.ROOT, "  %-10s %-8s %-18s", c.submitter(), c.name(), c.description());
      if (a == null || !"GOOD".equals(a.status())) {
        System.out.println(
            line
                + "  EXPECTED GOOD, got "
                + (a == null ? "no decision" : a.status() + " " + a.reasons()));
        ok = false;
        continue;
      }
      try {
        StatusVerifier.Verified v = verifier.verify(a, c.der(), Instant.now());
        System.out.println(
            line
                + String.format(
                    Locale.ROOT,
                    "  GOOD  index %-3d verified: checkpoint %d cosigned by %d (signed at %s),"
                        + " inclusion proof, entry = certificate, status map",
                    v.index(),
                    v.checkpoint().checkpoint().size(),
                    v.checkpoint().cosigners().size(),
                    v.signedAt()));
      } catch (Exception e) {
        System.out.println(line + "  GOOD but NOT VERIFIED: " + e.getMessage());
        ok = false;
      }
    }
    System.out.println();
    System.out.println("Rejected by the validators:");
    for (DemoPlan.DemoCert c :
        plan.certificates().stream().filter(x -> !x.mustBeAccepted()).toList()) {
      StatusAnswer a = answers.get(c.sha256());
      String line =
          String.format(Locale.ROOT, "  %-10s %-17s %s", c.submitter(), c.name(), c.description());
      if (a == null || !"REJECTED".equals(a.status())) {
        System.out.println(
            line
                + "\n    EXPECTED REJECTED ("
                + c.expectedReason()
                + "), got "
                + (a == null ? "no decision" : a.status()));
        ok = false;
        continue;
      }
      List<StatusAnswer.Reason> reasons = a.reasons() == null ? List.of() : a.reasons();
      boolean expected = reasons.stream().anyMatch(r -> r.code().equals(c.expectedReason()));
      System.out.println(line);
      reasons.stream()
          .map(r -> r.code() + ": " + r.detail())
          .distinct()
          .forEach(r -> System.out.println("    " + r));
      if (!expected) {
        System.out.println("    EXPECTED reason " + c.expectedReason());
        ok = false;
      }
    }
    return ok;
  }

  /**
   * Prints the node's latest cosigned checkpoint and checks the MTC certificate of the plan's first
   * certificate as a relying party does (trusted landmark subtrees, then its status answer bound to
   * its entry); false if it did not verify.
   */
  static boolean checkpointAndMtc(
      DemoPlan plan,
      Map<String, StatusAnswer> answers,
      HttpClient http,
      String node,
      TrustPolicy policy,
      TrustBundle bundle,
      StatusVerifier verifier)
      throws Exception {
    boolean ok = true;
    String checkpoint =
        http.send(
                HttpRequest.newBuilder(URI.create(node + "/v1/checkpoint"))
                    .timeout(DemoPlan.REQUEST_TIMEOUT)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    System.out.println();
    System.out.println(
        "Latest cosigned checkpoint (C2SP signed note; the log's signature and the cosigners'):");
    checkpoint
        .lines()
        .forEach(
            l -> System.out.println("  " + (l.length() > 110 ? l.substring(0, 107) + "..." : l)));

    DemoPlan.DemoCert sample = plan.certificates().get(0);
    HttpResponse<byte[]> mtc =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(node + "/v1/certificates/" + sample.sha256() + "/mtc"))
                .timeout(DemoPlan.REQUEST_TIMEOUT)
                .header("Accept", "application/pkix-cert")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (mtc.statusCode() == 200) {
      try {
        MtcCertificate parsed = MtcCertificate.parse(mtc.body());
        // As a relying party: landmark subtrees are trusted once a quorum of cosigners signed
        // them; the landmark form then verifies with hashes only, the standalone form with the
        // cosignatures it carries.
        QuorumCosignerPolicy quorum = new QuorumCosignerPolicy(bundle);
        List<org.ledgerpki.core.mtc.TrustedSubtree> trusted = new ArrayList<>();
        String landmarks = new InquiryClient(node).landmarkSubtreesJson();
        MtcChecks.trustedSubtrees(landmarks, parsed, quorum, trusted, new ArrayList<>());
        MtcVerifier.Verified v =
            MtcVerifier.builder(policy.log().caId())
                .trust(trusted)
                .cosignerPolicy(quorum)
                .build()
                .verify(mtc.body());
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "MTC certificate of %s: %d bytes, serial (log %d << 48) | %d, subtree [%d, %d), verified with %s%n",
            sample.name(),
            mtc.body().length,
            parsed.logNumber(),
            parsed.index(),
            v.subtree().start(),
            v.subtree().end(),
            v.trustedBy() == MtcVerifier.TrustedBy.COSIGNERS
                ? parsed.proof().signatures().size() + " ML-DSA-44 cosignatures (standalone form)"
                : "hashes only against a cosigned landmark subtree (landmark form)");
        // Its revocation status: the status answer for the submitted certificate binds to the MTC
        // certificate too, since both map to one log entry (what `ledgerpki verify` checks).
        StatusAnswer sa = answers.get(sample.sha256());
        if (sa != null) {
          StatusVerifier.Verified sv =
              MtcChecks.verifiedStatus(sa.toJson(), parsed, verifier, Instant.now());
          System.out.printf(
              Locale.ROOT,
              "  its status: %s, verified against the MTC certificate's own entry (leaf %s…)%n",
              sv.status(),
              Hex.encode(sv.entryHash()).substring(0, 16));
        }
      } catch (Exception e) {
        System.out.println(
            "MTC certificate of " + sample.name() + " did not verify: " + e.getMessage());
        ok = false;
      }
    }

    return ok;
  }

  /** Prints the commands to query the node about {@code good}, a certificate that stays GOOD. */
  static void queryHints(
      DemoPlan.DemoCert good, ConsortiumFiles files, String node, LocalConsortium.Connection conn) {
    String goodPem =
        relative(files.dir().resolve("certs/" + good.submitter() + "/" + good.name() + ".pem"));
    System.out.println("Query it yourself:");
    System.out.println("  curl -s " + node + "/v1/status/" + good.sha256());
    System.out.println("  curl -s " + node + "/v1/checkpoint");
    System.out.println(
        "  curl -s -H 'Accept: application/pkix-cert' "
            + node
            + "/v1/certificates/"
            + good.sha256()
            + "/mtc > mtc.der");
    System.out.println(
        "  ./ledgerpki verify mtc.der --trust " + relative(files.trust()) + " --node " + node);
    System.out.println(
        "  ./ledgerpki status "
            + goodPem
            + " --trust "
            + relative(files.trust())
            + " --node "
            + node
            + "            # GOOD, exit 0");
    System.out.println(
        "  ./ledgerpki status "
            + relative(files.dir().resolve("certs/vendor-a/amf-1.pem"))
            + " --trust "
            + relative(files.trust())
            + " --node "
            + node
            + "            # REVOKED, exit 1");
    System.out.println(
        "  ./ledgerpki revoke "
            + goodPem
            + " --org vendor-a --consortium "
            + relative(files.dir())
            + " --reason keyCompromise --bootstrap "
            + conn.bootstrap()
            + " --registry "
            + conn.registryUrl()
            + " --wait-node "
            + node);
  }

  private static String relative(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
  }
}
