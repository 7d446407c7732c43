package org.ledgerpki.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.mtc.CosignedSubtree;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.MtcVerifier;
import org.ledgerpki.core.mtc.TrustedSubtree;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ledgerpki verify}: checks an MTC certificate as a relying party does. A landmark-relative
 * certificate is checked with hashes only, against landmark subtrees the relying party trusts; a
 * standalone one against the cosigners' ML-DSA-44 signatures it carries.
 *
 * <p>The trusted landmark subtrees come from a file or from an inquiry node; either way each
 * subtree is trusted only if a quorum of the trust bundle's cosigners signed it, so the source need
 * not be trusted. {@code --save-landmarks} keeps the fetched subtrees for offline use.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify an MTC certificate offline, as a relying party does.",
      "Checks a Merkle Tree Certificate (draft-ietf-plants-merkle-tree-certs): the landmark form",
      "with hashes only against trusted landmark subtrees, the standalone form against the",
      "cosigners' ML-DSA-44 signatures. Landmark subtrees are trusted only if a quorum of the",
      "trust bundle's cosigners signed them.",
      "Exit codes: 0 valid, 6 not valid, 7 the node could not be asked, 2 bad usage."
    })
final class VerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(
      paramLabel = "MTC_CERT",
      description =
          "The MTC certificate, PEM or DER (e.g. from GET /v1/certificates/{sha256}/mtc).")
  Path certificate;

  @Option(
      names = "--trust",
      required = true,
      description = "Trust bundle (trust.json): the log and the cosigners' keys and quorum.")
  Path trust;

  @Option(
      names = "--landmarks",
      description =
          "Landmark subtrees as JSON, as served by GET /v1/landmarks/subtrees (or saved with"
              + " --save-landmarks). Without it, and without --node, only standalone"
              + " certificates can verify.")
  Path landmarks;

  @Option(
      names = "--node",
      description =
          "Fetch the landmark subtrees from this inquiry node (its answer is checked, not"
              + " trusted).")
  String node;

  @Option(
      names = "--save-landmarks",
      description = "Write the landmark subtrees fetched with --node to this file.")
  Path saveLandmarks;

  @Option(
      names = "--revocations",
      description =
          "Revoked ranges as JSON, as served by GET /v1/revocations. With --node they are fetched"
              + " from the node. A certificate whose serial is in a revoked range is not valid.")
  Path revocations;

  @Option(
      names = "--landmark-only",
      description = "Accept the landmark form only: no signature is checked on the wire.")
  boolean landmarkOnly;

  @Override
  public Integer call() {
    byte[] der;
    MtcCertificate mtc;
    try {
      der = Certificates.der(Certificates.parse(Files.readAllBytes(certificate)));
      mtc = MtcCertificate.parse(der);
    } catch (IOException e) {
      return usage("cannot read " + certificate + ": " + e.getMessage());
    } catch (MalformedInputException e) {
      return usage(
          certificate
              + " is not an MTC certificate: "
              + e.getMessage()
              + " (get one from GET /v1/certificates/{sha256}/mtc)");
    }
    if (landmarks != null && node != null) {
      return usage("give --landmarks FILE or --node URL, not both");
    }
    if (saveLandmarks != null && node == null) {
      return usage("--save-landmarks needs --node URL to fetch them from");
    }
    TrustBundle bundle;
    QuorumCosignerPolicy quorum;
    try {
      bundle = TrustBundle.parse(Files.readString(trust, StandardCharsets.UTF_8));
      quorum = new QuorumCosignerPolicy(bundle);
    } catch (IOException e) {
      return usage("cannot read the trust bundle " + trust + ": " + e.getMessage());
    } catch (MalformedInputException e) {
      return usage(trust + " is not a trust bundle: " + e.getMessage());
    }
    if (!trustsCa(bundle, mtc.caId())) {
      System.out.println(
          "NOT VALID  "
              + certificate
              + "\n  its issuer is CA "
              + mtc.caId()
              + ", which is not a log of the trust bundle "
              + trust);
      return ExitCodes.NOT_VERIFIED;
    }

    String landmarkJson = null;
    try {
      if (landmarks != null) {
        landmarkJson = Files.readString(landmarks, StandardCharsets.UTF_8);
      } else if (node != null) {
        landmarkJson = fetch(node.replaceAll("/+$", "") + "/v1/landmarks/subtrees");
        if (saveLandmarks != null) {
          Files.writeString(saveLandmarks, landmarkJson, StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      if (landmarks != null) {
        return usage("cannot read " + landmarks + ": " + e.getMessage());
      }
      System.err.println(
          "ledgerpki verify: cannot get the landmarks from " + node + ": " + e.getMessage());
      return ExitCodes.UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.UNAVAILABLE;
    }

    List<TrustedSubtree> trusted = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    if (landmarkJson != null) {
      try {
        trustedSubtrees(landmarkJson, mtc, quorum, trusted, refused);
      } catch (IOException | MalformedInputException | IllegalArgumentException e) {
        return usage(
            "the landmark subtrees are not in the format of GET /v1/landmarks/subtrees: "
                + e.getMessage());
      }
    }

    List<org.ledgerpki.core.mtc.RevokedRange> revoked = new ArrayList<>();
    try {
      String revocationJson =
          revocations != null
              ? Files.readString(revocations, StandardCharsets.UTF_8)
              : node != null ? fetch(node.replaceAll("/+$", "") + "/v1/revocations") : null;
      if (revocationJson != null) {
        revokedRanges(revocationJson, revoked);
      }
    } catch (IOException | MalformedInputException | IllegalArgumentException e) {
      return usage("cannot use the revoked ranges: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.UNAVAILABLE;
    }

    MtcVerifier.Builder b = MtcVerifier.builder(mtc.caId()).trust(trusted).revoke(revoked);
    if (!landmarkOnly) {
      b.cosignerPolicy(quorum);
    }
    try {
      MtcVerifier.Verified v = b.build().verify(der);
      System.out.println("VALID  " + certificate);
      System.out.printf(
          Locale.ROOT,
          "  MTC certificate of log %s, index %d (serial %d), subtree [%d, %d)%n",
          mtc.logId(),
          v.index(),
          mtc.serial(),
          v.subtree().start(),
          v.subtree().end());
      if (v.trustedBy() == MtcVerifier.TrustedBy.TRUSTED_SUBTREE) {
        System.out.println(
            "  landmark form: verified with hashes only against a trusted landmark subtree");
      } else {
        System.out.println(
            "  standalone form: verified against "
                + mtc.proof().signatures().size()
                + " ML-DSA-44 cosignature(s), quorum "
                + bundle.cosignerQuorum()
                + " of the trust bundle's cosigners");
      }
      System.out.println("  revoked ranges checked: " + revoked.size());
      System.out.println(
          "  trusted landmark subtrees: "
              + trusted.size()
              + (refused.isEmpty() ? "" : "; refused (below the cosigner quorum): " + refused));
      return ExitCodes.OK;
    } catch (VerificationException e) {
      System.out.println("NOT VALID  " + certificate + "\n  " + e.getMessage());
      if (landmarkJson == null && mtc.proof().signatures().isEmpty()) {
        System.out.println(
            "  it is in the landmark form: give the trusted landmark subtrees with --landmarks"
                + " FILE or --node URL");
      }
      return ExitCodes.NOT_VERIFIED;
    } catch (MalformedInputException e) {
      System.out.println("NOT VALID  " + certificate + "\n  malformed: " + e.getMessage());
      return ExitCodes.NOT_VERIFIED;
    }
  }

  /**
   * Adds to {@code trusted} every landmark subtree of {@code json} that a quorum of the bundle's
   * cosigners signed for the certificate's log; names the others in {@code refused}.
   */
  static void trustedSubtrees(
      String json,
      MtcCertificate mtc,
      QuorumCosignerPolicy quorum,
      List<TrustedSubtree> trusted,
      List<String> refused)
      throws IOException, MalformedInputException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.isArray()) {
      throw new MalformedInputException("expected a JSON array of landmarks");
    }
    Base64.Decoder b64 = Base64.getDecoder();
    for (JsonNode lm : root) {
      for (JsonNode st : required(lm, "subtrees")) {
        long start = required(st, "start").asLong();
        long end = required(st, "end").asLong();
        byte[] hash = b64.decode(required(st, "hash").asText());
        List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
        for (JsonNode g : required(st, "signatures")) {
          sigs.add(
              MtcProof.SubtreeSignature.of(
                  required(g, "cosignerId").asText(),
                  b64.decode(required(g, "signature").asText())));
        }
        try {
          quorum.check(new CosignedSubtree(mtc.logId(), start, end, hash), sigs);
          trusted.add(new TrustedSubtree(mtc.logNumber(), start, end, hash));
        } catch (VerificationException e) {
          refused.add("landmark " + lm.path("number").asLong() + " [" + start + ", " + end + ")");
        }
      }
    }
  }

  /** Reads the half-open serial ranges of a {@code GET /v1/revocations} answer. */
  static void revokedRanges(String json, List<org.ledgerpki.core.mtc.RevokedRange> out)
      throws IOException, MalformedInputException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.isObject()) {
      throw new MalformedInputException("expected the JSON object of GET /v1/revocations");
    }
    for (JsonNode r : required(root, "revokedRanges")) {
      out.add(
          new org.ledgerpki.core.mtc.RevokedRange(
              required(r, "start").bigIntegerValue(), required(r, "end").bigIntegerValue()));
    }
  }

  private static JsonNode required(JsonNode n, String field) throws MalformedInputException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new MalformedInputException("missing field '" + field + "'");
    }
    return v;
  }

  private static boolean trustsCa(TrustBundle bundle, String caId) {
    for (TrustBundle.Log l : bundle.logs()) {
      try {
        if (StatusVerifier.caIdOf(l.origin()).equals(caId)) {
          return true;
        }
      } catch (VerificationException e) {
        // Not an MTC log origin.
      }
    }
    return false;
  }

  private static String fetch(String url) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r;
    try {
      r =
          client.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10))
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException("bad URL " + url + ": " + e.getMessage());
    }
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + " from " + url + ": " + r.body());
    }
    return r.body();
  }

  private static int usage(String message) {
    System.err.println("ledgerpki verify: " + message);
    return ExitCodes.USAGE;
  }
}
