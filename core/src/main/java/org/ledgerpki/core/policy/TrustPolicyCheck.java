package org.ledgerpki.core.policy;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.policy.TrustPolicy.CosignerIdentity;
import org.ledgerpki.core.policy.TrustPolicy.KeyReuse;
import org.ledgerpki.core.policy.TrustPolicy.LogIdentity;
import org.ledgerpki.core.policy.TrustPolicy.Member;

/**
 * The checks a {@link PolicyDocument} must pass to become a {@link TrustPolicy}: each field's
 * syntax (member ids, PLMNs, domains, keys and vkeys, durations), each member's role requirements,
 * and the rules across fields (distinct ids, organisations, trust anchors and domains; quorums
 * within the number of members holding the role; fresh checkpoints between heartbeats; PLMNs for
 * the 3GPP profile). The first broken rule is a {@link PolicyException} naming the field, with the
 * expected and found values. See docs/trust-policy.md.
 */
final class TrustPolicyCheck {
  private static final Pattern MEMBER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern PLMN = Pattern.compile("(\\d{3})-(\\d{2,3})");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

  private TrustPolicyCheck() {}

  /**
   * Checks a policy document and builds the policy it describes.
   *
   * @param d the document as read
   * @param bytes the exact bytes it was read from (the policy hash is over these)
   * @param source a name for messages, e.g. the file path
   * @throws PolicyException "source: field: message" for the first rule the document breaks
   */
  static TrustPolicy check(PolicyDocument d, byte[] bytes, String source) throws PolicyException {
    FieldChecks c = new FieldChecks(source);
    c.require(
        PolicyDocument.FORMAT.equals(d.format()),
        "format",
        "must be '" + PolicyDocument.FORMAT + "', found '" + d.format() + "'");
    long serial = c.notNull(d.serial(), "serial");
    c.require(serial >= 1, "serial", "must be at least 1, found " + serial);
    String consortium = c.notBlank(d.consortium(), "consortium");
    ProfileId profile = parseProfile(c, d.profile());
    LogIdentity log = parseLog(c, c.notNull(d.log(), "log"));
    Set<SignatureAlgorithm> algorithms = parseAlgorithms(c, d.algorithms());

    Map<String, Member> byId = checkMembers(c, d.members(), log);
    Quorums quorums = checkQuorums(c, d.quorum(), byId.values());
    TrustPolicy.Checkpoints checkpoints = checkCheckpoints(c, d.checkpoints());
    PolicyDocument.Landmarks lm = c.notNull(d.landmarks(), "landmarks");
    Duration landmarkInterval = c.duration(lm.interval(), "landmarks.interval");
    int maxActiveLandmarks = c.notNull(lm.maxActive(), "landmarks.maxActive");
    c.require(
        maxActiveLandmarks >= 1,
        "landmarks.maxActive",
        "must be at least 1, found " + maxActiveLandmarks);
    PolicyDocument.Validity v = c.notNull(d.validity(), "validity");
    Duration maxLifetime = c.duration(v.maxLifetime(), "validity.maxLifetime");
    Duration clockSkew = c.duration(v.clockSkew(), "validity.clockSkew");
    TrustPolicy.Lifecycle lifecycle = checkLifecycle(c, d.lifecycle(), byId.values());
    PolicyDocument.Governance g = d.governance();
    Integer governance = g == null ? null : g.quorum();
    int governanceQuorum =
        governance != null ? governance : TrustPolicy.defaultGovernanceQuorum(byId.size());
    c.require(
        governanceQuorum >= 1 && governanceQuorum <= byId.size(),
        "governance.quorum",
        "must be between 1 and the number of members ("
            + byId.size()
            + "), found "
            + governanceQuorum);
    checkProfileNeeds(c, profile, byId.values());
    return new TrustPolicy(
        d,
        bytes,
        serial,
        consortium,
        profile,
        log,
        algorithms,
        byId,
        quorums.endorsements(),
        quorums.cosignatures(),
        checkpoints,
        landmarkInterval,
        maxActiveLandmarks,
        maxLifetime,
        clockSkew,
        lifecycle,
        governanceQuorum);
  }

  /**
   * Checks each member, then the rules across members: distinct ids and organisations, trust anchor
   * IDs distinct from each other and from the log's CA, and no domain within another member's
   * domain.
   *
   * @return the members by id, in document order
   */
  private static Map<String, Member> checkMembers(
      FieldChecks c, List<PolicyDocument.MemberDoc> docs, LogIdentity log) throws PolicyException {
    List<PolicyDocument.MemberDoc> memberDocs = c.notNull(docs, "members");
    c.require(!memberDocs.isEmpty(), "members", "must name at least one member");
    Map<String, Member> byId = new LinkedHashMap<>();
    Set<String> organizations = new HashSet<>();
    Set<String> anchors = new HashSet<>();
    anchors.add(log.caId());
    Map<String, String> domainOwners = new LinkedHashMap<>();
    for (int i = 0; i < memberDocs.size(); i++) {
      Member m = parseMember(c, "members[" + i + "]", memberDocs.get(i));
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

  /** The checked quorums: k endorsements and m cosignatures. */
  private record Quorums(int endorsements, int cosignatures) {}

  /** k and m, each between 1 and the number of members holding the role. */
  private static Quorums checkQuorums(
      FieldChecks c, PolicyDocument.Quorum quorum, Collection<Member> members)
      throws PolicyException {
    PolicyDocument.Quorum q = c.notNull(quorum, "quorum");
    long validators = members.stream().filter(m -> m.has(Role.VALIDATOR)).count();
    long cosigners = members.stream().filter(m -> m.has(Role.COSIGNER)).count();
    int endorsementQuorum = c.notNull(q.endorsements(), "quorum.endorsements");
    c.require(
        endorsementQuorum >= 1 && endorsementQuorum <= validators,
        "quorum.endorsements",
        "must be between 1 and the number of validators ("
            + validators
            + "), found "
            + endorsementQuorum);
    int cosignerQuorum = c.notNull(q.cosignatures(), "quorum.cosignatures");
    c.require(
        cosignerQuorum >= 1 && cosignerQuorum <= cosigners,
        "quorum.cosignatures",
        "must be between 1 and the number of cosigners ("
            + cosigners
            + "), found "
            + cosignerQuorum);

    return new Quorums(endorsementQuorum, cosignerQuorum);
  }

  /**
   * The checkpoint cadence, and freshness: {@code maxAge} at least twice the heartbeat (defaults
   * applied), so that answers stay fresh between heartbeats.
   */
  private static TrustPolicy.Checkpoints checkCheckpoints(
      FieldChecks c, PolicyDocument.Checkpoints checkpoints) throws PolicyException {
    PolicyDocument.Checkpoints cp = c.notNull(checkpoints, "checkpoints");
    Duration checkpointInterval = c.duration(cp.interval(), "checkpoints.interval");
    int checkpointMaxBatch = c.notNull(cp.maxBatch(), "checkpoints.maxBatch");
    c.require(
        checkpointMaxBatch >= 1,
        "checkpoints.maxBatch",
        "must be at least 1, found " + checkpointMaxBatch);
    Duration checkpointHeartbeat =
        cp.heartbeat() == null
            ? TrustPolicy.DEFAULT_HEARTBEAT
            : c.duration(cp.heartbeat(), "checkpoints.heartbeat");
    Duration checkpointMaxAge =
        cp.maxAge() == null
            ? TrustPolicy.DEFAULT_MAX_AGE
            : c.duration(cp.maxAge(), "checkpoints.maxAge");
    c.require(
        checkpointMaxAge.getSeconds() >= 2 * Math.max(1, checkpointHeartbeat.toSeconds()),
        "checkpoints.maxAge",
        "must be at least twice checkpoints.heartbeat ("
            + checkpointHeartbeat
            + ") and at least 2s, so that answers stay fresh between heartbeats; found "
            + checkpointMaxAge);
    return new TrustPolicy.Checkpoints(
        checkpointInterval, checkpointMaxBatch, checkpointHeartbeat, checkpointMaxAge);
  }

  /**
   * The lifecycle block (optional, with defaults): the non-owner quorum between 1 and the number of
   * submitters, the request window, and who may reuse a revoked key.
   */
  private static TrustPolicy.Lifecycle checkLifecycle(
      FieldChecks c, PolicyDocument.Lifecycle lc, Collection<Member> members)
      throws PolicyException {
    long submitters = members.stream().filter(m -> m.has(Role.SUBMITTER)).count();
    Integer nonOwner = lc == null ? null : lc.nonOwnerQuorum();
    int nonOwnerQuorum = nonOwner != null ? nonOwner : (int) Math.min(2, submitters);
    c.require(
        nonOwnerQuorum >= 1 && nonOwnerQuorum <= submitters,
        "lifecycle.nonOwnerQuorum",
        "must be between 1 and the number of submitters ("
            + submitters
            + "), found "
            + nonOwnerQuorum);
    String window = lc == null ? null : lc.requestWindow();
    Duration requestWindow =
        window == null
            ? TrustPolicy.DEFAULT_REQUEST_WINDOW
            : c.duration(window, "lifecycle.requestWindow");
    String reuse = lc == null ? null : lc.keyReuseAfterRevocation();
    KeyReuse keyReuseAfterRevocation = KeyReuse.OWNER;
    if (reuse != null) {
      KeyReuse found = null;
      for (KeyReuse r : KeyReuse.values()) {
        if (r.configName().equals(reuse)) {
          found = r;
        }
      }
      if (found == null) {
        throw c.fail(
            "lifecycle.keyReuseAfterRevocation", "expected owner or never, found '" + reuse + "'");
      }
      keyReuseAfterRevocation = found;
    }
    return new TrustPolicy.Lifecycle(nonOwnerQuorum, requestWindow, keyReuseAfterRevocation);
  }

  /** What a profile needs of the members: the 3GPP profile needs each submitter's PLMNs. */
  private static void checkProfileNeeds(
      FieldChecks c, ProfileId profile, Collection<Member> members) throws PolicyException {
    if (profile == ProfileId.TS_33_310) {
      for (Member m : members) {
        if (m.has(Role.SUBMITTER)) {
          c.require(
              !m.plmns().isEmpty(),
              "members[" + m.id() + "].plmns",
              "the 3gpp-ts-33.310 profile needs each submitter's PLMNs (MCC-MNC, e.g. 001-01)");
        }
      }
    }
  }

  private static ProfileId parseProfile(FieldChecks c, String name) throws PolicyException {
    c.notBlank(name, "profile");
    for (ProfileId p : ProfileId.values()) {
      if (p.configName().equals(name)) {
        return p;
      }
    }
    throw c.fail("profile", "unknown profile '" + name + "'; expected one of seed, 3gpp-ts-33.310");
  }

  private static LogIdentity parseLog(FieldChecks c, PolicyDocument.Log l) throws PolicyException {
    String caId = c.notBlank(l.caId(), "log.caId");
    c.require(
        TrustAnchorId.isValid(caId),
        "log.caId",
        "not a trust anchor ID (dotted decimal like 32473.1): '" + caId + "'");
    int number = c.notNull(l.number(), "log.number");
    c.require(
        number >= 1 && number <= 65535,
        "log.number",
        "must be between 1 and 65535, found " + number);
    String origin = TrustAnchorId.logOrigin(caId, number);
    FieldChecks.KeyRef key = c.vkey(l.key(), "log.key", NoteKeys.TYPE_ED25519);
    c.require(
        key.name().equals(origin),
        "log.key",
        "key name must be the log origin '" + origin + "', found '" + key.name() + "'");
    PublicKey mldsa = null;
    if (l.mldsaKey() != null) {
      FieldChecks.KeyRef mk = c.vkey(l.mldsaKey(), "log.mldsaKey", NoteKeys.TYPE_SUBTREE_V1);
      c.require(
          mk.name().equals(origin),
          "log.mldsaKey",
          "key name must be the log origin '" + origin + "', found '" + mk.name() + "'");
      mldsa = mk.publicKey();
    }
    return new LogIdentity(caId, number, origin, l.key(), key.publicKey(), l.mldsaKey(), mldsa);
  }

  private static Set<SignatureAlgorithm> parseAlgorithms(FieldChecks c, List<String> names)
      throws PolicyException {
    c.notNull(names, "algorithms");
    Set<SignatureAlgorithm> out = EnumSet.noneOf(SignatureAlgorithm.class);
    for (int i = 0; i < names.size(); i++) {
      try {
        out.add(SignatureAlgorithm.fromName(names.get(i)));
      } catch (IllegalArgumentException e) {
        throw c.fail(
            "algorithms[" + i + "]",
            "unknown algorithm '"
                + names.get(i)
                + "'; expected one of "
                + Arrays.stream(SignatureAlgorithm.values())
                    .map(SignatureAlgorithm::configName)
                    .collect(Collectors.joining(", ")));
      }
    }
    c.require(!out.isEmpty(), "algorithms", "must allow at least one algorithm");
    return out;
  }

  private static Member parseMember(FieldChecks c, String at, PolicyDocument.MemberDoc m)
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
