package org.ledgerpki.cli.keylime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.ledgerpki.cli.demo.Submitter;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.runtime.ConfigException;
import org.ledgerpki.schemas.runtime.KeyFiles;
import org.ledgerpki.schemas.runtime.ServiceConfig;
import org.ledgerpki.schemas.runtime.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous attestation: receives a Keylime verifier's revocation notifications (its webhook
 * notifier), checks Keylime's signature, maps the failed agent to the certificates it holds, and
 * submits a signed SUSPEND (or REVOKE, for the severities configured) for each of them as the
 * operator that runs it. The validators then decide like any lifecycle request; once their quorum
 * agrees, every inquiry node shows the certificate SUSPENDED.
 *
 * <p>Every step is written to the audit log ({@code org.ledgerpki.audit.keylime}): the event as
 * received, the signature check, the mapping, each request submitted, each refusal.
 *
 * <p>HTTP answers: 200 with what was done; 400 (RFC 9457 problem) for a body that is not a Keylime
 * notification; 403 for a bad signature; 405 for anything but POST; 503 if the ledger could not be
 * reached, so that Keylime retries. An event id seen before is not acted on twice.
 */
public final class KeylimeAdapter implements AutoCloseable {
  private static final Logger AUDIT = LoggerFactory.getLogger("org.ledgerpki.audit.keylime");
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String ORG = "ledgerpki.org";
  public static final String SUBMISSION_KEY = "ledgerpki.keys.submission";
  public static final String BIND = "ledgerpki.keylime.bind";
  public static final String PORT = "ledgerpki.keylime.port";
  public static final String REVOCATION_CERT = "ledgerpki.keylime.revocation-cert";
  public static final String MAPPING = "ledgerpki.keylime.mapping";
  public static final String CERTS_DIR = "ledgerpki.keylime.certs-dir";
  public static final String REVOKE_SEVERITIES = "ledgerpki.keylime.revoke-severities";

  /** Where lifecycle requests go: signs and produces them, returns them keyed. */
  @FunctionalInterface
  public interface Sink {
    List<Submissions.Keyed> submit(List<Submission.Builder> requests) throws Exception;
  }

  /** The adapter's settings, checked. */
  public record Config(
      String org,
      PublicKey keylimeKey,
      AgentMapping mapping,
      Set<String> revokeSeverities,
      String bind,
      int port) {}

  private final Config config;
  private final Sink sink;
  private final Set<String> seenEvents = Collections.synchronizedSet(new LinkedHashSet<>());
  private HttpServer server;

  public KeylimeAdapter(Config config, Sink sink) {
    this.config = config;
    this.sink = sink;
  }

  /** Reads and checks the settings; a bad one fails fast, named. */
  public static Config config(Settings s) {
    String org = s.require(ORG);
    Path certFile = s.existingFile(REVOCATION_CERT);
    PublicKey key;
    try {
      key = Certificates.parse(Files.readAllBytes(certFile)).getPublicKey();
    } catch (IOException | MalformedInputException e) {
      throw new ConfigException(
          "setting "
              + REVOCATION_CERT
              + " ("
              + Settings.envName(REVOCATION_CERT)
              + "): "
              + certFile
              + " is not Keylime's revocation certificate (PEM): "
              + e.getMessage(),
          e);
    }
    Path mappingFile = s.optionalFile(MAPPING).orElse(null);
    Path certsDir = s.get(CERTS_DIR).map(Path::of).orElse(null);
    if (mappingFile == null && certsDir == null) {
      throw new ConfigException(
          "set "
              + MAPPING
              + " or "
              + CERTS_DIR
              + ": the adapter must know which certificates"
              + " each Keylime agent holds");
    }
    if (certsDir != null && !Files.isDirectory(certsDir)) {
      throw new ConfigException(
          "setting "
              + CERTS_DIR
              + " ("
              + Settings.envName(CERTS_DIR)
              + "): no directory "
              + certsDir);
    }
    AgentMapping mapping;
    try {
      mapping = AgentMapping.load(mappingFile, certsDir);
    } catch (IOException | MalformedInputException e) {
      throw new ConfigException("the agent mapping cannot be loaded: " + e.getMessage(), e);
    }
    Set<String> revoke = new LinkedHashSet<>();
    for (String v : s.get(REVOKE_SEVERITIES).orElse("").split(",")) {
      if (!v.isBlank()) {
        revoke.add(v.strip().toLowerCase(Locale.ROOT));
      }
    }
    return new Config(
        org, key, mapping, revoke, s.get(BIND).orElse("127.0.0.1"), s.integer(PORT, 0, 65535));
  }

  /** Starts the HTTP listener; returns the port it listens on. */
  public int start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    int port = server.getAddress().getPort();
    AUDIT.info(
        "keylime adapter for '{}' listening on http://{}:{}/ ({} agent(s) mapped; REVOKE on"
            + " severities {}, SUSPEND otherwise)",
        config.org(),
        config.bind(),
        port,
        config.mapping().agents(),
        config.revokeSeverities());
    return port;
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(1);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      if (!"POST".equals(x.getRequestMethod())) {
        x.getResponseHeaders().add("Allow", "POST");
        problem(x, 405, "Method not allowed", "Keylime notifications are POSTed");
        return;
      }
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readNBytes(KeylimeNotification.MAX_BODY + 1);
      }
      Outcome o = process(body);
      if (o.status() == 200) {
        send(x, 200, "application/json", JSON.writeValueAsBytes(o.body()));
      } else {
        problem(x, o.status(), o.title(), o.detail());
      }
    }
  }

  /** The answer to one notification. */
  public record Outcome(int status, String title, String detail, Map<String, Object> body) {
    static Outcome problem(int status, String title, String detail) {
      return new Outcome(status, title, detail, null);
    }
  }

  /** Handles one webhook body: the logic behind the HTTP listener. */
  public Outcome process(byte[] body) {
    KeylimeNotification n;
    try {
      n = KeylimeNotification.parse(body);
    } catch (MalformedInputException e) {
      AUDIT.warn("refused a body that is not a Keylime notification: {}", e.getMessage());
      return Outcome.problem(400, "Not a Keylime notification", e.getMessage());
    }
    AUDIT.info(
        "received Keylime event {} ({}) for agent {} at {}, severity '{}', meta_data {}",
        n.eventId(),
        n.type(),
        n.agentId(),
        n.eventTime(),
        n.severityLabel(),
        n.metaData());
    try {
      n.verify(config.keylimeKey());
    } catch (VerificationException e) {
      AUDIT.error("refused Keylime event {}: {}", n.eventId(), e.getMessage());
      return Outcome.problem(403, "Bad signature", e.getMessage());
    }
    AUDIT.info("Keylime event {}: signature verified", n.eventId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("eventId", n.eventId());
    out.put("agentId", n.agentId());
    if (!n.isRevocation()) {
      AUDIT.info("Keylime event {}: type '{}' needs no action", n.eventId(), n.type());
      out.put("action", "none");
      out.put("requests", List.of());
      return new Outcome(200, null, null, out);
    }
    if (seenEvents.contains(n.eventId())) {
      AUDIT.info("Keylime event {}: already handled; not acting twice", n.eventId());
      out.put("action", "duplicate");
      out.put("requests", List.of());
      return new Outcome(200, null, null, out);
    }
    boolean revoke = config.revokeSeverities().contains(n.severityLabel().toLowerCase(Locale.ROOT));
    Operation op = revoke ? Operation.REVOKE : Operation.SUSPEND;
    int reason = revoke ? Lifecycle.REASON_KEY_COMPROMISE : Lifecycle.REASON_CERTIFICATE_HOLD;
    out.put("action", op.toString());
    List<String> certs = new ArrayList<>(config.mapping().certificates(n.agentId()));
    if (certs.isEmpty()) {
      AUDIT.warn(
          "Keylime event {}: agent {} holds no certificate this adapter knows; nothing submitted",
          n.eventId(),
          n.agentId());
      out.put("requests", List.of());
      seenEvents.add(n.eventId());
      return new Outcome(200, null, null, out);
    }
    AUDIT.info("Keylime event {}: agent {} holds {}", n.eventId(), n.agentId(), certs);
    List<Submission.Builder> requests = new ArrayList<>();
    for (String h : certs) {
      requests.add(Submissions.lifecycle(config.org(), op, Hex.decode(h), reason, null));
    }
    List<Submissions.Keyed> sent;
    try {
      sent = sink.submit(requests);
    } catch (Exception e) {
      AUDIT.error(
          "Keylime event {}: could not submit {} request(s): {}", n.eventId(), op, e.toString());
      return Outcome.problem(
          503, "Ledger unavailable", "could not submit the requests: " + e.getMessage());
    }
    seenEvents.add(n.eventId());
    List<Map<String, Object>> done = new ArrayList<>();
    for (Submissions.Keyed k : sent) {
      Submission s = k.submission();
      String target = Hex.encode(Evidence.bytes(s.getTargetCertificateSha256()));
      AUDIT.info(
          "Keylime event {}: submitted {} of {} as '{}' (reason {}), request {}",
          n.eventId(),
          s.getOperation(),
          target,
          config.org(),
          s.getReasonCode(),
          s.getSubmissionId());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("certificateSha256", target);
      r.put("operation", s.getOperation().toString());
      r.put("submissionId", s.getSubmissionId());
      done.add(r);
    }
    out.put("requests", done);
    return new Outcome(200, null, null, out);
  }

  private static void problem(HttpExchange x, int status, String title, String detail)
      throws IOException {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "urn:ledgerpki:problem:keylime");
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    send(x, status, "application/problem+json", JSON.writeValueAsBytes(p));
  }

  private static void send(HttpExchange x, int status, String type, byte[] body)
      throws IOException {
    x.getResponseHeaders().add("Content-Type", type);
    x.sendResponseHeaders(status, body.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(body);
    }
  }

  /**
   * Runs the adapter on its own: {@code ledgerpki run keylime-adapter [CONFIG]}. Configuration as
   * for every service (file, then {@code LEDGERPKI_*} variables).
   */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    List<String> keys =
        Arrays.asList(
            ORG,
            SUBMISSION_KEY,
            BIND,
            PORT,
            REVOCATION_CERT,
            MAPPING,
            CERTS_DIR,
            REVOKE_SEVERITIES);
    ServiceConfig sc;
    Config c;
    KeyPair submissionKey;
    try {
      sc = ServiceConfig.load(file, Map.of(), Map.of(PORT, "8990"), keys);
      c = config(sc.settings());
      submissionKey = KeyFiles.read(sc.settings().existingFile(SUBMISSION_KEY), SUBMISSION_KEY);
      if (sc.policy().member(c.org()).isEmpty()) {
        throw new ConfigException(
            "setting " + ORG + ": '" + c.org() + "' is not a member of the trust policy");
      }
    } catch (ConfigException e) {
      System.err.println("keylime adapter: " + e.getMessage());
      System.exit(2);
      return;
    }
    Sink sink =
        requests ->
            Submitter.submitSigned(
                c.org(),
                submissionKey,
                requests,
                sc.bootstrapServers(),
                sc.registryUrl(),
                sc.topicSettings().prefix());
    KeylimeAdapter adapter = new KeylimeAdapter(c, sink);
    adapter.start();
    Runtime.getRuntime().addShutdownHook(new Thread(adapter::close, "keylime-adapter-stop"));
    Thread.currentThread().join();
  }
}
