package org.ledgerpki.core.policy;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;

/**
 * The consortium's trust policy, checked: its members with their roles and keys, the log's identity
 * and keys, the quorums, the cadences and the certificate profile. A value: {@link
 * TrustPolicyReader} reads it from YAML or JSON (every service loads it at start-up), and {@code
 * TrustPolicyCheck} is the only way to build one, so every instance passed the checks that reject a
 * bad policy with a {@link PolicyException} naming the field. See docs/trust-policy.md.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustPolicy {
  static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
  static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(2);
  static final Duration DEFAULT_REQUEST_WINDOW = Duration.ofHours(1);

  private final PolicyDocument document;
  private final byte[] documentBytes;
  private final byte[] sha256;
  private final long serial;
  private final String consortium;
  private final ProfileId profile;
  private final LogIdentity log;
  private final Set<SignatureAlgorithm> algorithms;
  private final Map<String, Member> members;
  private final int endorsementQuorum;
  private final int cosignerQuorum;
  private final Checkpoints checkpoints;
  private final Duration landmarkInterval;
  private final int maxActiveLandmarks;
  private final Duration maxLifetime;
  private final Duration clockSkew;
  private final Lifecycle lifecycle;
  private final int governanceQuorum;

  /** The issuance log: CA ID, log number, origin and checkpoint keys. */
  public record LogIdentity(
      String caId,
      int number,
      String origin,
      String vkey,
      PublicKey ed25519,
      String mldsaVkey,
      PublicKey mldsa44) {}

  /**
   * A member's cosigner: its trust anchor ID, key name ({@code oid/1.3.6.1.4.1.<id>}), and keys.
   * {@code mldsa44} is null if the member cosigns with Ed25519 only.
   */
  public record CosignerIdentity(
      String trustAnchorId,
      String name,
      String ed25519Vkey,
      PublicKey ed25519,
      String mldsa44Vkey,
      PublicKey mldsa44) {}

  /**
   * Who may admit a new certificate for the key of an entry revoked for a reason other than
   * keyCompromise ({@code lifecycle.keyReuseAfterRevocation}). A key revoked for keyCompromise is
   * refused to everyone, whatever this says.
   */
  public enum KeyReuse {
    /** Only the revoked entry's owner (the default). */
    OWNER,
    /** Nobody. */
    NEVER;

    /** The name in the policy file: {@code owner} or {@code never}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A member organisation. {@code cosigner} is null unless it has the cosigner role. {@code
   * domains} are the DNS domains its certificates may name in subjectAltName (lowercase, no
   * trailing dot; a name below a domain is within it).
   */
  public record Member(
      String id,
      String name,
      String organization,
      List<String> plmns,
      List<String> domains,
      Set<Role> roles,
      List<PublicKey> submissionKeys,
      List<PublicKey> endorsementKeys,
      CosignerIdentity cosigner) {

    public boolean has(Role role) {
      return roles.contains(role);
    }
  }

  /** The checked {@code checkpoints} block: cadence and freshness. */
  record Checkpoints(Duration interval, int maxBatch, Duration heartbeat, Duration maxAge) {}

  /** The checked {@code lifecycle} block, its defaults applied. */
  record Lifecycle(int nonOwnerQuorum, Duration requestWindow, KeyReuse keyReuseAfterRevocation) {}

  /** Only {@code TrustPolicyCheck} builds a policy, from values it has checked. */
  TrustPolicy(
      PolicyDocument document,
      byte[] documentBytes,
      long serial,
      String consortium,
      ProfileId profile,
      LogIdentity log,
      Set<SignatureAlgorithm> algorithms,
      Map<String, Member> members,
      int endorsementQuorum,
      int cosignerQuorum,
      Checkpoints checkpoints,
      Duration landmarkInterval,
      int maxActiveLandmarks,
      Duration maxLifetime,
      Duration clockSkew,
      Lifecycle lifecycle,
      int governanceQuorum) {
    this.document = document;
    this.documentBytes = documentBytes.clone();
    this.sha256 = Sha256.hash(this.documentBytes);
    this.serial = serial;
    this.consortium = consortium;
    this.profile = profile;
    this.log = log;
    this.algorithms = Collections.unmodifiableSet(EnumSet.copyOf(algorithms));
    this.members = Map.copyOf(members);
    this.endorsementQuorum = endorsementQuorum;
    this.cosignerQuorum = cosignerQuorum;
    this.checkpoints = checkpoints;
    this.landmarkInterval = landmarkInterval;
    this.maxActiveLandmarks = maxActiveLandmarks;
    this.maxLifetime = maxLifetime;
    this.clockSkew = clockSkew;
    this.lifecycle = lifecycle;
    this.governanceQuorum = governanceQuorum;
  }

  /**
   * The default governance quorum for {@code members} members: two thirds, rounded up ({@code
   * ceil(2 * members / 3)}).
   */
  public static int defaultGovernanceQuorum(int members) {
    return (2 * members + 2) / 3;
  }

  /** The document this policy was read from. */
  public PolicyDocument document() {
    return document;
  }

  /**
   * The exact bytes this policy was parsed from: the document as proposed and carried on the
   * ledger, or the policy file as configured. A copy.
   */
  public byte[] documentBytes() {
    return documentBytes.clone();
  }

  /** SHA-256 of {@link #documentBytes()}: the policy hash (docs/governance.md). A copy. */
  public byte[] sha256() {
    return sha256.clone();
  }

  /**
   * How many distinct members of this policy must approve its successor ({@code governance.quorum};
   * default {@link #defaultGovernanceQuorum}: two thirds of the members, rounded up).
   */
  public int governanceQuorum() {
    return governanceQuorum;
  }

  public long serial() {
    return serial;
  }

  public String consortium() {
    return consortium;
  }

  public ProfileId profile() {
    return profile;
  }

  public LogIdentity log() {
    return log;
  }

  /** k: distinct validator organisations whose endorsements admit a certificate. */
  public int endorsementQuorum() {
    return endorsementQuorum;
  }

  /** m: distinct cosigners a checkpoint needs. */
  public int cosignerQuorum() {
    return cosignerQuorum;
  }

  public Duration checkpointInterval() {
    return checkpoints.interval();
  }

  public int checkpointMaxBatch() {
    return checkpoints.maxBatch();
  }

  /**
   * How often the log re-issues its checkpoint when nothing changed, so that cosigners re-cosign it
   * with a fresh timestamp ({@code checkpoints.heartbeat}; default 30s).
   */
  public Duration checkpointHeartbeat() {
    return checkpoints.heartbeat();
  }

  /**
   * The oldest a checkpoint's cosignature timestamps may be for a relying party to take it as fresh
   * ({@code checkpoints.maxAge}; default 2m): it bounds how long a lying inquiry node can replay an
   * answer from before a revocation. Carried in the trust bundle.
   */
  public Duration checkpointMaxAge() {
    return checkpoints.maxAge();
  }

  public Duration landmarkInterval() {
    return landmarkInterval;
  }

  public int maxActiveLandmarks() {
    return maxActiveLandmarks;
  }

  /**
   * How many distinct members other than a certificate's owner must request the same lifecycle
   * operation on it before it is granted ({@code lifecycle.nonOwnerQuorum}; default 2, or 1 with a
   * single submitter).
   */
  public int nonOwnerQuorum() {
    return lifecycle.nonOwnerQuorum();
  }

  /**
   * How long a non-owner's endorsed lifecycle request waits for the other requests of its quorum
   * before it is rejected ({@code lifecycle.requestWindow}; default 1h).
   */
  public Duration requestWindow() {
    return lifecycle.requestWindow();
  }

  /**
   * Who may admit a new certificate for the key of an entry revoked for a reason other than
   * keyCompromise ({@code lifecycle.keyReuseAfterRevocation}; default {@link KeyReuse#OWNER}).
   */
  public KeyReuse keyReuseAfterRevocation() {
    return lifecycle.keyReuseAfterRevocation();
  }

  public Duration maxLifetime() {
    return maxLifetime;
  }

  public Duration clockSkew() {
    return clockSkew;
  }

  public Set<SignatureAlgorithm> algorithms() {
    return algorithms;
  }

  public Optional<Member> member(String id) {
    return Optional.ofNullable(members.get(id));
  }

  /** All members, in file order is not guaranteed; sorted by id. */
  public List<Member> members() {
    return members.values().stream().sorted(Comparator.comparing(Member::id)).toList();
  }

  /** Members with {@code role}, sorted by id. */
  public List<Member> members(Role role) {
    return members().stream().filter(m -> m.has(role)).toList();
  }

  /** Number of validator organisations, n in "k of n". */
  public int validatorCount() {
    return members(Role.VALIDATOR).size();
  }

  /** The member whose cosigner has key name {@code name}, if any. */
  public Optional<Member> cosignerByName(String name) {
    return members(Role.COSIGNER).stream()
        .filter(m -> m.cosigner().name().equals(name))
        .findFirst();
  }

  @Override
  public String toString() {
    return "TrustPolicy["
        + consortium
        + " serial "
        + serial
        + ", profile "
        + profile.configName()
        + ", log "
        + log.origin()
        + ", "
        + members.size()
        + " members, k="
        + endorsementQuorum
        + ", m="
        + cosignerQuorum
        + ", governance "
        + governanceQuorum
        + "]";
  }
}
