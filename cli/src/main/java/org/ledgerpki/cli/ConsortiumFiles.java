package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.config.KeyFiles;

/**
 * The files of a consortium created by {@code ledgerpki keygen consortium}:
 *
 * <pre>
 * DIR/policy.yaml                      the trust policy (public keys only)
 * DIR/trust.json                       the relying parties' trust bundle
 * DIR/log/log-ed25519.key.pem          the log's checkpoint key (sequencer only)
 * DIR/log/log-mldsa44.key.pem
 * DIR/ORG/submission.key.pem           each member's private keys, for its own services
 * DIR/ORG/endorsement.key.pem
 * DIR/ORG/cosigner-ed25519.key.pem
 * DIR/ORG/cosigner-mldsa44.key.pem
 * </pre>
 *
 * In a real consortium each organisation generates and keeps its own keys; this layout puts them
 * side by side for a single-machine demo and for tests.
 */
public record ConsortiumFiles(Path dir) {

  public Path policy() {
    return dir.resolve("policy.yaml");
  }

  public Path trust() {
    return dir.resolve("trust.json");
  }

  public Path logKey() {
    return dir.resolve("log").resolve("log-ed25519.key.pem");
  }

  public Path logMlDsaKey() {
    return dir.resolve("log").resolve("log-mldsa44.key.pem");
  }

  /**
   * The submission key pair a member command acts with: {@code key} if given, else {@code
   * CONSORTIUM/ORG/submission.key.pem} of {@code consortium}.
   *
   * @throws org.ledgerpki.schemas.config.ConfigException with the message to show the user, if
   *     neither is given, the file is missing or it holds no usable key
   */
  static KeyPair memberSubmissionKey(Path key, Path consortium, String org) {
    Path file =
        key != null
            ? key
            : consortium != null ? new ConsortiumFiles(consortium).submissionKey(org) : null;
    if (file == null) {
      throw new org.ledgerpki.schemas.config.ConfigException(
          "give the submission key with --key FILE, or --consortium DIR");
    }
    if (!Files.isRegularFile(file)) {
      throw new org.ledgerpki.schemas.config.ConfigException(
          "no key file " + file + "; create one with 'ledgerpki keygen consortium' or --key");
    }
    return KeyFiles.read(file, "--key");
  }

  public Path submissionKey(String org) {
    return dir.resolve(org).resolve("submission.key.pem");
  }

  public Path endorsementKey(String org) {
    return dir.resolve(org).resolve("endorsement.key.pem");
  }

  public Path cosignerEd25519Key(String org) {
    return dir.resolve(org).resolve("cosigner-ed25519.key.pem");
  }

  public Path cosignerMlDsaKey(String org) {
    return dir.resolve(org).resolve("cosigner-mldsa44.key.pem");
  }

  /**
   * Writes every key, the policy and the trust bundle into a directory that holds no key files yet;
   * returns the checked policy.
   *
   * @throws java.nio.file.FileAlreadyExistsException naming the first key file that exists (see
   *     {@link KeyFiles#write})
   */
  public TrustPolicy write(LogKeys log, List<MemberKeys> members, PolicyDocument document)
      throws IOException {
    return write(log, members, document, false);
  }

  /**
   * Writes every key, the policy and the trust bundle; returns the checked policy.
   *
   * @param replaceKeys whether existing key files are replaced (each removed first, a link itself
   *     and never its target); if false, an existing key file stops the write, named
   * @throws java.nio.file.FileAlreadyExistsException naming a key file that exists, unless {@code
   *     replaceKeys}
   */
  public TrustPolicy write(
      LogKeys log, List<MemberKeys> members, PolicyDocument document, boolean replaceKeys)
      throws IOException {
    // The policy's hash is that of the file's exact bytes (docs/governance.md): every service
    // configured with the file, and the bundle, name it by that hash.
    byte[] policyBytes =
        ("# ledger-pki trust policy, written by ledgerpki keygen. Public keys only.\n"
                + document.toYaml())
            .getBytes(StandardCharsets.UTF_8);
    TrustPolicy policy;
    try {
      policy = TrustPolicyReader.parse(policyBytes, policy().toString());
    } catch (org.ledgerpki.core.policy.PolicyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Files.createDirectories(dir);
    writeKey(logKey(), log.ed25519(), replaceKeys);
    writeKey(logMlDsaKey(), log.mlDsa44(), replaceKeys);
    for (MemberKeys m : members) {
      writeKey(submissionKey(m.id()), m.submission(), replaceKeys);
      writeKey(endorsementKey(m.id()), m.endorsement(), replaceKeys);
      if (m.roles().contains(Role.COSIGNER)) {
        writeKey(cosignerEd25519Key(m.id()), m.cosignerEd25519(), replaceKeys);
        writeKey(cosignerMlDsaKey(m.id()), m.cosignerMlDsa44(), replaceKeys);
      }
    }
    Files.write(policy(), policyBytes);
    Files.writeString(trust(), TrustBundle.fromPolicy(policy).toJson(), StandardCharsets.UTF_8);
    return policy;
  }

  private static void writeKey(Path path, KeyPair kp, boolean replace) throws IOException {
    if (kp == null) {
      return;
    }
    if (replace) {
      KeyFiles.replace(path, kp.getPrivate());
    } else {
      KeyFiles.write(path, kp.getPrivate());
    }
  }
}
