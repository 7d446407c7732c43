package org.ledgerpki.cli;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * What changed from one trust policy to the next, in words a member or a relying party reads before
 * approving a change or after following one: members added and removed, keys rotated, roles, PLMNs
 * and domains changed, and the quorums (k, m, the lifecycle and governance quorums), the freshness
 * bound and the other settings. Presentation only; whether a change is allowed is decided in core
 * ({@code PolicyChain}).
 */
final class PolicyDiff {
  private PolicyDiff() {}

  /**
   * The differences, one line each, most important first; empty if the two policies say the same (a
   * change of serial alone is not listed).
   */
  static List<String> lines(TrustPolicy before, TrustPolicy after) {
    List<String> out = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>();
    before.members().forEach(m -> ids.add(m.id()));
    after.members().forEach(m -> ids.add(m.id()));
    for (String id : ids) {
      TrustPolicy.Member b = before.member(id).orElse(null);
      TrustPolicy.Member a = after.member(id).orElse(null);
      if (b == null) {
        out.add("member added: " + id + " (" + describe(a) + ")");
      } else if (a == null) {
        out.add("member removed: " + id + " (" + describe(b) + ")");
      } else {
        memberChanges(b, a, out);
      }
    }
    setting(out, "k (endorsement quorum)", before, after, TrustPolicy::endorsementQuorum);
    setting(out, "m (cosignature quorum)", before, after, TrustPolicy::cosignerQuorum);
    setting(out, "lifecycle.nonOwnerQuorum", before, after, TrustPolicy::nonOwnerQuorum);
    setting(out, "lifecycle.requestWindow", before, after, TrustPolicy::requestWindow);
    setting(
        out, "lifecycle.keyReuseAfterRevocation", before, after, p -> p.keyReuseAfterRevocation());
    setting(out, "checkpoints.maxAge", before, after, TrustPolicy::checkpointMaxAge);
    setting(out, "checkpoints.interval", before, after, TrustPolicy::checkpointInterval);
    setting(out, "checkpoints.heartbeat", before, after, TrustPolicy::checkpointHeartbeat);
    setting(out, "checkpoints.maxBatch", before, after, TrustPolicy::checkpointMaxBatch);
    setting(out, "landmarks.interval", before, after, TrustPolicy::landmarkInterval);
    setting(out, "landmarks.maxActive", before, after, TrustPolicy::maxActiveLandmarks);
    setting(out, "validity.maxLifetime", before, after, TrustPolicy::maxLifetime);
    setting(out, "validity.clockSkew", before, after, TrustPolicy::clockSkew);
    setting(out, "profile", before, after, p -> p.profile().configName());
    setting(out, "algorithms", before, after, p -> new TreeSet<>(p.algorithms()));
    setting(out, "log", before, after, p -> p.log().origin());
    setting(out, "log key", before, after, p -> p.log().vkey());
    return out;
  }

  private static void memberChanges(TrustPolicy.Member b, TrustPolicy.Member a, List<String> out) {
    String id = b.id();
    if (!b.roles().equals(a.roles())) {
      out.add("member " + id + ": roles " + roles(b) + " -> " + roles(a));
    }
    if (!keys(b.submissionKeys()).equals(keys(a.submissionKeys()))) {
      out.add(
          "member "
              + id
              + ": submission keys rotated"
              + count(b.submissionKeys(), a.submissionKeys()));
    }
    if (!keys(b.endorsementKeys()).equals(keys(a.endorsementKeys()))) {
      out.add(
          "member "
              + id
              + ": endorsement keys rotated"
              + count(b.endorsementKeys(), a.endorsementKeys()));
    }
    TrustPolicy.CosignerIdentity cb = b.cosigner();
    TrustPolicy.CosignerIdentity ca = a.cosigner();
    if (cb != null && ca != null) {
      if (!cb.trustAnchorId().equals(ca.trustAnchorId())) {
        out.add(
            "member "
                + id
                + ": cosigner trust anchor ID "
                + cb.trustAnchorId()
                + " -> "
                + ca.trustAnchorId());
      }
      if (!cb.ed25519Vkey().equals(ca.ed25519Vkey())) {
        out.add("member " + id + ": cosigner Ed25519 key rotated");
      }
      if (!Objects.equals(cb.mldsa44Vkey(), ca.mldsa44Vkey())) {
        out.add("member " + id + ": cosigner ML-DSA-44 key rotated");
      }
    }
    if (!Objects.equals(b.organization(), a.organization())) {
      out.add("member " + id + ": organization " + b.organization() + " -> " + a.organization());
    }
    if (!b.plmns().equals(a.plmns())) {
      out.add("member " + id + ": PLMNs " + b.plmns() + " -> " + a.plmns());
    }
    if (!b.domains().equals(a.domains())) {
      out.add("member " + id + ": domains " + b.domains() + " -> " + a.domains());
    }
    if (!Objects.equals(b.name(), a.name())) {
      out.add("member " + id + ": name '" + b.name() + "' -> '" + a.name() + "'");
    }
  }

  private static <T> void setting(
      List<String> out,
      String name,
      TrustPolicy before,
      TrustPolicy after,
      Function<TrustPolicy, T> get) {
    T b = get.apply(before);
    T a = get.apply(after);
    if (!Objects.equals(b, a)) {
      out.add(name + ": " + b + " -> " + a);
    }
  }

  private static String describe(TrustPolicy.Member m) {
    return roles(m)
        + (m.organization() == null ? "" : ", organization '" + m.organization() + "'")
        + (m.plmns().isEmpty() ? "" : ", PLMNs " + m.plmns());
  }

  private static String roles(TrustPolicy.Member m) {
    List<String> r = new ArrayList<>();
    for (Role role : Role.values()) {
      if (m.has(role)) {
        r.add(role.name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return String.join(", ", r);
  }

  private static String count(List<PublicKey> before, List<PublicKey> after) {
    return " (" + before.size() + " key(s) -> " + after.size() + ")";
  }

  private static List<String> keys(List<PublicKey> keys) {
    return keys.stream().map(k -> Arrays.toString(k.getEncoded())).sorted().toList();
  }
}
