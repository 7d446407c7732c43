package org.ledgerpki.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.Role;

/**
 * A consortium generated in one place (for {@code ledgerpki keygen consortium}, the demo and the
 * integration tests): the log's keys, every member's keys with every role, and the policy.
 */
public record GeneratedConsortium(LogKeys log, List<MemberKeys> members, PolicyDocument document) {

  /**
   * Generates keys and a policy. Each member gets the submitter, validator and cosigner roles, the
   * organisation {@link #displayName}, and a cosigner trust anchor ID under the CA's arc.
   */
  public static GeneratedConsortium generate(
      String name,
      List<String> ids,
      String caId,
      int k,
      int m,
      String profile,
      String checkpointInterval,
      String landmarkInterval) {
    LogKeys log = LogKeys.generate(caId, 1);
    List<MemberKeys> members = new ArrayList<>();
    int anchor = 2;
    String caArc = caId.contains(".") ? caId.substring(0, caId.lastIndexOf('.')) : caId;
    for (String id : ids) {
      members.add(
          MemberKeys.generate(
              id,
              displayName(id),
              displayName(id),
              List.of("001-" + String.format(Locale.ROOT, "%02d", anchor)),
              Set.of(Role.SUBMITTER, Role.VALIDATOR, Role.COSIGNER),
              caArc + "." + anchor++));
    }
    PolicyDocument doc =
        new PolicyDocument(
            PolicyDocument.FORMAT,
            1L,
            name,
            profile,
            log.toDocument(),
            new PolicyDocument.Quorum(k, m),
            new PolicyDocument.Checkpoints(checkpointInterval, 5000),
            new PolicyDocument.Landmarks(landmarkInterval, 169),
            new PolicyDocument.Validity("825d", "5m"),
            List.of(
                "ed25519",
                "ecdsa-p256",
                "ecdsa-p384",
                "rsa",
                "ml-dsa-44",
                "ml-dsa-65",
                "ml-dsa-87"),
            members.stream()
                .map(mk -> mk.toDocument().withDomains(List.of(domain(mk.id()))))
                .toList());
    return new GeneratedConsortium(log, members, doc);
  }

  /**
   * The DNS domain a generated member's certificates may name in subjectAltName: {@code
   * <id>.example} (RFC 2606), e.g. {@code amf-1.vendor-a.example}.
   */
  public static String domain(String id) {
    return id + ".example";
  }

  /** "operator-b" → "Operator B". */
  public static String displayName(String id) {
    StringBuilder sb = new StringBuilder();
    for (String part : id.split("-")) {
      if (!part.isEmpty()) {
        sb.append(sb.isEmpty() ? "" : " ")
            .append(Character.toUpperCase(part.charAt(0)))
            .append(part.substring(1));
      }
    }
    return sb.toString();
  }
}
