package org.ledgerpki.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.testkit.TestConsortium;

/** The trust bundle names the policy it was derived from; an older bundle is still read. */
class TrustBundleTest {
  private static final TestConsortium TC = TestConsortium.get();

  @Test
  void aBundleDerivedFromAPolicyNamesItsSerialAndTheHashOfItsBytes() throws Exception {
    byte[] bytes = TC.document(2, 2, "seed").toYaml().getBytes(StandardCharsets.UTF_8);
    TrustPolicy policy = TrustPolicyReader.parse(bytes, "test");
    TrustBundle b = TrustBundle.fromPolicy(policy);
    assertThat(b.policySerial()).isEqualTo(policy.serial());
    assertThat(b.policySha256()).isEqualTo(Hex.encode(Sha256.hash(bytes)));

    TrustBundle back = TrustBundle.parse(b.toJson());
    assertThat(back).isEqualTo(b);
    assertThat(b.toJson()).contains("\"policySerial\" : 1").contains(b.policySha256());
  }

  @Test
  void aBundleWithoutAPolicyIsReadWithTheSerialUnknown() throws Exception {
    TrustBundle b = TrustBundle.fromPolicy(TC.policy()).withPolicy(null, null);
    String json = b.toJson();
    assertThat(json).doesNotContain("policySerial").doesNotContain("policySha256");
    TrustBundle back = TrustBundle.parse(json);
    assertThat(back.policySerial()).isNull();
    assertThat(back.policySha256()).isNull();
    assertThat(back.sameTrust(TrustBundle.fromPolicy(TC.policy()))).isTrue();
  }

  @Test
  void aMalformedPolicyNameIsRefusedByField() {
    TrustBundle b = TrustBundle.fromPolicy(TC.policy());
    assertThatThrownBy(() -> TrustBundle.parse(b.withPolicy(1L, "ABCD").toJson()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("policySha256 must be 64 lowercase hex characters")
        .hasMessageContaining("found 'ABCD'");
    assertThatThrownBy(() -> TrustBundle.parse(b.withPolicy(0L, null).toJson()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("policySerial must be at least 1, found 0");
    assertThatThrownBy(() -> TrustBundle.parse(b.withPolicy(null, "0".repeat(64)).toJson()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("policySha256 is given without policySerial");
  }

  @Test
  void sameTrustComparesKeysQuorumAndFreshnessNotThePolicyName() throws Exception {
    TrustBundle two = TrustBundle.fromPolicy(TC.policy(2, 2, "seed"));
    TrustBundle three = TrustBundle.fromPolicy(TC.policy(2, 3, "seed"));
    assertThat(two.sameTrust(two.withPolicy(7L, "0".repeat(64)))).isTrue();
    assertThat(two.sameTrust(three)).isFalse();
  }
}
