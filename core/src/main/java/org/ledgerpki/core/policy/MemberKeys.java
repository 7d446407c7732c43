package org.ledgerpki.core.policy;

import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.tlog.Ed25519Cosigner;
import org.ledgerpki.core.tlog.MlDsaCosigner;

/**
 * A member organisation's key pairs, as {@code ledgerpki keygen} creates them: a submission key, an
 * endorsement key and cosigner keys (Ed25519 for {@code cosignature/v1}, ML-DSA-44 for {@code
 * subtree/v1}), for the roles it has. {@link #toDocument()} gives its public entry for the trust
 * policy. The private keys never leave the organisation's own configuration.
 *
 * @param submission null unless the member submits
 * @param endorsement null unless the member validates
 * @param trustAnchorId the cosigner trust anchor ID; null unless the member cosigns
 * @param cosignerEd25519 null unless the member cosigns
 * @param cosignerMlDsa44 null unless the member cosigns
 */
public record MemberKeys(
    String id,
    String name,
    String organization,
    List<String> plmns,
    Set<Role> roles,
    KeyPair submission,
    KeyPair endorsement,
    String trustAnchorId,
    KeyPair cosignerEd25519,
    KeyPair cosignerMlDsa44) {

  /**
   * Generates keys for a member: Ed25519 submission and endorsement keys, and for a cosigner an
   * Ed25519 and an ML-DSA-44 key.
   */
  public static MemberKeys generate(
      String id,
      String name,
      String organization,
      List<String> plmns,
      Set<Role> roles,
      String trustAnchorId) {
    boolean cosigns = roles.contains(Role.COSIGNER);
    return new MemberKeys(
        id,
        name,
        organization,
        List.copyOf(plmns),
        Set.copyOf(roles),
        roles.contains(Role.SUBMITTER) ? Keys.generate(SignatureAlgorithm.ED25519) : null,
        roles.contains(Role.VALIDATOR) ? Keys.generate(SignatureAlgorithm.ED25519) : null,
        cosigns ? trustAnchorId : null,
        cosigns ? Keys.generate(SignatureAlgorithm.ED25519) : null,
        cosigns ? Keys.generate(SignatureAlgorithm.ML_DSA_44) : null);
  }

  /** These keys with another endorsement key pair (a rotation). */
  public MemberKeys withEndorsement(KeyPair key) {
    return new MemberKeys(
        id,
        name,
        organization,
        plmns,
        roles,
        submission,
        key,
        trustAnchorId,
        cosignerEd25519,
        cosignerMlDsa44);
  }

  /** These keys with another Ed25519 {@code cosignature/v1} key pair (a rotation). */
  public MemberKeys withCosignerEd25519(KeyPair key) {
    return new MemberKeys(
        id,
        name,
        organization,
        plmns,
        roles,
        submission,
        endorsement,
        trustAnchorId,
        key,
        cosignerMlDsa44);
  }

  /** The cosigner key name, {@code oid/1.3.6.1.4.1.<trustAnchorId>}; requires the cosigner role. */
  public String cosignerName() {
    return TrustAnchorId.keyName(trustAnchorId);
  }

  /** The member's Ed25519 {@code cosignature/v1} signer; requires the cosigner role. */
  public Ed25519Cosigner ed25519Cosigner() {
    return new Ed25519Cosigner(cosignerName(), cosignerEd25519.getPrivate());
  }

  /** The member's ML-DSA-44 {@code subtree/v1} signer; requires the cosigner role. */
  public MlDsaCosigner mlDsaCosigner() {
    return new MlDsaCosigner(cosignerName(), cosignerMlDsa44.getPrivate());
  }

  /** The member's public entry for the trust policy. */
  public PolicyDocument.MemberDoc toDocument() {
    PolicyDocument.CosignerDoc cosigner = null;
    if (roles.contains(Role.COSIGNER)) {
      cosigner =
          new PolicyDocument.CosignerDoc(
              trustAnchorId, ed25519Cosigner().vkey().format(), mlDsaCosigner().vkey().format());
    }
    return new PolicyDocument.MemberDoc(
        id,
        name,
        organization,
        plmns.isEmpty() ? null : plmns,
        roles.stream().map(Role::configName).sorted().toList(),
        submission == null ? null : List.of(spki(submission)),
        endorsement == null ? null : List.of(spki(endorsement)),
        cosigner);
  }

  private static String spki(KeyPair kp) {
    return Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
  }

  @Override
  public String toString() {
    return "MemberKeys[" + id + ", roles " + roles + "]";
  }
}
