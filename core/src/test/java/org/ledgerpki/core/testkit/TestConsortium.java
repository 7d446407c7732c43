package org.ledgerpki.core.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;

/**
 * A throwaway consortium for tests: three members ({@code vendor-a}, {@code operator-b}, {@code
 * operator-c}) with every role and the domain {@code <id>.example}, a log of CA {@code 32473.1}, k
 * = 2 and m = 2, the seed profile. Keys are generated once per JVM. {@link #outsider()} has keys
 * but is not in the policy.
 */
public final class TestConsortium {
  public static final String CA_ID = "32473.1";
  public static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");

  private static TestConsortium instance;

  private final LogKeys log;
  private final List<MemberKeys> members;
  private final MemberKeys outsider;

  private TestConsortium() {
    this.log = LogKeys.generate(CA_ID, 1);
    List<MemberKeys> m = new ArrayList<>();
    for (int i = 0; i < IDS.size(); i++) {
      m.add(member(IDS.get(i), "32473." + (2 + i)));
    }
    this.members = List.copyOf(m);
    this.outsider = member("mallory", "32473.99");
  }

  private static MemberKeys member(String id, String anchor) {
    return MemberKeys.generate(
        id,
        id.toUpperCase(java.util.Locale.ROOT),
        organization(id),
        List.of("001-0" + (id.length() % 10)),
        Set.of(Role.SUBMITTER, Role.VALIDATOR, Role.COSIGNER),
        anchor);
  }

  /** The subject O of member {@code id}'s certificates. */
  public static String organization(String id) {
    return "Org " + id;
  }

  /** The DNS domain of member {@code id} in the policy: {@code <id>.example}. */
  public static String domain(String id) {
    return id + ".example";
  }

  /** The shared instance (keys generated on first use). */
  public static synchronized TestConsortium get() {
    if (instance == null) {
      instance = new TestConsortium();
    }
    return instance;
  }

  public LogKeys log() {
    return log;
  }

  public List<MemberKeys> members() {
    return members;
  }

  public MemberKeys member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }

  public MemberKeys outsider() {
    return outsider;
  }

  /** The policy document with quorums k and m and the given profile name. */
  public PolicyDocument document(int k, int m, String profile) {
    return new PolicyDocument(
        PolicyDocument.FORMAT,
        1L,
        "test-consortium",
        profile,
        log.toDocument(),
        new PolicyDocument.Quorum(k, m),
        new PolicyDocument.Checkpoints("200ms", 1000),
        new PolicyDocument.Landmarks("2s", 16),
        new PolicyDocument.Validity("825d", "5m"),
        List.of(
            "ed25519", "ecdsa-p256", "ecdsa-p384", "rsa", "ml-dsa-44", "ml-dsa-65", "ml-dsa-87"),
        members.stream().map(mk -> mk.toDocument().withDomains(List.of(domain(mk.id())))).toList());
  }

  /** The checked policy: k = 2, m = 2, seed profile. */
  public TrustPolicy policy() {
    return policy(2, 2, "seed");
  }

  public TrustPolicy policy(int k, int m, String profile) {
    try {
      return TrustPolicyReader.of(document(k, m, profile), "test-policy");
    } catch (PolicyException e) {
      throw new IllegalStateException(e);
    }
  }
}
