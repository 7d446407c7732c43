package org.ledgerpki.launcher.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.launcher.keylime.AgentMapping;
import org.ledgerpki.launcher.keylime.KeylimeAdapter;
import org.ledgerpki.launcher.keylime.KeylimeNotification;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;

/**
 * The demo's lifecycle act: a vendor revokes one of its certificates, a (simulated) Keylime
 * verifier reports a failed attestation that the operator's Keylime adapter turns into a
 * suspension, and the operator resumes the certificate; after each step every answer of the inquiry
 * node is verified offline.
 */
public final class DemoLifecycle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path data;
  private final GeneratedConsortium g;
  private final LocalConsortium.Connection conn;
  private final HttpClient http;
  private final String node;
  private final StatusVerifier verifier;
  private final Consumer<String> say;

  public DemoLifecycle(
      Path data,
      GeneratedConsortium g,
      LocalConsortium.Connection conn,
      HttpClient http,
      String node,
      StatusVerifier verifier,
      Consumer<String> say) {
    this.data = data;
    this.g = g;
    this.conn = conn;
    this.http = http;
    this.node = node;
    this.verifier = verifier;
    this.say = say;
  }

  /** One step's outcome, for the summary. */
  public record Step(String what, String status, double seconds, String proof, boolean ok) {}

  private KeyPair submissionKey(String org) {
    return g.members().stream()
        .filter(m -> m.id().equals(org))
        .findFirst()
        .orElseThrow()
        .submission();
  }

  private Submission.Builder request(String org, Operation op, String target, Integer reason) {
    return Submissions.lifecycle(org, op, Hex.decode(target), reason, null);
  }

  /** The owner revokes its certificate {@code c} with reason keyCompromise. */
  public Step revoke(DemoPlan.DemoCert c) throws Exception {
    long t0 = System.nanoTime();
    SubmissionClient.submitSigned(
        c.submitter(),
        submissionKey(c.submitter()),
        List.of(
            request(c.submitter(), Operation.REVOKE, c.sha256(), Lifecycle.REASON_KEY_COMPROMISE)),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix());
    say.accept(c.submitter() + " requested REVOKE of " + c.name() + " (keyCompromise)");
    return await(c, "REVOKED", t0, c.submitter() + " revokes " + c.name() + " (keyCompromise)");
  }

  /**
   * After {@code c} was revoked, its owner submits it again re-encoded, with its ECDSA signature as
   * (r, n − s): a valid self-signature under a new SHA-256, made without the private key, but the
   * same MTC log entry. The consortium refuses it (ENTRY_ALREADY_IN_LOG), and the inquiry node,
   * asked with the re-encoded certificate, proves its entry REVOKED.
   */
  public Step resubmitReencoded(DemoPlan.DemoCert c) throws Exception {
    long t0 = System.nanoTime();
    byte[] copy = org.ledgerpki.core.crypto.Certificates.ecdsaSignatureVariant(c.der());
    String copySha = Hex.encode(org.ledgerpki.core.Sha256.hash(copy));
    SubmissionClient.submit(
        c.submitter(),
        submissionKey(c.submitter()),
        List.of(copy),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix(),
        null);
    say.accept(
        c.submitter()
            + " submitted "
            + c.name()
            + " again, its signature re-encoded as (r, n - s): SHA-256 "
            + copySha.substring(0, 16)
            + "…");
    String what = c.submitter() + " resubmits revoked " + c.name() + ", re-encoded";
    Instant deadline = Instant.now().plusSeconds(30);
    StatusAnswer rejected = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(node + "/v1/status/" + copySha))
                  .timeout(DemoPlan.REQUEST_TIMEOUT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        StatusAnswer a = StatusAnswer.fromJson(r.body());
        if ("REJECTED".equals(a.status())) {
          rejected = a;
          break;
        }
      }
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String code =
        rejected == null || rejected.reasons() == null || rejected.reasons().isEmpty()
            ? null
            : rejected.reasons().get(0).code();
    if (!"ENTRY_ALREADY_IN_LOG".equals(code)) {
      return new Step(
          what,
          rejected == null ? "not refused after 30 s" : "REJECTED " + code,
          seconds,
          "",
          false);
    }
    // Asked with the re-encoded certificate itself, the node answers about its entry.
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(node + "/v1/status"))
                .timeout(DemoPlan.REQUEST_TIMEOUT)
                .header("Content-Type", "application/pkix-cert")
                .POST(HttpRequest.BodyPublishers.ofByteArray(copy))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    try {
      StatusVerifier.Verified v =
          verifier.verify(StatusAnswer.fromJson(r.body()), copy, Instant.now());
      return new Step(
          what,
          "REJECTED",
          seconds,
          String.format(
              Locale.ROOT,
              "ENTRY_ALREADY_IN_LOG; asked with the copy, the node proves its entry %s (event %d,"
                  + " checkpoint %d)",
              v.status(),
              v.decidingEvent() == null ? -1 : v.decidingEvent().sequence(),
              v.checkpoint().checkpoint().size()),
          "REVOKED".equals(v.status()));
    } catch (Exception e) {
      return new Step(what, "REJECTED, copy NOT VERIFIED", seconds, e.getMessage(), false);
    }
  }

  /**
   * A Keylime verifier reports that the agent on {@code c}'s host failed attestation; the
   * operator's adapter verifies the notification and submits a SUSPEND.
   */
  public Step suspendThroughKeylime(DemoPlan.DemoCert c) throws Exception {
    KeyPair keylime = Keys.generate(SignatureAlgorithm.RSA, 2048);
    String agent = UUID.nameUUIDFromBytes(c.der()).toString();
    Path mapping = data.resolve("keylime/agents.yaml");
    Files.createDirectories(mapping.getParent());
    Files.writeString(mapping, "agents:\n  " + agent + ":\n    - " + c.sha256() + "\n");
    KeylimeAdapter.Config cfg =
        KeylimeAdapter.Config.withDefaults(
            c.submitter(),
            keylime.getPublic(),
            AgentMapping.load(mapping, null),
            Set.of(),
            "127.0.0.1",
            0,
            data.resolve("keylime/state"));
    KeyPair key = submissionKey(c.submitter());
    try (KeylimeAdapter adapter =
        new KeylimeAdapter(
            cfg,
            requests ->
                SubmissionClient.submitSigned(
                    c.submitter(),
                    key,
                    requests,
                    conn.bootstrap(),
                    conn.registryUrl(),
                    conn.topicPrefix()))) {
      int port = adapter.start();
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .timeout(DemoPlan.REQUEST_TIMEOUT)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(keylimeNotification(keylime, agent)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return new Step(
            "Keylime: " + c.name() + " failed attestation",
            "adapter answered " + r.statusCode(),
            0,
            r.body(),
            false);
      }
      say.accept(
          "Keylime reported agent "
              + agent
              + " (host of "
              + c.name()
              + ") failed attestation; the adapter of "
              + c.submitter()
              + " submitted SUSPEND");
      return await(
          c,
          "SUSPENDED",
          t0,
          "Keylime attestation failure suspends " + c.name() + " (" + c.submitter() + ")");
    }
  }

  /** The owner resumes its suspended certificate {@code c}. */
  public Step resume(DemoPlan.DemoCert c) throws Exception {
    long t0 = System.nanoTime();
    SubmissionClient.submitSigned(
        c.submitter(),
        submissionKey(c.submitter()),
        List.of(request(c.submitter(), Operation.RESUME, c.sha256(), null)),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix());
    say.accept(c.submitter() + " requested RESUME of " + c.name() + " (re-attested)");
    return await(c, "GOOD", t0, c.submitter() + " resumes " + c.name());
  }

  /** Polls the node until {@code c} shows {@code expected}, then verifies that answer offline. */
  private Step await(DemoPlan.DemoCert c, String expected, long t0, String what) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    StatusAnswer a = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(node + "/v1/status/" + c.sha256()))
                  .timeout(DemoPlan.REQUEST_TIMEOUT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        a = StatusAnswer.fromJson(r.body());
        if (expected.equals(a.status())) {
          break;
        }
      }
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (a == null || !expected.equals(a.status())) {
      return new Step(
          what,
          "still " + (a == null ? "no answer" : a.status()) + " after 30 s",
          seconds,
          "",
          false);
    }
    try {
      StatusVerifier.Verified v = verifier.verify(a, c.der(), Instant.now());
      String proof =
          v.decidingEvent() != null
              ? String.format(
                  Locale.ROOT,
                  "event %d of the status log (%s) proven at the entry in checkpoint %d (cosigned"
                      + " by %d, signed at %s)",
                  v.decidingEvent().sequence(),
                  v.decidingEvent().operation(),
                  v.checkpoint().checkpoint().size(),
                  v.checkpoint().cosigners().size(),
                  v.signedAt())
              : String.format(
                  Locale.ROOT,
                  "no revocation or suspension of the entry or its key, proven in checkpoint %d"
                      + " (cosigned by %d, signed at %s)",
                  v.checkpoint().checkpoint().size(),
                  v.checkpoint().cosigners().size(),
                  v.signedAt());
      return new Step(what, v.status(), seconds, proof, expected.equals(v.status()));
    } catch (Exception e) {
      return new Step(what, a.status() + " NOT VERIFIED", seconds, e.getMessage(), false);
    }
  }

  /**
   * A revocation notification as a Keylime verifier's webhook notifier sends it, signed with
   * RSASSA-PSS (SHA-256, largest salt) over the {@code msg} text as Keylime signs it.
   */
  public static byte[] keylimeNotification(KeyPair keylime, String agent) throws Exception {
    return keylimeNotification(keylime, agent, "demo-" + UUID.randomUUID(), "critical");
  }

  /** As above, with the event id and the severity label given. */
  public static byte[] keylimeNotification(
      KeyPair keylime, String agent, String eventId, String severity) throws Exception {
    return keylimeNotification(keylime, agent, eventId, severity, Instant.now().toString());
  }

  /** As above, with the {@code event_time} text given too. */
  public static byte[] keylimeNotification(
      KeyPair keylime, String agent, String eventId, String severity, String eventTime)
      throws Exception {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("type", "revocation");
    msg.put("agent_id", agent);
    msg.put("meta_data", "{}");
    msg.put("event_time", eventTime);
    msg.put("event_id", eventId);
    msg.put("severity_label", severity);
    msg.put("context", "{\"message\": \"measured boot: PCR 10 does not match the policy\"}");
    String text = JSON.writeValueAsString(msg);
    int salt = KeylimeNotification.maxSaltLength((RSAPublicKey) keylime.getPublic());
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, salt, 1));
    s.initSign(keylime.getPrivate());
    s.update(text.getBytes(StandardCharsets.UTF_8));
    return JSON.writeValueAsBytes(
        Map.of("msg", text, "signature", Base64.getEncoder().encodeToString(s.sign())));
  }

  /** Waits a little between steps so that each one gets a checkpoint of its own. */
  public static void pause() throws InterruptedException {
    Thread.sleep(Duration.ofMillis(200).toMillis());
  }
}
