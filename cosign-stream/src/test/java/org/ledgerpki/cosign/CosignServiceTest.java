package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.cosign.aggregator.AggregatorTopology;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.KeyFiles;
import org.ledgerpki.schemas.config.Settings;
import org.ledgerpki.streams.OpsEndpoint;
import org.ledgerpki.streams.ServiceConfig;

/** The start-up checks of the service's settings, without a broker. */
class CosignServiceTest {
  private static final TestConsortium TC = TestConsortium.get();

  @TempDir Path dir;
  private final Map<String, String> settings = new HashMap<>();

  @BeforeEach
  void writeFiles() throws Exception {
    PolicyDocument d = TC.document(2, 2, "seed");
    List<PolicyDocument.MemberDoc> members = new ArrayList<>(d.members());
    members.add(
        MemberKeys.generate("validator-d", "D", "Org D", List.of(), Set.of(Role.VALIDATOR), null)
            .toDocument());
    PolicyDocument withValidator =
        new PolicyDocument(
            d.format(),
            d.serial(),
            d.consortium(),
            d.profile(),
            d.log(),
            d.quorum(),
            d.checkpoints(),
            d.landmarks(),
            d.validity(),
            d.algorithms(),
            members);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, withValidator.toYaml(), StandardCharsets.UTF_8);
    for (MemberKeys m : TC.members()) {
      KeyFiles.write(dir.resolve(m.id() + "-ed25519.pem"), m.cosignerEd25519().getPrivate());
      KeyFiles.write(dir.resolve(m.id() + "-mldsa44.pem"), m.cosignerMlDsa44().getPrivate());
    }
    settings.put(ServiceConfig.BOOTSTRAP, "localhost:9");
    settings.put(ServiceConfig.REGISTRY, "http://localhost:9");
    settings.put(ServiceConfig.POLICY, policy.toString());
    settings.put(CosignService.ORG, "operator-b");
    settings.put(CosignService.ED25519_KEY, dir.resolve("operator-b-ed25519.pem").toString());
    settings.put(CosignService.MLDSA_KEY, dir.resolve("operator-b-mldsa44.pem").toString());
  }

  private ServiceConfig config() {
    List<String> keys = new ArrayList<>(ServiceConfig.keys());
    keys.addAll(CosignService.KEYS);
    return ServiceConfig.from(
        Settings.load(ServiceConfig.defaults(), null, Map.of(), settings, keys));
  }

  @Test
  void theKeyFilesOfAPolicyCosignerAreAccepted() {
    MemberKeys keys = CosignService.memberKeys(config());
    assertThat(keys.id()).isEqualTo("operator-b");
    assertThat(keys.trustAnchorId()).isEqualTo(TC.member("operator-b").trustAnchorId());
    assertThat(keys.ed25519Cosigner().vkey())
        .isEqualTo(TC.member("operator-b").ed25519Cosigner().vkey());
    assertThat(keys.mlDsaCosigner().vkey())
        .isEqualTo(TC.member("operator-b").mlDsaCosigner().vkey());
  }

  @Test
  void theKeysAreCheckedAgainstThePolicyInForceNotTheGenesisFile() throws Exception {
    // Serial 2 rotates operator-b's Ed25519 cosigner key (as a governance change would).
    TrustPolicy genesis = config().policy();
    MemberKeys b = TC.member("operator-b");
    java.security.KeyPair rotated =
        org.ledgerpki.core.crypto.Keys.generate(
            org.ledgerpki.core.crypto.SignatureAlgorithm.ED25519);
    MemberKeys rotatedB = b.withCosignerEd25519(rotated);
    TrustPolicy p2 =
        org.ledgerpki.core.testkit.TestGovernance.rotatingCosignerKeys(genesis, rotatedB);
    // The old key file: right for the genesis file, refused for serial 2, which it names.
    assertThat(CosignService.memberKeys(config(), genesis).id()).isEqualTo("operator-b");
    assertThatThrownBy(() -> CosignService.memberKeys(config(), p2))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.ED25519_KEY)
        .hasMessageContaining("serial 2");
    // The new key file is accepted for serial 2 and refused for the genesis file.
    KeyFiles.write(dir.resolve("operator-b-rotated.pem"), rotated.getPrivate());
    settings.put(CosignService.ED25519_KEY, dir.resolve("operator-b-rotated.pem").toString());
    assertThat(CosignService.memberKeys(config(), p2).ed25519Cosigner().vkey())
        .isEqualTo(rotatedB.ed25519Cosigner().vkey());
    assertThatThrownBy(() -> CosignService.memberKeys(config(), genesis))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.ED25519_KEY);
  }

  @Test
  void theMlDsaKeyIsOptional() {
    settings.remove(CosignService.MLDSA_KEY);
    assertThat(CosignService.memberKeys(config()).cosignerMlDsa44()).isNull();
  }

  @Test
  void anotherMembersKeyIsRefusedNamingTheSetting() {
    settings.put(CosignService.ED25519_KEY, dir.resolve("operator-c-ed25519.pem").toString());
    assertThatThrownBy(() -> CosignService.memberKeys(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.ED25519_KEY)
        .hasMessageContaining("operator-b");
    settings.put(CosignService.ED25519_KEY, dir.resolve("operator-b-ed25519.pem").toString());
    settings.put(CosignService.MLDSA_KEY, dir.resolve("operator-c-mldsa44.pem").toString());
    assertThatThrownBy(() -> CosignService.memberKeys(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.MLDSA_KEY);
  }

  @Test
  void aKeyOfTheWrongAlgorithmIsRefused() {
    settings.put(CosignService.ED25519_KEY, dir.resolve("operator-b-mldsa44.pem").toString());
    assertThatThrownBy(() -> CosignService.memberKeys(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.ED25519_KEY);
  }

  @Test
  void theOrganisationMustBeACosignerMember() {
    settings.put(CosignService.ORG, "mallory");
    assertThatThrownBy(() -> CosignService.memberKeys(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.ORG)
        .hasMessageContaining("not a member");
    settings.put(CosignService.ORG, "validator-d");
    assertThatThrownBy(() -> CosignService.memberKeys(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no cosigner role");
  }

  @Test
  void missingSettingsAreNamed() {
    settings.remove(CosignService.ED25519_KEY);
    assertThatThrownBy(() -> CosignService.memberKeys(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.ED25519_KEY);
    settings.put(CosignService.ED25519_KEY, dir.resolve("nowhere.pem").toString());
    assertThatThrownBy(() -> CosignService.memberKeys(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.ED25519_KEY)
        .hasMessageContaining("no such file");
  }

  @Test
  void applicationIdsFollowTheTopicPrefix() {
    assertThat(CosignerTopology.applicationId("t1.", "operator-b"))
        .isEqualTo("t1.ledger-cosigner-operator-b");
    assertThat(AggregatorTopology.applicationId("t1.")).isEqualTo("t1.ledger-aggregator");
  }

  @Test
  void theHealthEndpointIsOffByDefaultAndAtPortZero() {
    assertThat(config().httpAddress()).isEmpty();
    settings.put(ServiceConfig.HTTP_PORT, "0");
    assertThat(config().httpAddress()).isEmpty();
    settings.put(ServiceConfig.HTTP_PORT, "8080");
    assertThat(config().httpAddress())
        .hasValueSatisfying(
            a -> {
              assertThat(a.getPort()).isEqualTo(8080);
              assertThat(a.getAddress().isLoopbackAddress()).as("127.0.0.1 by default").isTrue();
            });
    settings.put(ServiceConfig.HTTP_BIND, "0.0.0.0");
    assertThat(config().httpAddress())
        .hasValueSatisfying(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
  }

  @Test
  void aBadHealthPortOrAddressStopsTheServiceNamingTheSetting() {
    settings.put(ServiceConfig.HTTP_PORT, "eighty");
    assertThatThrownBy(this::config)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledgerpki.http.port (env LEDGERPKI_HTTP_PORT) = 'eighty'")
        .hasMessageContaining("not an integer");
    settings.put(ServiceConfig.HTTP_PORT, "65536");
    assertThatThrownBy(this::config)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledgerpki.http.port (env LEDGERPKI_HTTP_PORT) = 65536")
        .hasMessageContaining("must be between 0 and 65535");
    settings.put(ServiceConfig.HTTP_PORT, "-1");
    assertThatThrownBy(this::config)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be between 0 and 65535");
    settings.put(ServiceConfig.HTTP_PORT, "8080");
    settings.put(ServiceConfig.HTTP_BIND, "[::1");
    assertThatThrownBy(this::config)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledgerpki.http.bind (env LEDGERPKI_HTTP_BIND) = '[::1'");
  }

  @Test
  void aHealthPortInUseStopsTheServiceNamingTheSettings() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      settings.put(ServiceConfig.HTTP_PORT, Integer.toString(taken.getLocalPort()));
      ServiceConfig c = config();
      assertThatThrownBy(() -> OpsEndpoint.serve(c, "cosign-stream/operator-b", List.of()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(ServiceConfig.HTTP_PORT)
          .hasMessageContaining("cannot listen on")
          .hasMessageContaining(Integer.toString(taken.getLocalPort()));
    }
  }
}
