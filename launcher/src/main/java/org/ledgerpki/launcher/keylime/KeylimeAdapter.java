package org.ledgerpki.launcher.keylime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.Settings;
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
 * received, the signature check, the freshness check, the mapping, each request submitted, each
 * refusal.
 *
 * <p>Replays. A notification is acted on once: it is identified by its signed text ({@link
 * KeylimeNotification#key()}); of concurrent deliveries of one notification exactly one is acted on
 * ({@link SeenEvents#claim}); a decided notification is recorded in the state directory's {@value
 * SeenEvents#FILE}, forced to disk before the answer, so that a replay after a restart is refused
 * too; and a notification whose {@code event_time} is older than {@link Config#maxEventAge()} (or
 * later than now plus {@link Config#maxClockSkew()}) is refused, so that the record need not be
 * trusted forever. The order is: submit, then record, then answer. A crash between submitting and
 * recording leaves the event unanswered, so Keylime delivers it again and the adapter submits its
 * requests again: at least once, never lost. That second SUSPEND (or REVOKE) of a certificate
 * already suspended (revoked) is refused by the lifecycle rule, so it decides nothing new.
 *
 * <p>HTTP answers: 200 with what was done, or with {@code "action": "duplicate"} and no request for
 * a notification already decided (so that Keylime stops redelivering it); and RFC 9457 problems:
 * 400 for a body that is not a Keylime notification or has no readable {@code event_time}; 403 for
 * a bad signature; 405 for anything but POST; 409 while another delivery of the same notification
 * is being handled; 422 for a stale or future {@code event_time}; 500 if the requests were
 * submitted but the decision could not be recorded; 503 if the ledger could not be reached, so that
 * Keylime retries.
 */
public final class KeylimeAdapter implements AutoCloseable {
  static final Logger AUDIT = LoggerFactory.getLogger("org.ledgerpki.audit.keylime");
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String ORG = "ledgerpki.org";
  public static final String SUBMISSION_KEY = "ledgerpki.keys.submission";
  public static final String BIND = "ledgerpki.keylime.bind";
  public static final String PORT = "ledgerpki.keylime.port";
  public static final String REVOCATION_CERT = "ledgerpki.keylime.revocation-cert";
  public static final String MAPPING = "ledgerpki.keylime.mapping";
  public static final String CERTS_DIR = "ledgerpki.keylime.certs-dir";
  public static final String REVOKE_SEVERITIES = "ledgerpki.keylime.revoke-severities";
  public static final String STATE_DIR = "ledgerpki.keylime.state-dir";
  public static final String MAX_EVENT_AGE = "ledgerpki.keylime.max-event-age";
  public static final String MAX_CLOCK_SKEW = "ledgerpki.keylime.max-clock-skew";
  public static final String EVENT_TIME_ZONE = "ledgerpki.keylime.event-time-zone";

  /** Default of {@value #MAX_EVENT_AGE}; keep it longer than Keylime takes to redeliver. */
  public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofMinutes(5);

  /** Default of {@value #MAX_CLOCK_SKEW}. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(30);

  /** Where lifecycle requests go: signs and produces them, returns them keyed. */
  @FunctionalInterface
  public interface Sink {
    List<Submissions.Keyed> submit(List<Submission.Builder> requests) throws Exception;
  }

  /**
   * The adapter's settings, checked.
   *
   * @param org the operator that runs the adapter and submits the requests
   * @param keylimeKey the public key of the Keylime verifier's revocation certificate
   * @param mapping which certificates each agent holds
   * @param revokeSeverities severity labels (lower case) that REVOKE rather than SUSPEND
   * @param bind the address to listen on
   * @param port the port to listen on; 0 for any free one
   * @param stateDir where the decided events are recorded; must survive restarts, one adapter each
   * @param maxEventAge how old an {@code event_time} may be; positive
   * @param maxClockSkew how far in the future an {@code event_time} may be; not negative
   * @param eventTimeZone the Keylime verifier's zone, for {@code event_time}s written without one
   */
  public record Config(
      String org,
      PublicKey keylimeKey,
      AgentMapping mapping,
      Set<String> revokeSeverities,
      String bind,
      int port,
      Path stateDir,
      Duration maxEventAge,
      Duration maxClockSkew,
      ZoneId eventTimeZone) {
    /**
     * Checks the invariants above.
     *
     * @throws IllegalArgumentException naming the first value that breaks one
     */
    public Config {
      Objects.requireNonNull(org, "org");
      Objects.requireNonNull(keylimeKey, "keylimeKey");
      Objects.requireNonNull(mapping, "mapping");
      Objects.requireNonNull(stateDir, "stateDir");
      Objects.requireNonNull(eventTimeZone, "eventTimeZone");
      if (maxEventAge == null || maxEventAge.isNegative() || maxEventAge.isZero()) {
        throw new IllegalArgumentException(
            MAX_EVENT_AGE + " must be a positive duration, found " + maxEventAge);
      }
      if (maxClockSkew == null || maxClockSkew.isNegative()) {
        throw new IllegalArgumentException(
            MAX_CLOCK_SKEW + " must be a duration of zero or more, found " + maxClockSkew);
      }
      revokeSeverities = Set.copyOf(revokeSeverities);
    }

    /**
     * The settings with the defaults for freshness: events up to {@link #DEFAULT_MAX_EVENT_AGE}
     * old, {@link #DEFAULT_MAX_CLOCK_SKEW} of skew, {@code event_time}s without a zone in UTC.
     */
    public static Config withDefaults(
        String org,
        PublicKey keylimeKey,
        AgentMapping mapping,
        Set<String> revokeSeverities,
        String bind,
        int port,
        Path stateDir) {
      return new Config(
          org,
          keylimeKey,
          mapping,
          revokeSeverities,
          bind,
          port,
          stateDir,
          DEFAULT_MAX_EVENT_AGE,
          DEFAULT_MAX_CLOCK_SKEW,
          ZoneId.of("UTC"));
    }
  }

  private final Config config;
  private final Sink sink;
  private final Clock clock;
  private final SeenEvents seen;
  private HttpServer server;

  /**
   * An adapter on the system clock. Opens (and locks) the record of decided events in {@link
   * Config#stateDir()}.
   *
   * @throws IOException if that record cannot be opened: see {@link SeenEvents#open}
   */
  public KeylimeAdapter(Config config, Sink sink) throws IOException {
    this(config, sink, Clock.systemUTC());
  }

  /**
   * An adapter that reads the time from {@code clock}, for the freshness check.
   *
   * @throws IOException if the record of decided events cannot be opened: see {@link
   *     SeenEvents#open}
   */
  public KeylimeAdapter(Config config, Sink sink, Clock clock) throws IOException {
    this.config = config;
    this.sink = sink;
    this.clock = clock;
    this.seen = SeenEvents.open(config.stateDir());
  }

  /**
   * Reads and checks the settings; a bad one fails fast, named. The state directory defaults to
   * {@code keylime-adapter} under {@code ledgerpki.state.dir}.
   *
   * @throws ConfigException naming the first bad or missing setting
   */
  public static Config config(Settings s) {
    return KeylimeSettings.read(s);
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
            + " severities {}, SUSPEND otherwise; events up to {} old and {} ahead accepted,"
            + " times without a zone in {}; {} decided event(s) recorded in {})",
        config.org(),
        config.bind(),
        port,
        config.mapping().agents(),
        config.revokeSeverities(),
        config.maxEventAge(),
        config.maxClockSkew(),
        config.eventTimeZone(),
        seen.decidedCount(),
        seen.file());
    return port;
  }

  /** Stops the listener, if started, and closes the record of decided events. */
  @Override
  public void close() {
    if (server != null) {
      server.stop(1);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
    try {
      seen.close();
    } catch (IOException e) {
      AUDIT.warn("could not close {}: {}", seen.file(), e.toString());
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

  /**
   * Handles one webhook body: the logic behind the HTTP listener. Safe to call from several threads
   * at once.
   */
  public Outcome process(byte[] body) {
    KeylimeNotification n;
    try {
      n = KeylimeNotification.parse(body);
    } catch (MalformedInputException e) {
      AUDIT.warn("refused a body that is not a Keylime notification: {}", e.getMessage());
      return Outcome.problem(400, "Not a Keylime notification", e.getMessage());
    }
    String key = n.key();
    AUDIT.info(
        "received Keylime event {} ({}) for agent {} at {}, severity '{}', meta_data {}, key {}",
        n.eventId(),
        n.type(),
        n.agentId(),
        n.eventTime(),
        n.severityLabel(),
        n.metaData(),
        key);
    try {
      n.verify(config.keylimeKey());
    } catch (VerificationException e) {
      AUDIT.error("refused Keylime event {}: {}", n.eventId(), e.getMessage());
      return Outcome.problem(403, "Bad signature", e.getMessage());
    }
    AUDIT.info("Keylime event {}: signature verified", n.eventId());
    Outcome stale = EventFreshness.check(n, config, clock.instant());
    if (stale != null) {
      return stale;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("eventId", n.eventId());
    out.put("agentId", n.agentId());
    if (!n.isRevocation()) {
      AUDIT.info("Keylime event {}: type '{}' needs no action", n.eventId(), n.type());
      out.put("action", "none");
      out.put("requests", List.of());
      return new Outcome(200, null, null, out);
    }
    switch (seen.claim(key)) {
      case DECIDED -> {
        AUDIT.warn(
            "Keylime event {} (key {}): already decided; refused as a duplicate, nothing submitted",
            n.eventId(),
            key);
        out.put("action", "duplicate");
        out.put("requests", List.of());
        return new Outcome(200, null, null, out);
      }
      case IN_PROGRESS -> {
        AUDIT.warn(
            "Keylime event {} (key {}): another delivery is handling it; refused as a duplicate",
            n.eventId(),
            key);
        return Outcome.problem(
            409,
            "Duplicate event",
            "Keylime event "
                + n.eventId()
                + " is being handled by another delivery; deliver it again later to learn"
                + " whether it was decided");
      }
      case CLAIMED -> {
        // This delivery alone decides the event.
      }
    }
    boolean decided = false;
    try {
      Outcome o = decide(n, key, out);
      decided = o.status() != 503;
      return o;
    } finally {
      if (!decided) {
        seen.release(key);
      }
    }
  }

  /**
   * Acts on a claimed revocation event: submits, then records it, then answers. Answers 503 (and
   * records nothing) if the requests could not be submitted.
   */
  private Outcome decide(KeylimeNotification n, String key, Map<String, Object> out) {
    boolean revoke = config.revokeSeverities().contains(n.severityLabel().toLowerCase(Locale.ROOT));
    Operation op = revoke ? Operation.REVOKE : Operation.SUSPEND;
    int reason = revoke ? Lifecycle.REASON_KEY_COMPROMISE : Lifecycle.REASON_CERTIFICATE_HOLD;
    out.put("action", op.toString());
    List<String> certs = new ArrayList<>(config.mapping().certificates(n.agentId()));
    List<Submissions.Keyed> sent = List.of();
    if (certs.isEmpty()) {
      AUDIT.warn(
          "Keylime event {}: agent {} holds no certificate this adapter knows; nothing submitted",
          n.eventId(),
          n.agentId());
    } else {
      AUDIT.info("Keylime event {}: agent {} holds {}", n.eventId(), n.agentId(), certs);
      List<Submission.Builder> requests = new ArrayList<>();
      for (String h : certs) {
        requests.add(Submissions.lifecycle(config.org(), op, Hex.decode(h), reason, null));
      }
      try {
        sent = sink.submit(requests);
      } catch (Exception e) {
        AUDIT.error(
            "Keylime event {}: could not submit {} request(s): {}", n.eventId(), op, e.toString());
        return Outcome.problem(
            503, "Ledger unavailable", "could not submit the requests: " + e.getMessage());
      }
    }
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
    try {
      seen.decided(key);
    } catch (IOException e) {
      AUDIT.error(
          "Keylime event {} (key {}): {} request(s) submitted but the decision was not recorded: {}",
          n.eventId(),
          key,
          done.size(),
          e.getMessage());
      return Outcome.problem(
          500,
          "Decision not recorded",
          done.size()
              + " request(s) submitted, but the event could not be recorded as decided ("
              + e.getMessage()
              + "); after a restart a redelivery would submit them again");
    }
    AUDIT.info("Keylime event {} (key {}): decided and recorded", n.eventId(), key);
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
    KeylimeSettings.run(args);
  }
}
