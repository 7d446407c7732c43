package org.ledgerpki.core.policy;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.policy.TrustPolicy.KeyReuse;
import org.ledgerpki.core.policy.TrustPolicy.LogIdentity;
import org.ledgerpki.core.policy.TrustPolicy.Member;

/**
 * The checks a {@link PolicyDocument} must pass to become a {@link TrustPolicy}: each field's
 * syntax (member ids, PLMNs, domains, keys and vkeys, durations), each member's role requirements,
 * and the rules across fields (distinct ids, organisations, trust anchors and domains; quorums
 * within the number of members holding the role; fresh checkpoints between heartbeats; PLMNs for
 * the 3GPP profile); {@link MemberChecks} checks the members. The first broken rule is a {@link
 * PolicyException} naming the field, with the expected and found values. See docs/trust-policy.md.
 */
final class TrustPolicyCheck {

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

    Map<String, Member> byId = MemberChecks.checkAll(c, d.members(), log);
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
}
