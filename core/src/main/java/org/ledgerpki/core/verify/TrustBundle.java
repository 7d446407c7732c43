package org.ledgerpki.core.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * What a relying party (a network function) trusts: the logs' checkpoint keys, the cosigners' keys
 * and how many distinct cosigners a checkpoint needs. JSON shape (the inquiry API's {@code
 * /v1/trust} and the demo's {@code trust.json}):
 *
 * <pre>{"logs":[{"origin":…,"vkey":…}], "cosigners":[{"name":…,"vkey":…}], "cosignerQuorum":m,
 *  "maxAgeSeconds":s, "policySerial":n, "policySha256":"hex", "statusCosignatures":"ed25519"}
 * </pre>
 *
 * {@code maxAgeSeconds} is the freshness bound of the trust policy ({@code checkpoints.maxAge}): a
 * checkpoint is fresh only while at least {@code cosignerQuorum} trusted cosigners' {@code
 * cosignature/v1} timestamps on it are no older than that.
 *
 * <p>{@code policySerial} and {@code policySha256} name the trust policy the bundle was derived
 * from: its serial and the SHA-256 (lowercase hex) of its document bytes (docs/governance.md). A
 * relying party's bundle is only as new as that policy; {@code ledgerpki trust update} follows the
 * consortium's policy changes from it. A bundle written before governance carries neither: its
 * serial is unknown ({@link #policySerial()} is null). One without the other is refused.
 *
 * <p>{@code statusCosignatures} is what signs a status claim for this relying party (ADR 0010):
 * {@value #STATUS_ED25519} (the default, also when absent) requires the quorum of fresh Ed25519
 * {@code cosignature/v1} lines; {@value #STATUS_ED25519_ML_DSA_44} requires as well a quorum (the
 * same {@code cosignerQuorum}) of distinct cosigners' fresh ML-DSA-44 status cosignatures over the
 * whole checkpoint body, made with the cosigners' {@code subtree/v1} keys. Answers leave those out;
 * such a relying party verifies the full note of {@code /v1/checkpoint} and holds it ({@link
 * HeldCheckpoints}). The setting is the relying party's, not the consortium's policy: a bundle
 * derived from a policy has none.
 *
 * <p>A cosigner may appear once per key (Ed25519 {@code cosignature/v1}, ML-DSA-44 {@code
 * subtree/v1}) under the same name; the quorum counts distinct names. Relying parties configure
 * this out of band.
 */
public record TrustBundle(
    List<Log> logs,
    List<Cosigner> cosigners,
    int cosignerQuorum,
    long maxAgeSeconds,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long policySerial,
    @JsonInclude(JsonInclude.Include.NON_NULL) String policySha256,
    @JsonInclude(JsonInclude.Include.NON_NULL) String statusCosignatures) {

  /** {@code statusCosignatures}: status claims need the Ed25519 {@code cosignature/v1} quorum. */
  public static final String STATUS_ED25519 = "ed25519";

  /**
   * {@code statusCosignatures}: status claims need the Ed25519 quorum and a quorum of ML-DSA-44
   * status cosignatures.
   */
  public static final String STATUS_ED25519_ML_DSA_44 = "ed25519+ml-dsa-44";

  /** A log's checkpoint origin and its C2SP vkey. */
  public record Log(String origin, String vkey) {}

  /** A cosigner's key name and one of its C2SP vkeys. */
  public record Cosigner(String name, String vkey) {}

  public TrustBundle {
    logs = logs == null ? List.of() : List.copyOf(logs);
    cosigners = cosigners == null ? List.of() : List.copyOf(cosigners);
  }

  /** A bundle that names no policy (serial unknown). */
  public TrustBundle(
      List<Log> logs, List<Cosigner> cosigners, int cosignerQuorum, long maxAgeSeconds) {
    this(logs, cosigners, cosignerQuorum, maxAgeSeconds, null, null);
  }

  /** A bundle with the default {@code statusCosignatures} ({@value #STATUS_ED25519}). */
  public TrustBundle(
      List<Log> logs,
      List<Cosigner> cosigners,
      int cosignerQuorum,
      long maxAgeSeconds,
      Long policySerial,
      String policySha256) {
    this(logs, cosigners, cosignerQuorum, maxAgeSeconds, policySerial, policySha256, null);
  }

  /**
   * Whether status claims need a quorum of ML-DSA-44 status cosignatures as well ({@code
   * statusCosignatures} is {@value #STATUS_ED25519_ML_DSA_44}).
   */
  public boolean requiresMlDsaStatusCosignatures() {
    return STATUS_ED25519_ML_DSA_44.equals(statusCosignatures);
  }

  /**
   * The same bundle with {@code statusCosignatures} set to {@code setting} ({@value
   * #STATUS_ED25519}, {@value #STATUS_ED25519_ML_DSA_44}, or null for the default).
   */
  public TrustBundle withStatusCosignatures(String setting) {
    return new TrustBundle(
        logs, cosigners, cosignerQuorum, maxAgeSeconds, policySerial, policySha256, setting);
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The bundle a consortium's policy implies, naming that policy by its serial and its hash
   * (SHA-256 of the document bytes it was parsed from, {@link TrustPolicy#sha256()}): the one
   * derivation of a bundle from a policy, used by {@code ledgerpki keygen consortium}, {@code
   * ledgerpki trust update} and the inquiry node's {@code /v1/trust}.
   */
  public static TrustBundle fromPolicy(TrustPolicy policy) {
    return derive(policy, Hex.encode(policy.sha256()));
  }

  private static TrustBundle derive(TrustPolicy policy, String sha256Hex) {
    List<Log> logs = new ArrayList<>();
    logs.add(new Log(policy.log().origin(), policy.log().vkey()));
    if (policy.log().mldsaVkey() != null) {
      logs.add(new Log(policy.log().origin(), policy.log().mldsaVkey()));
    }
    List<Cosigner> cosigners = new ArrayList<>();
    for (TrustPolicy.Member m : policy.members(Role.COSIGNER)) {
      cosigners.add(new Cosigner(m.cosigner().name(), m.cosigner().ed25519Vkey()));
      if (m.cosigner().mldsa44Vkey() != null) {
        cosigners.add(new Cosigner(m.cosigner().name(), m.cosigner().mldsa44Vkey()));
      }
    }
    return new TrustBundle(
        logs,
        cosigners,
        policy.cosignerQuorum(),
        policy.checkpointMaxAge().toSeconds(),
        policy.serial(),
        sha256Hex);
  }

  /**
   * Whether this bundle trusts the same keys, quorum and freshness bound as {@code other}, whatever
   * policy each names: the trust a relying party acts on.
   */
  public boolean sameTrust(TrustBundle other) {
    return new java.util.HashSet<>(logs).equals(new java.util.HashSet<>(other.logs))
        && new java.util.HashSet<>(cosigners).equals(new java.util.HashSet<>(other.cosigners))
        && cosignerQuorum == other.cosignerQuorum
        && maxAgeSeconds == other.maxAgeSeconds
        && requiresMlDsaStatusCosignatures() == other.requiresMlDsaStatusCosignatures();
  }

  /** The same bundle naming another policy, with the same {@code statusCosignatures}. */
  public TrustBundle withPolicy(Long serial, String sha256Hex) {
    return new TrustBundle(
        logs, cosigners, cosignerQuorum, maxAgeSeconds, serial, sha256Hex, statusCosignatures);
  }

  /** Parses and checks a bundle: vkeys parse, names match, the quorum is reachable. */
  public static TrustBundle parse(String json) throws MalformedInputException {
    TrustBundle b;
    try {
      b = JSON.readValue(json, TrustBundle.class);
    } catch (JsonProcessingException e) {
      throw new MalformedInputException(
          "trust bundle: not the expected JSON: " + e.getOriginalMessage(), e);
    }
    if (b == null || b.logs().isEmpty()) {
      throw new MalformedInputException("trust bundle: no logs");
    }
    for (int i = 0; i < b.logs().size(); i++) {
      Log l = b.logs().get(i);
      Vkey k = vkey(l.vkey(), "logs[" + i + "].vkey");
      if (!k.name().equals(l.origin())) {
        throw new MalformedInputException(
            "trust bundle: logs["
                + i
                + "]: vkey name '"
                + k.name()
                + "' is not the origin '"
                + l.origin()
                + "'");
      }
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    java.util.Set<String> mlDsaNames = new java.util.TreeSet<>();
    for (int i = 0; i < b.cosigners().size(); i++) {
      Cosigner c = b.cosigners().get(i);
      Vkey k = vkey(c.vkey(), "cosigners[" + i + "].vkey");
      if (!k.name().equals(c.name())) {
        throw new MalformedInputException(
            "trust bundle: cosigners["
                + i
                + "]: vkey name '"
                + k.name()
                + "' is not '"
                + c.name()
                + "'");
      }
      if (k.type() != NoteKeys.TYPE_COSIGNATURE_V1 && k.type() != NoteKeys.TYPE_SUBTREE_V1) {
        throw new MalformedInputException(
            "trust bundle: cosigners[" + i + "]: not a cosignature vkey (type " + k.type() + ")");
      }
      names.add(c.name());
      if (k.type() == NoteKeys.TYPE_SUBTREE_V1) {
        mlDsaNames.add(c.name());
      }
    }
    if (b.cosignerQuorum() < 1 || b.cosignerQuorum() > names.size()) {
      throw new MalformedInputException(
          "trust bundle: cosignerQuorum "
              + b.cosignerQuorum()
              + " must be between 1 and the "
              + names.size()
              + " distinct cosigners");
    }
    if (b.statusCosignatures() != null
        && !STATUS_ED25519.equals(b.statusCosignatures())
        && !STATUS_ED25519_ML_DSA_44.equals(b.statusCosignatures())) {
      throw new MalformedInputException(
          "trust bundle: statusCosignatures must be '"
              + STATUS_ED25519
              + "' or '"
              + STATUS_ED25519_ML_DSA_44
              + "', found '"
              + b.statusCosignatures()
              + "'");
    }
    if (b.requiresMlDsaStatusCosignatures() && mlDsaNames.size() < b.cosignerQuorum()) {
      throw new MalformedInputException(
          "trust bundle: statusCosignatures '"
              + STATUS_ED25519_ML_DSA_44
              + "' needs ML-DSA-44 (subtree/v1) vkeys of at least cosignerQuorum "
              + b.cosignerQuorum()
              + " distinct cosigners, found "
              + mlDsaNames.size()
              + " "
              + mlDsaNames);
    }
    if (b.maxAgeSeconds() < 1) {
      throw new MalformedInputException(
          "trust bundle: maxAgeSeconds (the freshness bound, the policy's checkpoints.maxAge) must"
              + " be a positive number of seconds, found "
              + b.maxAgeSeconds());
    }
    if (b.policySerial() != null && b.policySerial() < 1) {
      throw new MalformedInputException(
          "trust bundle: policySerial must be at least 1, found " + b.policySerial());
    }
    if (b.policySha256() != null && !b.policySha256().matches("[0-9a-f]{64}")) {
      throw new MalformedInputException(
          "trust bundle: policySha256 must be 64 lowercase hex characters (a SHA-256), found '"
              + b.policySha256()
              + "'");
    }
    if (b.policySha256() != null && b.policySerial() == null) {
      throw new MalformedInputException(
          "trust bundle: policySha256 is given without policySerial; a bundle names its policy by"
              + " both, or by neither (serial unknown)");
    }
    return b;
  }

  private static Vkey vkey(String text, String field) throws MalformedInputException {
    if (text == null) {
      throw new MalformedInputException("trust bundle: " + field + " is missing");
    }
    try {
      return Vkey.parse(text);
    } catch (MalformedInputException e) {
      throw new MalformedInputException("trust bundle: " + field + ": " + e.getMessage(), e);
    }
  }

  /** The bundle as JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
