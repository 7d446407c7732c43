package org.ledgerpki.core.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The trust policy file as written: YAML or JSON, strings only. {@link TrustPolicyReader} reads it
 * and {@code TrustPolicyCheck} turns it into typed values. See docs/trust-policy.md for every
 * field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDocument(
    String format,
    Long serial,
    String consortium,
    String profile,
    Log log,
    Quorum quorum,
    Checkpoints checkpoints,
    Landmarks landmarks,
    Validity validity,
    List<String> algorithms,
    List<MemberDoc> members,
    Lifecycle lifecycle,
    Governance governance) {

  /**
   * The canonical constructor, the one the YAML reader uses; {@code lifecycle} and {@code
   * governance} may be null.
   */
  @JsonCreator
  public PolicyDocument {}

  /** A document without a {@code governance} block (its default quorum applies). */
  public PolicyDocument(
      String format,
      Long serial,
      String consortium,
      String profile,
      Log log,
      Quorum quorum,
      Checkpoints checkpoints,
      Landmarks landmarks,
      Validity validity,
      List<String> algorithms,
      List<MemberDoc> members,
      Lifecycle lifecycle) {
    this(
        format,
        serial,
        consortium,
        profile,
        log,
        quorum,
        checkpoints,
        landmarks,
        validity,
        algorithms,
        members,
        lifecycle,
        null);
  }

  /** A document without a {@code lifecycle} block (its defaults apply). */
  public PolicyDocument(
      String format,
      Long serial,
      String consortium,
      String profile,
      Log log,
      Quorum quorum,
      Checkpoints checkpoints,
      Landmarks landmarks,
      Validity validity,
      List<String> algorithms,
      List<MemberDoc> members) {
    this(
        format,
        serial,
        consortium,
        profile,
        log,
        quorum,
        checkpoints,
        landmarks,
        validity,
        algorithms,
        members,
        null,
        null);
  }

  /** This document with another {@code checkpoints} block. */
  public PolicyDocument withCheckpoints(Checkpoints c) {
    return new PolicyDocument(
        format,
        serial,
        consortium,
        profile,
        log,
        quorum,
        c,
        landmarks,
        validity,
        algorithms,
        members,
        lifecycle,
        governance);
  }

  /** This document with another serial (the next version of a policy is {@code serial + 1}). */
  public PolicyDocument withSerial(long s) {
    return new PolicyDocument(
        format,
        s,
        consortium,
        profile,
        log,
        quorum,
        checkpoints,
        landmarks,
        validity,
        algorithms,
        members,
        lifecycle,
        governance);
  }

  /** This document with another member list. */
  public PolicyDocument withMembers(List<MemberDoc> m) {
    return new PolicyDocument(
        format,
        serial,
        consortium,
        profile,
        log,
        quorum,
        checkpoints,
        landmarks,
        validity,
        algorithms,
        List.copyOf(m),
        lifecycle,
        governance);
  }

  /** This document with member {@code id} replaced by {@code edit} of it; the others unchanged. */
  public PolicyDocument withMember(String id, java.util.function.UnaryOperator<MemberDoc> edit) {
    return withMembers(members.stream().map(m -> m.id().equals(id) ? edit.apply(m) : m).toList());
  }

  /** This document with another {@code quorum} block. */
  public PolicyDocument withQuorum(Quorum q) {
    return new PolicyDocument(
        format,
        serial,
        consortium,
        profile,
        log,
        q,
        checkpoints,
        landmarks,
        validity,
        algorithms,
        members,
        lifecycle,
        governance);
  }

  /** This document with another {@code governance} block (null: the default quorum). */
  public PolicyDocument withGovernance(Governance g) {
    return new PolicyDocument(
        format,
        serial,
        consortium,
        profile,
        log,
        quorum,
        checkpoints,
        landmarks,
        validity,
        algorithms,
        members,
        lifecycle,
        g);
  }

  /**
   * This document as YAML: the policy file {@code ledgerpki keygen} writes, and the {@linkplain
   * TrustPolicy#documentBytes() document bytes} of {@link TrustPolicyReader#of}.
   */
  public String toYaml() {
    return TrustPolicyReader.toYaml(this);
  }

  /** The value of {@code format} this code reads. */
  public static final String FORMAT = "ledger-pki/trust-policy/v1";

  /** The issuance log: its CA ID, number and checkpoint keys (C2SP vkeys). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Log(String caId, Integer number, String key, String mldsaKey) {}

  /** Quorums: {@code endorsements} (k of the validators) and {@code cosignatures} (m). */
  public record Quorum(Integer endorsements, Integer cosignatures) {}

  /**
   * Checkpoint cadence: every {@code interval}, or sooner after {@code maxBatch} entries; in quiet
   * periods the log re-issues its checkpoint every {@code heartbeat} and cosigners re-cosign it; a
   * relying party accepts a checkpoint as fresh only while at least m cosigners' signed timestamps
   * are within {@code maxAge}. {@code heartbeat} and {@code maxAge} are optional.
   */
  public record Checkpoints(String interval, Integer maxBatch, String heartbeat, String maxAge) {
    /** Cadence only: the freshness defaults apply. */
    public Checkpoints(String interval, Integer maxBatch) {
      this(interval, maxBatch, null, null);
    }
  }

  /** Landmark cadence and how many stay active (the MTC draft's max_active_landmarks). */
  public record Landmarks(String interval, Integer maxActive) {}

  /**
   * Who may act on an admitted certificate (docs/status.md): a lifecycle request by a member other
   * than the certificate's owner is granted only once {@code nonOwnerQuorum} distinct non-owner
   * members asked for the same operation within {@code requestWindow}. {@code
   * keyReuseAfterRevocation} ({@code owner} or {@code never}) says who may admit a new certificate
   * for the key of an entry revoked for a reason other than keyCompromise. All fields are optional.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Lifecycle(
      Integer nonOwnerQuorum, String requestWindow, String keyReuseAfterRevocation) {

    /** The canonical constructor, the one the YAML reader uses. */
    @JsonCreator
    public Lifecycle {}

    /** A block without {@code keyReuseAfterRevocation} (its default applies). */
    public Lifecycle(Integer nonOwnerQuorum, String requestWindow) {
      this(nonOwnerQuorum, requestWindow, null);
    }
  }

  /**
   * How policy changes are approved (docs/governance.md): {@code quorum} distinct members of the
   * current policy must approve the next version. Optional; the default is two thirds of the
   * members, rounded up.
   */
  public record Governance(Integer quorum) {}

  /** The validity window the profile accepts: longest lifetime and the tolerated clock skew. */
  public record Validity(String maxLifetime, String clockSkew) {}

  /**
   * One member organisation. {@code domains} (optional) are the DNS domains its certificates may
   * name in subjectAltName (docs/trust-policy.md).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MemberDoc(
      String id,
      String name,
      String organization,
      List<String> plmns,
      List<String> domains,
      List<String> roles,
      List<String> submissionKeys,
      List<String> endorsementKeys,
      CosignerDoc cosigner) {

    /** The canonical constructor, the one the YAML reader uses; {@code domains} may be null. */
    @JsonCreator
    public MemberDoc {}

    /** A member without {@code domains}. */
    public MemberDoc(
        String id,
        String name,
        String organization,
        List<String> plmns,
        List<String> roles,
        List<String> submissionKeys,
        List<String> endorsementKeys,
        CosignerDoc cosigner) {
      this(id, name, organization, plmns, null, roles, submissionKeys, endorsementKeys, cosigner);
    }

    /** This member with {@code domains} (null or empty: none). */
    public MemberDoc withDomains(List<String> domains) {
      return new MemberDoc(
          id,
          name,
          organization,
          plmns,
          domains == null || domains.isEmpty() ? null : List.copyOf(domains),
          roles,
          submissionKeys,
          endorsementKeys,
          cosigner);
    }

    /** This member with other submission keys (base64 SubjectPublicKeyInfo): a key rotation. */
    public MemberDoc withSubmissionKeys(List<String> keys) {
      return new MemberDoc(
          id,
          name,
          organization,
          plmns,
          domains,
          roles,
          List.copyOf(keys),
          endorsementKeys,
          cosigner);
    }

    /** This member with other endorsement keys (base64 SubjectPublicKeyInfo): a key rotation. */
    public MemberDoc withEndorsementKeys(List<String> keys) {
      return new MemberDoc(
          id,
          name,
          organization,
          plmns,
          domains,
          roles,
          submissionKeys,
          List.copyOf(keys),
          cosigner);
    }

    /** This member with other PLMNs (MCC-MNC), e.g. one more for the 3GPP profile. */
    public MemberDoc withPlmns(List<String> p) {
      return new MemberDoc(
          id,
          name,
          organization,
          List.copyOf(p),
          domains,
          roles,
          submissionKeys,
          endorsementKeys,
          cosigner);
    }

    /** This member with another cosigner identity: a cosigner key rotation. */
    public MemberDoc withCosigner(CosignerDoc c) {
      return new MemberDoc(
          id, name, organization, plmns, domains, roles, submissionKeys, endorsementKeys, c);
    }
  }

  /** A member's cosigner identity: trust anchor ID and C2SP vkeys (types 0x04 and 0x06). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CosignerDoc(String trustAnchorId, String ed25519, String mldsa44) {}
}
