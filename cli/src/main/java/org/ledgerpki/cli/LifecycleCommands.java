package org.ledgerpki.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ledgerpki revoke | suspend | resume | renew}: signed lifecycle requests of a member
 * organisation. The validators endorse or reject them like issuance; once a quorum agrees, the
 * event is sequenced into the status log and every inquiry node shows it, with proof.
 */
public final class LifecycleCommands {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  private LifecycleCommands() {}

  /** Parses a CRLReason given by name (case-insensitive) or number. */
  static int reason(String s) {
    return Lifecycle.reasonCode(s);
  }

  /** The SHA-256 (hex) of a certificate given as a file or as 64 hex characters. */
  static String targetHash(String certOrHash) throws IOException, MalformedInputException {
    if (HEX64.matcher(certOrHash).matches()) {
      return certOrHash.toLowerCase(Locale.ROOT);
    }
    byte[] der = Certificates.der(Certificates.parse(Files.readAllBytes(Path.of(certOrHash))));
    return Hex.encode(Sha256.hash(der));
  }

  /** What every lifecycle command shares: who asks, with which key, where, and what to await. */
  abstract static class Base implements Callable<Integer> {
    @Option(names = "--org", required = true, description = "The requesting member's id.")
    String org;

    @Option(
        names = "--key",
        description =
            "Its submission private key (PKCS#8 PEM). Default: CONSORTIUM/ORG/submission.key.pem.")
    Path key;

    @Option(
        names = "--consortium",
        description = "A directory written by 'ledgerpki keygen consortium' or the demo.")
    Path consortium;

    @Mixin KafkaOptions kafka;

    @Option(
        names = "--wait-node",
        description =
            "Wait until this inquiry node shows the new status (repeatable: every node given)"
                + " and print how long it took.")
    List<String> waitNodes = new ArrayList<>();

    @Option(
        names = "--timeout",
        defaultValue = "60",
        description = "Seconds to wait with --wait-node (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    abstract String name();

    /** The request(s) to sign, and the status the target should show once it is accepted. */
    abstract Request request() throws Exception;

    record Request(List<Submission.Builder> builders, String target, String expectedStatus) {}

    @Override
    public Integer call() throws Exception {
      KeyPair kp;
      try {
        kp = ConsortiumFiles.memberSubmissionKey(key, consortium, org);
      } catch (ConfigException e) {
        return usage(e.getMessage());
      }
      List<Request> steps;
      try {
        steps = requests();
      } catch (IOException e) {
        return usage("cannot read the certificate: " + e.getMessage());
      } catch (MalformedInputException | IllegalArgumentException e) {
        return usage(e.getMessage());
      }
      if (steps.size() > 1 && waitNodes.isEmpty()) {
        return usage(
            "give --wait-node URL: each step must show at an inquiry node before the next one is"
                + " submitted");
      }
      for (Request r : steps) {
        int code = submitAndAwait(kp, r);
        if (code != ExitCodes.OK) {
          return code;
        }
      }
      return ExitCodes.OK;
    }

    /** The requests to submit one after the other; by default the one {@link #request()}. */
    List<Request> requests() throws Exception {
      return List.of(request());
    }

    private int submitAndAwait(KeyPair kp, Request r) throws Exception {
      long started = System.nanoTime();
      List<Submissions.Keyed> sent;
      try {
        sent =
            SubmissionClient.submitSigned(
                org, kp, r.builders(), kafka.bootstrap, kafka.registry, kafka.topicPrefix);
      } catch (IllegalStateException | java.util.concurrent.ExecutionException e) {
        System.err.println(
            "ledgerpki "
                + name()
                + ": could not submit: "
                + e.getMessage()
                + " (check --bootstrap, --registry and --topic-prefix)");
        return ExitCodes.UNAVAILABLE;
      }
      for (Submissions.Keyed k : sent) {
        Submission s = k.submission();
        System.out.println(
            "Submitted "
                + s.getOperation()
                + " of "
                + (s.getTargetCertificateSha256() == null
                    ? k.key()
                    : Hex.encode(Evidence.bytes(s.getTargetCertificateSha256())))
                + (s.getReasonCode() == null
                    ? ""
                    : " (reason " + Lifecycle.reasonName(s.getReasonCode()) + ")")
                + " as '"
                + org
                + "', request "
                + s.getSubmissionId());
      }
      System.out.println(
          "The validators now endorse or reject it; once a quorum agrees, every inquiry node shows it.");
      if (waitNodes.isEmpty()) {
        System.out.println(
            "Follow it: ledgerpki status " + r.target() + " --trust trust.json --node URL");
        return ExitCodes.OK;
      }
      return await(r, started);
    }

    private int await(Request r, long started) throws InterruptedException {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
      List<String> pending = new ArrayList<>(waitNodes);
      String last = "";
      while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
        for (String node : List.copyOf(pending)) {
          try {
            HttpResponse<String> resp =
                http.send(
                    HttpRequest.newBuilder(
                            URI.create(node.replaceAll("/+$", "") + "/v1/status/" + r.target()))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 200) {
              StatusAnswer a = StatusAnswer.fromJson(resp.body());
              last = a.status();
              if (r.expectedStatus().equals(a.status())) {
                System.out.printf(
                    Locale.ROOT,
                    "%s shows %s after %.2f s%n",
                    node,
                    a.status(),
                    (System.nanoTime() - started) / 1e9);
                pending.remove(node);
              }
            }
          } catch (IOException | MalformedInputException e) {
            last = e.getMessage();
          }
        }
        if (!pending.isEmpty()) {
          Thread.sleep(50);
        }
      }
      if (!pending.isEmpty()) {
        System.out.println(
            "not reflected after "
                + timeoutSeconds
                + " s at "
                + pending
                + " (last status seen: "
                + last
                + "); the request may have been rejected: see ledger.decisions");
        return ExitCodes.UNAVAILABLE;
      }
      System.out.println(
          "Verify an answer offline: ledgerpki status "
              + r.target()
              + " --trust trust.json --node URL");
      return ExitCodes.OK;
    }

    int usage(String message) {
      System.err.println("ledgerpki " + name() + ": " + message);
      return ExitCodes.USAGE;
    }

    Submission.Builder builder(Operation op, String targetHex, Integer reason, byte[] newCert) {
      return Submissions.lifecycle(org, op, Hex.decode(targetHex), reason, newCert);
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke a certificate: a signed REVOKE request of your organisation.",
        "The owner may always revoke its own certificates; other members need the quorum the",
        "trust policy sets. Revocation is final."
      })
  public static final class Revoke extends Base {
    @Parameters(paramLabel = "CERT", description = "The certificate (PEM/DER file) or its SHA-256.")
    String certificate;

    @Option(
        names = "--reason",
        defaultValue = "unspecified",
        description =
            "RFC 5280 reason: keyCompromise, cACompromise, affiliationChanged, superseded,"
                + " cessationOfOperation, privilegeWithdrawn, aACompromise, ... or its number"
                + " (default: ${DEFAULT-VALUE}).")
    String reason;

    @Override
    String name() {
      return "revoke";
    }

    @Override
    Request request() throws Exception {
      String target = targetHash(certificate);
      int code = reason(reason);
      if (code == Lifecycle.REASON_CERTIFICATE_HOLD) {
        throw new IllegalArgumentException(
            "certificateHold is a suspension: use 'ledgerpki suspend', which can be resumed");
      }
      return new Request(List.of(builder(Operation.REVOKE, target, code, null)), target, "REVOKED");
    }
  }

  @Command(
      name = "suspend",
      mixinStandardHelpOptions = true,
      description = {
        "Suspend a certificate (certificateHold) until a RESUME: a signed SUSPEND request.",
        "Used for example when continuous attestation fails."
      })
  public static final class Suspend extends Base {
    @Parameters(paramLabel = "CERT", description = "The certificate (PEM/DER file) or its SHA-256.")
    String certificate;

    @Override
    String name() {
      return "suspend";
    }

    @Override
    Request request() throws Exception {
      String target = targetHash(certificate);
      return new Request(
          List.of(builder(Operation.SUSPEND, target, Lifecycle.REASON_CERTIFICATE_HOLD, null)),
          target,
          "SUSPENDED");
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = {
        "Resume a suspended certificate: a signed RESUME request.",
        "A revoked certificate cannot be resumed."
      })
  public static final class Resume extends Base {
    @Parameters(paramLabel = "CERT", description = "The certificate (PEM/DER file) or its SHA-256.")
    String certificate;

    @Override
    String name() {
      return "resume";
    }

    @Override
    Request request() throws Exception {
      String target = targetHash(certificate);
      return new Request(List.of(builder(Operation.RESUME, target, null, null)), target, "GOOD");
    }
  }

  @Command(
      name = "renew",
      mixinStandardHelpOptions = true,
      description = {
        "Renew a certificate: a new one of the same organisation supersedes the old.",
        "Submits the new certificate (ISSUE), waits until the inquiry node shows it GOOD, then",
        "submits the RENEW, after which the old one shows REVOKED (superseded). Needs --wait-node."
      })
  public static final class Renew extends Base {
    @Parameters(
        index = "0",
        paramLabel = "OLD",
        description = "The certificate to supersede (PEM/DER file) or its SHA-256.")
    String old;

    @Parameters(index = "1", paramLabel = "NEW", description = "The new certificate (PEM or DER).")
    Path replacement;

    @Override
    String name() {
      return "renew";
    }

    @Override
    Request request() {
      throw new UnsupportedOperationException("renew has two steps");
    }

    /**
     * The new certificate is admitted like any other (ISSUE), then the RENEW names it and
     * supersedes the old one, which the ledger shows as REVOKED (reason superseded).
     */
    @Override
    List<Request> requests() throws Exception {
      String target = targetHash(old);
      byte[] der = Certificates.der(Certificates.parse(Files.readAllBytes(replacement)));
      String fresh = Hex.encode(Sha256.hash(der));
      Submission.Builder issue = Submissions.issueRequest(org, der);
      return List.of(
          new Request(List.of(issue), fresh, "GOOD"),
          new Request(
              List.of(builder(Operation.RENEW, target, Lifecycle.REASON_SUPERSEDED, der)),
              target,
              "REVOKED"));
    }
  }
}
