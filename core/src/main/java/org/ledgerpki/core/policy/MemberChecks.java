package org.ledgerpki.core.policy;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.policy.TrustPolicy.CosignerIdentity;
import org.ledgerpki.core.policy.TrustPolicy.LogIdentity;
import org.ledgerpki.core.policy.TrustPolicy.Member;

/**
 * The members' part of {@link TrustPolicyCheck}: each member's id, roles, PLMNs, domains and keys,
 * what its roles need (a submitter's organisation and submission key, a validator's endorsement
 * key, a cosigner's identity), and the rules across members.
 */
final class MemberChecks {
  private static final Pattern MEMBER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern PLMN = Pattern.compile("(\\d{3})-(\\d{2,3})");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

  private MemberChecks() {}

  /**
   * Checks each member, then the rules across members: distinct ids and organisations, trust anchor
   * IDs distinct from each other and from the log's CA, and no domain within another member's
   * domain.
   *
   * @return the members by id, in document order
   */
  static Map<String, Member> checkAll(
      FieldChecks c, List<PolicyDocument.MemberDoc> docs, LogIdentity log) throws PolicyException {
    List<PolicyDocument.MemberDoc> memberDocs = c.notNull(docs, "members");
    c.require(!memberDocs.isEmpty(), "members", "must name at least one member");
    Map<String, Member> byId = new LinkedHashMap<>();
    Set<String> organizations = new HashSet<>();
    Set<String> anchors = new HashSet<>();
    anchors.add(log.caId());
    Map<String, String> domainOwners = new LinkedHashMap<>();
    for (int i = 0; i < memberDocs.size(); i++) {
      Member m = check(c, "members[" + i + "]", memberDocs.get(i));
      c.require(
          byId.putIfAbsent(m.id(), m) == null,
          "members[" + i + "].id",
          "duplicate member id '" + m.id() + "'");
      if (m.organization() != null) {
        c.require(
            organizations.add(m.organization()),
            "members[" + i + "].organization",
            "organization '" + m.organization() + "' belongs to two members");
      }
      for (int j = 0; j < m.domains().size(); j++) {
        String dom = m.domains().get(j);
        for (Map.Entry<String, String> other : domainOwners.entrySet()) {
          String o = other.getKey();
          c.require(
              !(dom.equals(o) || dom.endsWith("." + o) || o.endsWith("." + dom)),
              "members[" + i + "].domains[" + j + "]",
              "domain '"
                  + dom
                  + "' overlaps domain '"
                  + o
                  + "' of member '"
                  + other.getValue()
                  + "': a name may belong to one member only");
        }
      }
      m.domains().forEach(x -> domainOwners.put(x, m.id()));
      if (m.cosigner() != null) {
        c.require(
            anchors.add(m.cosigner().trustAnchorId()),
            "members[" + i + "].cosigner.trustAnchorId",
            "trust anchor ID "
                + m.cosigner().trustAnchorId()
                + " is already used by the log's CA or another cosigner");
      }
    }

    return byId;
  }

  /** Checks member {@code m} at path {@code at} (such as {@code members[2]}) and its role needs. */
  private static Member check(FieldChecks c, String at, PolicyDocument.MemberDoc m)
      throws PolicyException {
    String id = c.notBlank(m.id(), at + ".id");
    c.require(
        MEMBER_ID.matcher(id).matches(),
        at + ".id",
        "must be lowercase letters, digits and '-', found '" + id + "'");
    String name = m.name() == null ? id : m.name();
    List<String> roleNames = c.notNull(m.roles(), at + ".roles");
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (int i = 0; i < roleNames.size(); i++) {
      String r = roleNames.get(i);
      try {
        roles.add(Role.valueOf(r.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw c.fail(
            at + ".roles[" + i + "]",
            "unknown role '" + r + "'; expected submitter, validator or cosigner");
      }
    }
    c.require(!roles.isEmpty(), at + ".roles", "a member needs at least one role");
    List<String> plmns = m.plmns() == null ? List.of() : List.copyOf(m.plmns());
    for (int i = 0; i < plmns.size(); i++) {
      c.require(
          PLMN.matcher(plmns.get(i)).matches(),
          at + ".plmns[" + i + "]",
          "must be MCC-MNC such as 001-01, found '" + plmns.get(i) + "'");
    }
    List<String> domains = new ArrayList<>();
    List<String> domainDocs = m.domains() == null ? List.of() : m.domains();
    for (int i = 0; i < domainDocs.size(); i++) {
      String d = domainDocs.get(i);
      c.require(
          d != null && DOMAIN.matcher(d).matches(),
          at + ".domains[" + i + "]",
          "must be a lowercase DNS domain of at least two labels such as vendor-a.example, found '"
              + d
              + "'");
      c.require(
          !domains.contains(d), at + ".domains[" + i + "]", "domain '" + d + "' is listed twice");
      domains.add(d);
    }
    List<PublicKey> submission = c.keys(m.submissionKeys(), at + ".submissionKeys");
    List<PublicKey> endorsement = c.keys(m.endorsementKeys(), at + ".endorsementKeys");
    if (roles.contains(Role.SUBMITTER)) {
      c.require(
          m.organization() != null && !m.organization().isBlank(),
          at + ".organization",
          "a submitter needs the organization (subject O) its certificates carry");
      c.require(
          !submission.isEmpty(),
          at + ".submissionKeys",
          "a submitter needs at least one submission key");
    }
    if (roles.contains(Role.VALIDATOR)) {
      c.require(
          !endorsement.isEmpty(),
          at + ".endorsementKeys",
          "a validator needs at least one endorsement key");
    }
    CosignerIdentity cosigner = null;
    if (roles.contains(Role.COSIGNER)) {
      PolicyDocument.CosignerDoc cd = c.notNull(m.cosigner(), at + ".cosigner");
      String anchor = c.notBlank(cd.trustAnchorId(), at + ".cosigner.trustAnchorId");
      c.require(
          TrustAnchorId.isValid(anchor),
          at + ".cosigner.trustAnchorId",
          "not a trust anchor ID (dotted decimal like 32473.3): '" + anchor + "'");
      String keyName = TrustAnchorId.keyName(anchor);
      FieldChecks.KeyRef ed =
          c.vkey(cd.ed25519(), at + ".cosigner.ed25519", NoteKeys.TYPE_COSIGNATURE_V1);
      c.require(
          ed.name().equals(keyName),
          at + ".cosigner.ed25519",
          "key name must be '" + keyName + "', found '" + ed.name() + "'");
      PublicKey mldsa = null;
      if (cd.mldsa44() != null) {
        FieldChecks.KeyRef mk =
            c.vkey(cd.mldsa44(), at + ".cosigner.mldsa44", NoteKeys.TYPE_SUBTREE_V1);
        c.require(
            mk.name().equals(keyName),
            at + ".cosigner.mldsa44",
            "key name must be '" + keyName + "', found '" + mk.name() + "'");
        mldsa = mk.publicKey();
      }
      cosigner =
          new CosignerIdentity(anchor, keyName, cd.ed25519(), ed.publicKey(), cd.mldsa44(), mldsa);
    } else {
      c.require(
          m.cosigner() == null,
          at + ".cosigner",
          "only members with the cosigner role have a cosigner block");
    }
    return new Member(
        id,
        name,
        m.organization(),
        plmns,
        List.copyOf(domains),
        Set.copyOf(roles),
        submission,
        endorsement,
        cosigner);
  }
}
