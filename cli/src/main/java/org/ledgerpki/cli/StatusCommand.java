package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.ledgerpki.client.InquiryClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.policy.Durations;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ledgerpki status}: asks an inquiry node about a certificate and, by default, verifies the
 * answer offline against a trust bundle. The exit code is the status ({@link ExitCodes}): a GOOD,
 * SUSPENDED or REVOKED status counts only once verified; an answer that is malformed, stale, about
 * another certificate or older than the checkpoint remembered with {@code --state} exits {@link
 * ExitCodes#NOT_VERIFIED} with the reason on stderr, never with the code of a status.
 *
 * <p>Given a certificate file, the answer is checked against that certificate ({@link
 * StatusVerifier#verify}); given only its SHA-256, the answer must carry the certificate, whose
 * hash must be the one asked ({@link StatusVerifier#verifyByHash}).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Ask an inquiry node for a certificate's status and verify the answer offline.",
      "Exit codes: 0 GOOD (verified), 1 REVOKED/SUSPENDED, 3 PENDING, 4 REJECTED, 5 UNKNOWN,",
      "6 the answer did not verify (malformed, stale, about another certificate, rolled back;",
      "  the reason is on stderr), 7 the node could not be asked (hard-fail),",
      "9 accepted without an answer (--fail-mode soft), 2 bad usage."
    })
public final class StatusCommand implements Callable<Integer> {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  @Parameters(
      paramLabel = "CERT",
      description = "A certificate file (PEM or DER), or its SHA-256 in hex.")
  String certificate;

  @Option(
      names = "--node",
      defaultValue = "${env:LEDGERPKI_INQUIRY_URL:-http://localhost:8080}",
      description = "Inquiry node base URL (env LEDGERPKI_INQUIRY_URL; default: ${DEFAULT-VALUE}).")
  String node;

  @Option(
      names = "--trust",
      description =
          "Trust bundle (trust.json) to verify the answer against. Required unless --no-verify.")
  Path trust;

  @Option(
      names = "--no-verify",
      description = "Print the node's answer without checking its proofs (not for production).")
  boolean noVerify;

  @Option(
      names = "--clock-skew",
      defaultValue = "60s",
      description =
          "How far ahead of this machine's clock a cosigner's timestamp may be (clocks differ;"
              + " default: ${DEFAULT-VALUE}). Freshness itself is the trust bundle's maxAgeSeconds.")
  String clockSkew;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description =
          "Remember the newest verified checkpoint of each log in FILE (JSON, created if missing)"
              + " and refuse an answer whose checkpoint is older: a smaller tree size or status"
              + " count, or another root at the same size (a split view).")
  Path state;

  @Option(
      names = "--json",
      description = "Also print the node's answer as JSON (a compact answer as it decodes).")
  boolean json;

  @Option(
      names = "--compact",
      description =
          "Ask for the compact binary answer (docs/inquiry-api.md, \"Answer forms\"): the proofs"
              + " and the checkpoint's Ed25519 lines only, and no certificate when CERT is a file.")
  boolean compact;

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description =
          "A cosigned checkpoint note this relying party holds (e.g. saved from the node's"
              + " /v1/checkpoint). It is verified against --trust; while it is fresh the node is"
              + " told so (X-Checkpoint-Held) and an answer against it leaves the note out. When"
              + " the bundle's statusCosignatures is ed25519+ml-dsa-44 and no fresh one is held,"
              + " the node's /v1/checkpoint is fetched and verified first (ADR 0010).")
  Path checkpoint;

  @Option(
      names = "--fail-mode",
      defaultValue = "hard",
      description =
          "When no answer can be had (node unreachable, catching up, failing): 'hard' refuses"
              + " (exit 7), 'soft' accepts without proof and says so (exit 9). A stale, malformed"
              + " or unverifiable answer always fails hard. Default: ${DEFAULT-VALUE}.")
  String failMode;

  /** No answer could be had: fail hard or soft as configured, and say which and why. */
  private int unavailable(String why) {
    if ("soft".equals(failMode)) {
      System.out.println(
          "SOFT-FAIL  "
              + why
              + "\n  accepted WITHOUT a verified answer because --fail-mode soft; nothing was"
              + " checked");
      return ExitCodes.SOFT_FAIL;
    }
    System.out.println(
        "HARD-FAIL  " + why + "\n  no verified answer: treat the certificate as not valid");
    return ExitCodes.UNAVAILABLE;
  }

  @Override
  public Integer call() {
    byte[] der = null;
    String sha256;
    if (HEX64.matcher(certificate).matches()) {
      sha256 = certificate.toLowerCase(java.util.Locale.ROOT);
    } else {
      Path p = Path.of(certificate);
      try {
        der = Certificates.der(Certificates.parse(Files.readAllBytes(p)));
      } catch (IOException e) {
        System.err.println(
            "ledgerpki status: cannot read "
                + p
                + ": "
                + e.getMessage()
                + " (give a certificate file or a 64-hex SHA-256)");
        return ExitCodes.USAGE;
      } catch (MalformedInputException e) {
        System.err.println("ledgerpki status: " + p + " is not a certificate: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      sha256 = Hex.encode(org.ledgerpki.core.Sha256.hash(der));
    }
    if (!"hard".equals(failMode) && !"soft".equals(failMode)) {
      System.err.println("ledgerpki status: --fail-mode must be hard or soft, not " + failMode);
      return ExitCodes.USAGE;
    }
    if (trust == null && !noVerify) {
      System.err.println(
          "ledgerpki status: give the trust bundle with --trust trust.json (the demo writes demo-data/trust.json), or --no-verify to skip the offline check");
      return ExitCodes.USAGE;
    }
    Duration skew;
    try {
      skew = Durations.parse(clockSkew);
    } catch (IllegalArgumentException e) {
      System.err.println("ledgerpki status: --clock-skew: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    CheckpointState seen = null;
    if (state != null) {
      try {
        seen = CheckpointState.load(state);
      } catch (IOException e) {
        System.err.println("ledgerpki status: --state: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
    HeldCheckpoints held = null;
    if (checkpoint != null) {
      if (trust == null) {
        System.err.println("ledgerpki status: --checkpoint needs --trust to verify it against");
        return ExitCodes.USAGE;
      }
      try {
        held = new HeldCheckpoints(TrustBundle.parse(Files.readString(trust)));
        held.hold(Files.readString(checkpoint, StandardCharsets.UTF_8));
      } catch (IOException e) {
        System.err.println("ledgerpki status: cannot read " + e.getMessage());
        return ExitCodes.USAGE;
      } catch (MalformedInputException | VerificationException | IllegalArgumentException e) {
        System.err.println(
            "ledgerpki status: --checkpoint " + checkpoint + " does not verify: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
    InquiryClient client = new InquiryClient(node);
    FullNoteFetch.Result fetched =
        FullNoteFetch.ifRequired(noVerify ? null : trust, held, client, node);
    switch (fetched.outcome()) {
      case NOT_NEEDED, HELD -> held = fetched.held();
      case UNAVAILABLE -> {
        return unavailable(fetched.why());
      }
      case NOT_VERIFIED -> {
        return notVerified(sha256, fetched.why());
      }
    }
    InquiryClient.RawAnswer response;
    try {
      // With the certificate in hand, POST it: the node then also finds the entry of another
      // encoding of it (status is a property of the entry, docs/status.md); by hash, GET.
      String hash = sha256;
      byte[] cert = der;
      response =
          FullNoteFetch.ask(fetched, client, names -> client.status(hash, cert, compact, names));
    } catch (IOException | IllegalArgumentException e) {
      System.err.println(
          "ledgerpki status: cannot reach the inquiry node at "
              + node
              + ": "
              + e.getMessage()
              + " (is it running? pass --node URL)");
      return unavailable("the inquiry node at " + node + " could not be reached");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.UNAVAILABLE;
    }
    if (json && !response.compact()) {
      System.out.println(response.text());
    }
    if (response.compact()) {
      StatusAnswer a;
      try {
        a = CompactAnswer.decode(response.body());
      } catch (MalformedInputException e) {
        return notVerified(sha256, "the node's compact answer is malformed: " + e.getMessage());
      }
      if (json) {
        System.out.println(a.toJson());
      }
      System.err.println(
          "ledgerpki status: compact answer, "
              + response.body().length
              + " bytes"
              + (a.checkpoint() == null ? ", against the checkpoint held" : ""));
      return verifyAndPrint(a, sha256, der, skew, seen, held);
    }
    return report(sha256, der, response.code(), response.text(), skew, seen, held);
  }

  private int report(
      String sha256,
      byte[] der,
      int code,
      String body,
      Duration skew,
      CheckpointState seen,
      HeldCheckpoints held) {
    if (code == 404) {
      System.out.println(
          "UNKNOWN  " + sha256 + "\n  the inquiry node has no record of this certificate");
      return ExitCodes.UNKNOWN;
    }
    if (code == 503) {
      System.err.println(
          "ledgerpki status: the inquiry node is still catching up with the ledger; try again shortly");
      return unavailable("the inquiry node at " + node + " is catching up (503)");
    }
    if (code != 200) {
      System.err.println("ledgerpki status: the inquiry node answered HTTP " + code + ": " + body);
      return code == 400
          ? ExitCodes.USAGE
          : unavailable("the inquiry node at " + node + " answered HTTP " + code);
    }
    StatusAnswer a;
    try {
      a = StatusAnswer.fromJson(body);
    } catch (MalformedInputException | RuntimeException e) {
      return notVerified(sha256, "the node's answer is not a status answer: " + e.getMessage());
    }
    switch (a.status()) {
      case "PENDING" -> {
        System.out.println(
            "PENDING  "
                + sha256
                + "\n  admitted"
                + (a.index() != null ? " at index " + a.index() : "")
                + ", not yet covered by a cosigned checkpoint (the node's claim, not verified)");
        return ExitCodes.PENDING;
      }
      case "REJECTED" -> {
        System.out.println("REJECTED " + sha256);
        if (a.reasons() != null) {
          for (StatusAnswer.Reason r : a.reasons()) {
            if (r == null) {
              continue;
            }
            System.out.println(
                "  "
                    + r.code()
                    + (r.validator() != null ? " (" + r.validator() + ")" : "")
                    + ": "
                    + r.detail());
          }
        }
        System.out.println(
            "  (rejections are signed by the validators; they are not verified here)");
        return ExitCodes.REJECTED;
      }
      default -> {
        return verifyAndPrint(a, sha256, der, skew, seen, held);
      }
    }
  }

  /**
   * An answer that did not verify: a header on stdout, the one-line reason on stderr, and {@link
   * ExitCodes#NOT_VERIFIED}, whatever the node claimed.
   */
  private static int notVerified(String sha256, String reason) {
    System.out.println(
        "NOT VERIFIED  "
            + sha256
            + "\n  HARD-FAIL: do not trust this answer (a stale, malformed or unverifiable answer"
            + " never soft-fails); ask another inquiry node");
    System.err.println(
        "ledgerpki status: not verified: " + reason.replace('\n', ' ').replace('\r', ' '));
    return ExitCodes.NOT_VERIFIED;
  }

  /**
   * @param held the checkpoints this relying party holds (--checkpoint), or null
   */
  private int verifyAndPrint(
      StatusAnswer a,
      String sha256,
      byte[] der,
      Duration skew,
      CheckpointState seen,
      HeldCheckpoints held) {
    if (noVerify) {
      System.out.println(
          a.status()
              + "  "
              + sha256
              + "\n  NOT VERIFIED (--no-verify): this is only what the node claims");
      return "GOOD".equals(a.status()) ? ExitCodes.OK : ExitCodes.REVOKED;
    }
    TrustBundle bundle;
    StatusVerifier verifier;
    try {
      bundle = TrustBundle.parse(Files.readString(trust, StandardCharsets.UTF_8));
      verifier = new StatusVerifier(bundle, skew);
    } catch (IOException e) {
      System.err.println(
          "ledgerpki status: cannot read the trust bundle " + trust + ": " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (MalformedInputException | IllegalArgumentException e) {
      System.err.println(
          "ledgerpki status: " + trust + " is not a usable trust bundle: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    // Read before verifying, as a hint only: the consortium may have changed its policy (new
    // cosigners, another quorum) since this bundle was made.
    java.util.Optional<String> behind = BundleAge.behind(bundle, a.checkpoint());
    behind.ifPresent(b -> System.err.println("ledgerpki status: note: " + b));
    String hint = behind.map(b -> "; " + b).orElse("");
    StatusVerifier.Verified v;
    try {
      v =
          der != null
              ? verifier.verify(a, der, Instant.now(), held)
              : verifier.verifyByHash(a, Hex.decode(sha256), Instant.now(), held);
    } catch (MalformedInputException e) {
      return notVerified(
          sha256,
          "the node said "
              + a.status()
              + ", but the answer is malformed: "
              + e.getMessage()
              + hint);
    } catch (VerificationException e) {
      return notVerified(
          sha256,
          "the node said " + a.status() + ", but the proof failed: " + e.getMessage() + hint);
    } catch (RuntimeException e) {
      // A lying node's answer must never end in an uncaught exception (exit 1 means REVOKED).
      return notVerified(
          sha256,
          "the node said "
              + a.status()
              + ", but the answer could not be checked: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + hint);
    }
    if (seen != null) {
      java.util.Optional<String> rollback = seen.rollback(v);
      if (rollback.isPresent()) {
        return notVerified(sha256, rollback.get());
      }
      try {
        seen.remember(v);
      } catch (IOException e) {
        System.err.println(
            "ledgerpki status: --state: cannot write " + state + ": " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
    print(v, sha256, bundle, skew, der == null);
    return "GOOD".equals(v.status()) ? ExitCodes.OK : ExitCodes.REVOKED;
  }

  private void print(
      StatusVerifier.Verified v, String sha256, TrustBundle bundle, Duration skew, boolean byHash) {
    System.out.println(v.status() + "  " + sha256);
    System.out.println(
        "  log "
            + v.origin()
            + ", index "
            + v.index()
            + ", entry (leaf hash) "
            + Hex.encode(v.entryHash()));
    System.out.println(
        "  checkpoint size "
            + v.checkpoint().checkpoint().size()
            + ", cosigned by "
            + v.checkpoint().cosigners().size()
            + " of the trusted cosigners (quorum "
            + bundle.cosignerQuorum()
            + "): "
            + v.checkpoint().cosigners());
    System.out.println(
        "  fresh: signed at "
            + v.signedAt()
            + " by at least "
            + bundle.cosignerQuorum()
            + " trusted cosigners ("
            + (bundle.requiresMlDsaStatusCosignatures()
                ? "cosignature/v1 and ML-DSA-44 status cosignature timestamps"
                : "cosignature/v1 timestamps")
            + "), within the trust bundle's"
            + " maxAgeSeconds "
            + bundle.maxAgeSeconds()
            + " (clock skew allowed "
            + skew.toSeconds()
            + " s)");
    StatusEvent d = v.decidingEvent();
    if (d == null) {
      System.out.println("  no lifecycle event: the status map proves the entry has none");
    } else {
      System.out.println("  deciding event: " + describe(d));
      if (v.compromise() != null && v.event() != null && v.event() != v.compromise()) {
        System.out.println("  the entry's own latest event: " + describe(v.event()));
      }
    }
    System.out.println(
        "  verified offline against "
            + trust
            + ": log and cosigner signatures, signed freshness, inclusion proof, entry = "
            + (byHash
                ? "the certificate in the answer, whose SHA-256 is the one asked"
                : "this certificate")
            + ", status map proofs at the entry and at its key");
    // The verifier's notes name the other entry when the key was compromised through it (its
    // leaf hash, certificate and status event), and another encoding of the entry.
    for (String n : v.notes()) {
      System.out.println("  note: " + n);
    }
  }

  /** One status event, as a line. */
  static String describe(StatusEvent e) {
    return "status event "
        + e.sequence()
        + ": "
        + e.operation()
        + " -> "
        + e.state()
        + (e.reasonCode() == null
            ? ""
            : ", reason " + Lifecycle.reasonName(e.reasonCode()) + " (" + e.reasonCode() + ")")
        + ", effective "
        + Instant.ofEpochMilli(e.effectiveAtMillis())
        + ", certificate "
        + Hex.encode(e.certificateSha256());
  }
}
