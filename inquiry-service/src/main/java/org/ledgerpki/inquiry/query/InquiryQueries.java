package org.ledgerpki.inquiry.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.inquiry.InquiryNode;
import org.ledgerpki.inquiry.index.CertKey;
import org.ledgerpki.inquiry.index.CheckpointView;
import org.ledgerpki.inquiry.index.LandmarkView;
import org.ledgerpki.inquiry.index.LogState;
import org.ledgerpki.inquiry.index.PolicyView;
import org.ledgerpki.schemas.inquiry.RevocationList;

/**
 * The inquiry node's lookups, answered from the in-memory index: a hash-map lookup plus O(log n)
 * proof hashing, with no Kafka or disk I/O. Each returns a sealed result that the REST layer maps
 * to HTTP. Until the node has caught up with the ledger, every lookup answers "not ready".
 */
@ApplicationScoped
public class InquiryQueries {
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private final InquiryNode node;
  private final Clock clock;

  @Inject
  public InquiryQueries(InquiryNode node) {
    this(node, Clock.systemUTC());
  }

  InquiryQueries(InquiryNode node, Clock clock) {
    this.node = node;
    this.clock = clock;
  }

  // --- status --------------------------------------------------------------------------------

  /** The status of the certificate whose SHA-256 is {@code hex} (64 hex characters). */
  public StatusResult status(String hex) {
    return status(hex, AnswerForm.JSON);
  }

  /** As {@link #status(String)}, in the form the client asked for. */
  public StatusResult status(String hex, AnswerForm form) {
    if (!node.state().caughtUp()) {
      return notReadyStatus();
    }
    return switch (CertificateInput.hash(hex)) {
      case CertificateInput.Parsed.Key k -> status(k.key(), null, form);
      case CertificateInput.Parsed.Bad b -> new StatusResult.Invalid(b.fault());
    };
  }

  /** The status of the certificate in {@code body} (PEM or DER, as {@code contentType} says). */
  public StatusResult status(byte[] body, String contentType) {
    return status(body, contentType, AnswerForm.JSON);
  }

  /** As {@link #status(byte[], String)}, in the form the client asked for. */
  public StatusResult status(byte[] body, String contentType, AnswerForm form) {
    if (!node.state().caughtUp()) {
      return notReadyStatus();
    }
    return switch (CertificateInput.body(body, contentType)) {
      case CertificateInput.Parsed.Key k -> status(k.key(), k.der(), form);
      case CertificateInput.Parsed.Bad b -> new StatusResult.Invalid(b.fault());
    };
  }

  /** The answer about {@code key} (and {@code der}, if the query carried it), as of now. */
  private StatusResult status(CertKey key, byte[] der, AnswerForm form) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return StatusAnswers.answer(
        node.index(), key, der, now, node.config().inquiry().nextUpdate(), form);
  }

  private StatusResult notReadyStatus() {
    return new StatusResult.NotReady(node.config().inquiry().retryAfter(), node.state().phase());
  }

  private <T> Lookup<T> notReady() {
    return new Lookup.NotReady<>(node.config().inquiry().retryAfter(), node.state().phase());
  }

  // --- certificates --------------------------------------------------------------------------

  /** The DER of the submitted certificate whose SHA-256 is {@code hex}, if it is in a log. */
  public Lookup<byte[]> certificate(String hex) {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    return switch (CertificateInput.hash(hex)) {
      case CertificateInput.Parsed.Bad b -> new Lookup.Invalid<>(b.fault());
      case CertificateInput.Parsed.Key k ->
          node.index()
              .locate(k.key())
              .<Lookup<byte[]>>map(l -> new Lookup.Found<>(l.certificate()))
              .orElseGet(
                  () ->
                      new Lookup.NotFound<>(
                          "no certificate with SHA-256 " + k.key().hex() + " is in a log"));
    };
  }

  /**
   * The MTC certificate of the entry of the certificate whose SHA-256 is {@code hex}: the landmark
   * form once an active cosigned landmark covers its index, else the standalone form with the
   * ML-DSA-44 cosignatures of the covering subtree of the checkpoint that first covered it.
   */
  public Lookup<MtcIssued> mtcCertificate(String hex) {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    return switch (CertificateInput.hash(hex)) {
      case CertificateInput.Parsed.Bad b -> new Lookup.Invalid<>(b.fault());
      case CertificateInput.Parsed.Key k ->
          MtcAssembly.certificate(node.index(), k.key(), node.policy().maxActiveLandmarks());
    };
  }

  /** The COSIGNED landmarks of a log with their subtrees, hashes and cosignatures. */
  public Lookup<List<LandmarkView>> landmarkSubtrees(String origin) {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    String o = origin(origin);
    return new Lookup.Found<>(
        List.copyOf(
            node.index()
                .log(o)
                .map(LogState::landmarks)
                .orElse(new java.util.TreeMap<>())
                .values()));
  }

  /**
   * The revoked and suspended entries of a log as MTC serial ranges, for relying parties of MTC
   * certificates (draft, "Revoked Ranges"), with the cosigned checkpoint whose status map they come
   * from.
   */
  public Lookup<RevocationList> revocations(String origin) {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    String o = origin(origin);
    Optional<LogState> log = node.index().log(o);
    if (log.isEmpty() || log.get().latestCheckpoint() == null) {
      return new Lookup.NotFound<>("log " + o + " has no cosigned checkpoint yet");
    }
    LogState l = log.get();
    CheckpointView cp = l.latestCheckpoint();
    List<RevocationList.Entry> entries = new ArrayList<>();
    for (StatusEvent e : l.statusEvents()) {
      if (e.state() == CertificateState.GOOD) {
        continue;
      }
      java.util.OptionalLong at = node.index().indexIn(o, CertKey.of(e.certificateSha256()));
      if (at.isEmpty()) {
        continue;
      }
      long index = at.getAsLong();
      entries.add(
          new RevocationList.Entry(
              index,
              java.math.BigInteger.valueOf(MtcCertificate.serial(l.logNumber(), index)),
              org.ledgerpki.core.Hex.encode(e.certificateSha256()),
              e.state().name(),
              e.reasonCode() == null ? null : Lifecycle.reasonName(e.reasonCode()),
              e.sequence(),
              Instant.ofEpochMilli(e.effectiveAtMillis()).toString()));
    }
    entries.sort(java.util.Comparator.comparingLong(RevocationList.Entry::index));
    return new Lookup.Found<>(
        new RevocationList(
            o,
            l.logNumber(),
            cp.size(),
            cp.status().count(),
            cp.note(),
            RevocationList.ranges(entries),
            entries));
  }

  // --- checkpoints and proofs ----------------------------------------------------------------

  /** The latest cosigned checkpoint of the log {@code origin}, or of the policy's log if null. */
  public Lookup<CheckpointView> checkpoint(String origin) {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    String o = origin(origin);
    CheckpointView cp = node.index().log(o).map(LogState::latestCheckpoint).orElse(null);
    return cp == null
        ? new Lookup.NotFound<>("log " + o + " has no cosigned checkpoint yet")
        : new Lookup.Found<>(cp);
  }

  /**
   * The RFC 9162 consistency proof between tree sizes {@code from} and {@code to} of the log {@code
   * origin} (the policy's log if null). Requires {@code 1 <= from <= to <=} the latest cosigned
   * size.
   */
  public Lookup<ConsistencyProof> consistency(String from, String to, String origin) {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    Long f = size("from", from);
    Long t = size("to", to);
    if (f == null || t == null) {
      return new Lookup.Invalid<>(
          Fault.badParameter(
              "'from' and 'to' must be decimal tree sizes, got from="
                  + quote(from)
                  + ", to="
                  + quote(to)));
    }
    String o = origin(origin);
    Optional<LogState> log = node.index().log(o);
    CheckpointView latest = log.map(LogState::latestCheckpoint).orElse(null);
    long limit = latest == null ? 0 : latest.size();
    if (f < 1 || f > t || t > limit) {
      return new Lookup.Invalid<>(
          Fault.badParameter(
              "requires 1 <= from <= to <= "
                  + limit
                  + " (the latest cosigned size of "
                  + o
                  + "), got from="
                  + f
                  + ", to="
                  + t));
    }
    List<String> proof = new ArrayList<>();
    for (byte[] h : log.get().consistencyProof(f, t)) {
      proof.add(B64.encodeToString(h));
    }
    return new Lookup.Found<>(new ConsistencyProof(f, t, proof));
  }

  private static Long size(String name, String value) {
    if (value == null
        || value.isEmpty()
        || value.length() > 19
        || !value.chars().allMatch(Character::isDigit)) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String quote(String s) {
    return s == null ? "(missing)" : "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
  }

  // --- landmarks and trust -------------------------------------------------------------------

  /** The landmark publication of the log {@code origin} (the policy's log if null). */
  public Lookup<String> landmarks(String origin) {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    String o = origin(origin);
    return new Lookup.Found<>(
        LandmarkPublication.write(
            node.index().log(o).map(LogState::landmarks).orElse(new java.util.TreeMap<>()),
            node.policy().maxActiveLandmarks()));
  }

  /** The trust bundle of the newest policy of the verified chain, as JSON. */
  public Lookup<String> trust() {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    return new Lookup.Found<>(node.newestBundle().toJson());
  }

  // --- policy chain --------------------------------------------------------------------------

  /** The newest policy of the verified chain (the genesis policy until a change verified). */
  public Lookup<PolicyView> newestPolicy() {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    return new Lookup.Found<>(node.policies().newest());
  }

  /**
   * The policy of serial {@code serial} (decimal) in the verified chain.
   *
   * @return {@link Lookup.Invalid} if {@code serial} is not a positive decimal number, {@link
   *     Lookup.NotFound} if the chain holds no policy of that serial
   */
  public Lookup<PolicyView> policy(String serial) {
    if (!node.state().caughtUp()) {
      return notReady();
    }
    Long s = size("serial", serial);
    if (s == null || s < 1) {
      return new Lookup.Invalid<>(
          Fault.malformedSerial(
              "a policy serial must be a positive decimal number, got " + quote(serial)));
    }
    PolicyView newest = node.policies().newest();
    return node.policies()
        .get(s)
        .<Lookup<PolicyView>>map(Lookup.Found::new)
        .orElseGet(
            () ->
                new Lookup.NotFound<>(
                    "no policy of serial "
                        + s
                        + " in the chain this node verified: it holds serials "
                        + node.policies().first().serial()
                        + " to "
                        + newest.serial()));
  }

  private String origin(String origin) {
    return origin == null || origin.isBlank() ? node.policy().log().origin() : origin;
  }
}
