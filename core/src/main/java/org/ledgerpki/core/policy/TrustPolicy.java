package org.ledgerpki.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CryptoException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;

/**
 * The consortium's trust policy, checked: its members with their roles and keys, the log's identity
 * and keys, the quorums, the cadences and the certificate profile. Every service loads it at
 * start-up; {@link #parse} rejects a bad policy with a {@link PolicyException} naming the field.
 * See docs/trust-policy.md.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustPolicy {
  private static final Pattern MEMBER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Duration DEFAULT_REQUEST_WINDOW = Duration.ofHours(1);
  private static final Pattern PLMN = Pattern.compile("(\\d{3})-(\\d{2,3})");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

  private final PolicyDocument document;
  private final byte[] documentBytes;
  private final byte[] sha256;
  private final int governanceQuorum;
  private final long serial;
  private final String consortium;
  private final ProfileId profile;
  private final LogIdentity log;
  private final int endorsementQuorum;
  private final int cosignerQuorum;
  private final Duration checkpointInterval;
  private final Duration checkpointHeartbeat;
  private final Duration checkpointMaxAge;
  static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
  static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(2);
  private final int checkpointMaxBatch;
  private final Duration landmarkInterval;
  private final int maxActiveLandmarks;
  private final Duration maxLifetime;
  private final Duration clockSkew;
  private final int nonOwnerQuorum;
  private final Duration requestWindow;
  private final KeyReuse keyReuseAfterRevocation;
  private final Set<SignatureAlgorithm> algorithms;
  private final Map<String, Member> members;

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

  private TrustPolicy(PolicyDocument d, byte[] bytes, String source) throws PolicyException {
    Checker c = new Checker(source);
    this.document = d;
    this.documentBytes = bytes.clone();
    this.sha256 = Sha256.hash(documentBytes);
    c.require(
        PolicyDocument.FORMAT.equals(d.format()),
        "format",
        "must be '" + PolicyDocument.FORMAT + "', found '" + d.format() + "'");
    this.serial = c.notNull(d.serial(), "serial");
    c.require(serial >= 1, "serial", "must be at least 1, found " + serial);
    this.consortium = c.notBlank(d.consortium(), "consortium");
    this.profile = parseProfile(c, d.profile());
    this.log = parseLog(c, c.notNull(d.log(), "log"));
    this.algorithms = parseAlgorithms(c, d.algorithms());

    List<PolicyDocument.MemberDoc> memberDocs = c.notNull(d.members(), "members");
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
    this.members = Map.copyOf(byId);

    PolicyDocument.Quorum q = c.notNull(d.quorum(), "quorum");
    long validators = byId.values().stream().filter(m -> m.has(Role.VALIDATOR)).count();
    long cosigners = byId.values().stream().filter(m -> m.has(Role.COSIGNER)).count();
    this.endorsementQuorum = c.notNull(q.endorsements(), "quorum.endorsements");
    c.require(
        endorsementQuorum >= 1 && endorsementQuorum <= validators,
        "quorum.endorsements",
        "must be between 1 and the number of validators ("
            + validators
            + "), found "
            + endorsementQuorum);
    this.cosignerQuorum = c.notNull(q.cosignatures(), "quorum.cosignatures");
    c.require(
        cosignerQuorum >= 1 && cosignerQuorum <= cosigners,
        "quorum.cosignatures",
        "must be between 1 and the number of cosigners ("
            + cosigners
            + "), found "
            + cosignerQuorum);

    PolicyDocument.Checkpoints cp = c.notNull(d.checkpoints(), "checkpoints");
    this.checkpointInterval = c.duration(cp.interval(), "checkpoints.interval");
    this.checkpointMaxBatch = c.notNull(cp.maxBatch(), "checkpoints.maxBatch");
    c.require(
        checkpointMaxBatch >= 1,
        "checkpoints.maxBatch",
        "must be at least 1, found " + checkpointMaxBatch);
    this.checkpointHeartbeat =
        cp.heartbeat() == null
            ? DEFAULT_HEARTBEAT
            : c.duration(cp.heartbeat(), "checkpoints.heartbeat");
    this.checkpointMaxAge =
        cp.maxAge() == null ? DEFAULT_MAX_AGE : c.duration(cp.maxAge(), "checkpoints.maxAge");
    c.require(
        checkpointMaxAge.getSeconds() >= 2 * Math.max(1, checkpointHeartbeat.toSeconds()),
        "checkpoints.maxAge",
        "must be at least twice checkpoints.heartbeat ("
            + checkpointHeartbeat
            + ") and at least 2s, so that answers stay fresh between heartbeats; found "
            + checkpointMaxAge);
    PolicyDocument.Landmarks lm = c.notNull(d.landmarks(), "landmarks");
    this.landmarkInterval = c.duration(lm.interval(), "landmarks.interval");
    this.maxActiveLandmarks = c.notNull(lm.maxActive(), "landmarks.maxActive");
    c.require(
        maxActiveLandmarks >= 1,
        "landmarks.maxActive",
        "must be at least 1, found " + maxActiveLandmarks);
    PolicyDocument.Validity v = c.notNull(d.validity(), "validity");
    this.maxLifetime = c.duration(v.maxLifetime(), "validity.maxLifetime");
    this.clockSkew = c.duration(v.clockSkew(), "validity.clockSkew");
    long submitters = byId.values().stream().filter(m -> m.has(Role.SUBMITTER)).count();
    PolicyDocument.Lifecycle lc = d.lifecycle();
    Integer nonOwner = lc == null ? null : lc.nonOwnerQuorum();
    this.nonOwnerQuorum = nonOwner != null ? nonOwner : (int) Math.min(2, submitters);
    c.require(
        nonOwnerQuorum >= 1 && nonOwnerQuorum <= submitters,
        "lifecycle.nonOwnerQuorum",
        "must be between 1 and the number of submitters ("
            + submitters
            + "), found "
            + nonOwnerQuorum);
    String window = lc == null ? null : lc.requestWindow();
    this.requestWindow =
        window == null ? DEFAULT_REQUEST_WINDOW : c.duration(window, "lifecycle.requestWindow");
    String reuse = lc == null ? null : lc.keyReuseAfterRevocation();
    if (reuse == null) {
      this.keyReuseAfterRevocation = KeyReuse.OWNER;
    } else {
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
      this.keyReuseAfterRevocation = found;
    }
    PolicyDocument.Governance g = d.governance();
    Integer governance = g == null ? null : g.quorum();
    this.governanceQuorum = governance != null ? governance : defaultGovernanceQuorum(byId.size());
    c.require(
        governanceQuorum >= 1 && governanceQuorum <= byId.size(),
        "governance.quorum",
        "must be between 1 and the number of members ("
            + byId.size()
            + "), found "
            + governanceQuorum);
    if (profile == ProfileId.TS_33_310) {
      for (Member m : byId.values()) {
        if (m.has(Role.SUBMITTER)) {
          c.require(
              !m.plmns().isEmpty(),
              "members[" + m.id() + "].plmns",
              "the 3gpp-ts-33.310 profile needs each submitter's PLMNs (MCC-MNC, e.g. 001-01)");
        }
      }
    }
  }

  /**
   * The default governance quorum for {@code members} members: two thirds, rounded up ({@code
   * ceil(2 * members / 3)}).
   */
  public static int defaultGovernanceQuorum(int members) {
    return (2 * members + 2) / 3;
  }

  /**
   * Parses and checks a policy. Its {@linkplain #documentBytes() document bytes} are {@code text}
   * in UTF-8.
   *
   * @param text YAML or JSON
   * @param source a name for messages, e.g. the file path
   */
  public static TrustPolicy parse(String text, String source) throws PolicyException {
    return parse(text, text.getBytes(StandardCharsets.UTF_8), source);
  }

  /**
   * Parses and checks a policy from its exact bytes (as carried on the ledger), which {@link
   * #documentBytes()} gives back and {@link #sha256()} hashes.
   *
   * @param bytes YAML or JSON in UTF-8; malformed UTF-8 is refused
   * @param source a name for messages
   */
  public static TrustPolicy parse(byte[] bytes, String source) throws PolicyException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new PolicyException(source + ": the policy document is not valid UTF-8", e);
    }
    return parse(text, bytes, source);
  }

  private static TrustPolicy parse(String text, byte[] bytes, String source)
      throws PolicyException {
    PolicyDocument d;
    try {
      d = mapper().readValue(text, PolicyDocument.class);
    } catch (UnrecognizedPropertyException e) {
      throw new PolicyException(
          source + ": " + path(e) + ": unknown field '" + e.getPropertyName() + "'", e);
    } catch (JsonMappingException e) {
      throw new PolicyException(source + ": " + path(e) + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new PolicyException(source + ": not valid YAML or JSON: " + e.getOriginalMessage(), e);
    }
    if (d == null) {
      throw new PolicyException(source + ": the policy is empty");
    }
    return new TrustPolicy(d, bytes, source);
  }

  /**
   * Checks a policy document built in code (for example by {@code ledgerpki keygen}). Its
   * {@linkplain #documentBytes() document bytes} are {@link #toYaml(PolicyDocument)} in UTF-8, the
   * file {@code keygen} writes.
   */
  public static TrustPolicy of(PolicyDocument document, String source) throws PolicyException {
    return new TrustPolicy(document, toYaml(document).getBytes(StandardCharsets.UTF_8), source);
  }

  /** Writes a policy document as YAML. */
  public static String toYaml(PolicyDocument document) {
    try {
      return mapper().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write policy", e);
    }
  }

  private static ObjectMapper mapper() {
    YAMLFactory yaml =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    return new ObjectMapper(yaml)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "(top)" : sb.toString();
  }

  private static ProfileId parseProfile(Checker c, String name) throws PolicyException {
    c.notBlank(name, "profile");
    for (ProfileId p : ProfileId.values()) {
      if (p.configName().equals(name)) {
        return p;
      }
    }
    throw c.fail("profile", "unknown profile '" + name + "'; expected one of seed, 3gpp-ts-33.310");
  }

  private static LogIdentity parseLog(Checker c, PolicyDocument.Log l) throws PolicyException {
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
    KeyRef key = c.vkey(l.key(), "log.key", NoteKeys.TYPE_ED25519);
    c.require(
        key.name().equals(origin),
        "log.key",
        "key name must be the log origin '" + origin + "', found '" + key.name() + "'");
    PublicKey mldsa = null;
    if (l.mldsaKey() != null) {
      KeyRef mk = c.vkey(l.mldsaKey(), "log.mldsaKey", NoteKeys.TYPE_SUBTREE_V1);
      c.require(
          mk.name().equals(origin),
          "log.mldsaKey",
          "key name must be the log origin '" + origin + "', found '" + mk.name() + "'");
      mldsa = mk.publicKey();
    }
    return new LogIdentity(caId, number, origin, l.key(), key.publicKey(), l.mldsaKey(), mldsa);
  }

  private static Set<SignatureAlgorithm> parseAlgorithms(Checker c, List<String> names)
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
                + java.util.Arrays.stream(SignatureAlgorithm.values())
                    .map(SignatureAlgorithm::configName)
                    .collect(Collectors.joining(", ")));
      }
    }
    c.require(!out.isEmpty(), "algorithms", "must allow at least one algorithm");
    return out;
  }

  private static Member parseMember(Checker c, String at, PolicyDocument.MemberDoc m)
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
      KeyRef ed = c.vkey(cd.ed25519(), at + ".cosigner.ed25519", NoteKeys.TYPE_COSIGNATURE_V1);
      c.require(
          ed.name().equals(keyName),
          at + ".cosigner.ed25519",
          "key name must be '" + keyName + "', found '" + ed.name() + "'");
      PublicKey mldsa = null;
      if (cd.mldsa44() != null) {
        KeyRef mk = c.vkey(cd.mldsa44(), at + ".cosigner.mldsa44", NoteKeys.TYPE_SUBTREE_V1);
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
    return checkpointInterval;
  }

  public int checkpointMaxBatch() {
    return checkpointMaxBatch;
  }

  /**
   * How often the log re-issues its checkpoint when nothing changed, so that cosigners re-cosign it
   * with a fresh timestamp ({@code checkpoints.heartbeat}; default 30s).
   */
  public Duration checkpointHeartbeat() {
    return checkpointHeartbeat;
  }

  /**
   * The oldest a checkpoint's cosignature timestamps may be for a relying party to take it as fresh
   * ({@code checkpoints.maxAge}; default 2m): it bounds how long a lying inquiry node can replay an
   * answer from before a revocation. Carried in the trust bundle.
   */
  public Duration checkpointMaxAge() {
    return checkpointMaxAge;
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
    return nonOwnerQuorum;
  }

  /**
   * How long a non-owner's endorsed lifecycle request waits for the other requests of its quorum
   * before it is rejected ({@code lifecycle.requestWindow}; default 1h).
   */
  public Duration requestWindow() {
    return requestWindow;
  }

  /**
   * Who may admit a new certificate for the key of an entry revoked for a reason other than
   * keyCompromise ({@code lifecycle.keyReuseAfterRevocation}; default {@link KeyReuse#OWNER}).
   */
  public KeyReuse keyReuseAfterRevocation() {
    return keyReuseAfterRevocation;
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
    return members.values().stream().sorted(java.util.Comparator.comparing(Member::id)).toList();
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

  /** A parsed vkey and the public key it carries. */
  private record KeyRef(String name, PublicKey publicKey) {}

  /** Collects the source name and builds field-naming messages. */
  private record Checker(String source) {
    PolicyException fail(String field, String message) {
      return new PolicyException(source + ": " + field + ": " + message);
    }

    void require(boolean ok, String field, String message) throws PolicyException {
      if (!ok) {
        throw fail(field, message);
      }
    }

    <T> T notNull(T value, String field) throws PolicyException {
      if (value == null) {
        throw fail(field, "is missing");
      }
      return value;
    }

    String notBlank(String value, String field) throws PolicyException {
      if (value == null || value.isBlank()) {
        throw fail(field, "is missing");
      }
      return value;
    }

    Duration duration(String text, String field) throws PolicyException {
      notBlank(text, field);
      try {
        Duration d = Durations.parse(text);
        require(!d.isNegative() && !d.isZero(), field, "must be positive, found " + text);
        return d;
      } catch (IllegalArgumentException e) {
        throw fail(field, e.getMessage());
      }
    }

    List<PublicKey> keys(List<String> encoded, String field) throws PolicyException {
      if (encoded == null) {
        return List.of();
      }
      List<PublicKey> out = new ArrayList<>();
      for (int i = 0; i < encoded.size(); i++) {
        String e = encoded.get(i);
        try {
          out.add(Keys.publicKeyFromSpki(Base64.getMimeDecoder().decode(e.trim())));
        } catch (IllegalArgumentException | MalformedInputException | CryptoException ex) {
          throw fail(
              field + "[" + i + "]",
              "not a base64 SubjectPublicKeyInfo of a supported key: " + ex.getMessage());
        }
      }
      return List.copyOf(out);
    }

    KeyRef vkey(String text, String field, byte type) throws PolicyException {
      notBlank(text, field);
      Vkey k;
      try {
        k = Vkey.parse(text);
      } catch (MalformedInputException e) {
        throw fail(field, "not a C2SP vkey: " + e.getMessage());
      }
      require(
          k.type() == type,
          field,
          String.format("expected a vkey of signature type 0x%02x, found 0x%02x", type, k.type()));
      try {
        PublicKey key =
            type == NoteKeys.TYPE_SUBTREE_V1
                ? Keys.mlDsaFromRaw(SignatureAlgorithm.ML_DSA_44, k.publicKey())
                : Keys.ed25519FromRaw(k.publicKey());
        return new KeyRef(k.name(), key);
      } catch (IllegalArgumentException | CryptoException e) {
        throw fail(field, "the vkey does not hold a valid key: " + e.getMessage());
      }
    }
  }
}
