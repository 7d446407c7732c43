package org.ledgerpki.core.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
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
 *  "maxAgeSeconds":s}
 * </pre>
 *
 * {@code maxAgeSeconds} is the freshness bound of the trust policy ({@code checkpoints.maxAge}): a
 * checkpoint is fresh only while at least {@code cosignerQuorum} trusted cosigners' {@code
 * cosignature/v1} timestamps on it are no older than that.
 *
 * <p>A cosigner may appear once per key (Ed25519 {@code cosignature/v1}, ML-DSA-44 {@code
 * subtree/v1}) under the same name; the quorum counts distinct names. Relying parties configure
 * this out of band.
 */
public record TrustBundle(
    List<Log> logs, List<Cosigner> cosigners, int cosignerQuorum, long maxAgeSeconds) {

  /** A log's checkpoint origin and its C2SP vkey. */
  public record Log(String origin, String vkey) {}

  /** A cosigner's key name and one of its C2SP vkeys. */
  public record Cosigner(String name, String vkey) {}

  public TrustBundle {
    logs = logs == null ? List.of() : List.copyOf(logs);
    cosigners = cosigners == null ? List.of() : List.copyOf(cosigners);
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** The bundle a consortium's policy implies. */
  public static TrustBundle fromPolicy(TrustPolicy policy) {
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
        logs, cosigners, policy.cosignerQuorum(), policy.checkpointMaxAge().toSeconds());
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
    }
    if (b.cosignerQuorum() < 1 || b.cosignerQuorum() > names.size()) {
      throw new MalformedInputException(
          "trust bundle: cosignerQuorum "
              + b.cosignerQuorum()
              + " must be between 1 and the "
              + names.size()
              + " distinct cosigners");
    }
    if (b.maxAgeSeconds() < 1) {
      throw new MalformedInputException(
          "trust bundle: maxAgeSeconds (the freshness bound, the policy's checkpoints.maxAge) must"
              + " be a positive number of seconds, found "
              + b.maxAgeSeconds());
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
