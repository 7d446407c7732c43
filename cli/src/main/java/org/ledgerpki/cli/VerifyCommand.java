package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ledgerpki.client.InquiryClient;
import org.ledgerpki.client.MtcChecks;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcVerifier;
import org.ledgerpki.core.mtc.TrustedSubtree;
import org.ledgerpki.core.policy.Durations;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.StatusAnswer;
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
 *
 * <p>Revocation is verified, never taken on a node's word: the certificate's status comes from a
 * status answer (fetched with {@code --node}, which POSTs the MTC certificate to {@code
 * /v1/status}, or read from {@code --status FILE}) that {@link StatusVerifier#verify} checks
 * against the trust bundle: fresh cosigned checkpoint, the entry's inclusion, the entry bound to
 * this MTC certificate's TBSCertificate, and status-map proofs at the entry and at its key. VALID
 * needs a verified GOOD. Without revocation data it is not VALID, unless {@code
 * --no-revocation-check} says to skip the check, and then the output says that nothing was checked.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify an MTC certificate offline, as a relying party does.",
      "Checks a Merkle Tree Certificate (draft-ietf-plants-merkle-tree-certs): the landmark form",
      "with hashes only against trusted landmark subtrees, the standalone form against the",
      "cosigners' ML-DSA-44 signatures. Landmark subtrees are trusted only if a quorum of the",
      "trust bundle's cosigners signed them. Revocation is checked with a verified status",
      "answer (--node or --status FILE); without one the certificate is not VALID unless",
      "--no-revocation-check is given.",
      "Exit codes: 0 valid, 6 not valid (a bad proof, revoked or suspended, no or unverifiable",
      "revocation data; the reason is printed), 7 the node could not be asked, 2 bad usage."
    })
public final class VerifyCommand implements Callable<Integer> {
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
      names = "--status",
      paramLabel = "FILE",
      description =
          "A saved status answer (JSON, as POST /v1/status answers it; see --save-status) to check"
              + " revocation offline instead of asking --node. It verifies only while its"
              + " cosignatures are fresh (the trust bundle's maxAgeSeconds).")
  Path status;

  @Option(
      names = "--save-status",
      paramLabel = "FILE",
      description = "Write the status answer fetched with --node to this file.")
  Path saveStatus;

  @Option(
      names = "--no-revocation-check",
      description =
          "Check the MTC proof only and print 'VALID (revocation NOT checked)': nothing says the"
              + " certificate is not revoked. Without it, and without --node or --status, verify"
              + " refuses (exit 6, 'no revocation data').")
  boolean noRevocationCheck;

  @Option(
      names = "--clock-skew",
      defaultValue = "60s",
      description =
          "How far ahead of this machine's clock a cosigner's timestamp on the status answer's"
              + " checkpoint may be (default: ${DEFAULT-VALUE}).")
  String clockSkew;

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
    if (status != null && node != null) {
      return usage("give --status FILE or --node URL for the revocation data, not both");
    }
    if (saveStatus != null && node == null) {
      return usage("--save-status needs --node URL to fetch the status answer from");
    }
    if (noRevocationCheck && (status != null || node != null)) {
      return usage(
          "--no-revocation-check skips the revocation check; do not give --status or --node with"
              + " it");
    }
    Duration skew;
    try {
      skew = Durations.parse(clockSkew);
    } catch (IllegalArgumentException e) {
      return usage("--clock-skew: " + e.getMessage());
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
        landmarkJson = new InquiryClient(node).landmarkSubtreesJson();
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
        MtcChecks.trustedSubtrees(landmarkJson, mtc, quorum, trusted, refused);
      } catch (MalformedInputException | IllegalArgumentException e) {
        return usage(
            "the landmark subtrees are not in the format of GET /v1/landmarks/subtrees: "
                + e.getMessage());
      }
    }

    MtcVerifier.Builder b = MtcVerifier.builder(mtc.caId()).trust(trusted);
    if (!landmarkOnly) {
      b.cosignerPolicy(quorum);
    }
    MtcVerifier.Verified v;
    try {
      v = b.build().verify(der);
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

    String revocation;
    if (noRevocationCheck) {
      revocation = null;
    } else if (status == null && node == null) {
      return notValid(
          "no revocation data: give --node URL or --status FILE (a saved status answer) to check"
              + " that the certificate is not revoked, or --no-revocation-check to skip that check"
              + " knowingly");
    } else {
      String answerJson;
      try {
        if (status != null) {
          answerJson = Files.readString(status, StandardCharsets.UTF_8);
        } else {
          InquiryClient.Answer r = new InquiryClient(node).status(der);
          if (r.code() == 404) {
            return notValid(
                "no revocation data: the inquiry node at "
                    + node
                    + " knows no entry for this MTC certificate (HTTP 404"
                    + (r.body() == null || r.body().isBlank() ? "" : ": " + oneLine(r.body()))
                    + ")");
          }
          if (r.code() != 200) {
            System.err.println(
                "ledgerpki verify: the inquiry node at "
                    + node
                    + " answered HTTP "
                    + r.code()
                    + " to the status query: "
                    + oneLine(r.body()));
            return ExitCodes.UNAVAILABLE;
          }
          answerJson = r.body();
          if (saveStatus != null) {
            Files.writeString(saveStatus, answerJson, StandardCharsets.UTF_8);
          }
        }
      } catch (IOException e) {
        if (status != null) {
          return usage("cannot read " + status + ": " + e.getMessage());
        }
        System.err.println(
            "ledgerpki verify: cannot get the status from " + node + ": " + e.getMessage());
        return ExitCodes.UNAVAILABLE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCodes.UNAVAILABLE;
      }
      // A hint read before verifying: the answer may need a newer bundle than this one.
      java.util.Optional<String> behind = behind(bundle, answerJson);
      behind.ifPresent(n -> System.err.println("ledgerpki verify: note: " + n));
      String hint = behind.map(n -> "; " + n).orElse("");
      StatusVerifier.Verified sv;
      try {
        sv =
            MtcChecks.verifiedStatus(
                answerJson, mtc, new StatusVerifier(bundle, skew), Instant.now());
      } catch (MalformedInputException | VerificationException e) {
        return notValid("the revocation data did not verify: " + e.getMessage() + hint);
      } catch (RuntimeException e) {
        return notValid(
            "the revocation data could not be checked: "
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + hint);
      }
      if (!"GOOD".equals(sv.status())) {
        StatusEvent d = sv.decidingEvent();
        System.out.println(
            "NOT VALID  "
                + certificate
                + "\n  "
                + sv.status()
                + " (verified): "
                + (d == null ? "" : StatusCommand.describe(d)));
        for (String n : sv.notes()) {
          System.out.println("  note: " + n);
        }
        return ExitCodes.NOT_VERIFIED;
      }
      revocation =
          String.format(
              Locale.ROOT,
              "GOOD, verified: no lifecycle event for entry %s and no compromise of its key, in"
                  + " the status map of checkpoint %d cosigned by %s, signed at %s (trust bundle"
                  + " maxAgeSeconds %d)",
              Hex.encode(sv.entryHash()),
              sv.checkpoint().checkpoint().size(),
              sv.checkpoint().cosigners(),
              sv.signedAt(),
              bundle.maxAgeSeconds());
    }

    System.out.println(
        (revocation == null ? "VALID (revocation NOT checked)  " : "VALID  ") + certificate);
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
    System.out.println(
        revocation == null
            ? "  revocation: NOT checked (--no-revocation-check): the certificate may be revoked"
            : "  revocation: " + revocation);
    System.out.println(
        "  trusted landmark subtrees: "
            + trusted.size()
            + (refused.isEmpty() ? "" : "; refused (below the cosigner quorum): " + refused));
    return ExitCodes.OK;
  }

  /**
   * {@link BundleAge#behind} of a status answer's checkpoint; empty if the answer is unreadable.
   */
  private static java.util.Optional<String> behind(TrustBundle bundle, String answerJson) {
    try {
      return BundleAge.behind(bundle, StatusAnswer.fromJson(answerJson).checkpoint());
    } catch (MalformedInputException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private int notValid(String reason) {
    System.out.println("NOT VALID  " + certificate + "\n  " + reason);
    System.err.println("ledgerpki verify: not valid: " + oneLine(reason));
    return ExitCodes.NOT_VERIFIED;
  }

  private static String oneLine(String s) {
    String t = s == null ? "" : s.replace('\n', ' ').replace('\r', ' ').strip();
    return t.length() > 300 ? t.substring(0, 300) + "…" : t;
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

  private static int usage(String message) {
    System.err.println("ledgerpki verify: " + message);
    return ExitCodes.USAGE;
  }
}
