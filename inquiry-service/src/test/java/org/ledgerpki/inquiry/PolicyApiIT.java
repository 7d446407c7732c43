package org.ledgerpki.inquiry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.PolicyChain;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * {@code GET /v1/policy} and {@code /v1/policy/{serial}} over HTTP, against a chain written to
 * {@code ledger.policy} before the node started ({@link Scenarios#policy}): the node serves the
 * verified chain, a relying party re-verifies it offline from the genesis policy, and the three
 * forged changes among the records were refused.
 */
@QuarkusTest
@TestProfile(PolicyApiIT.Policy.class)
class PolicyApiIT {
  /**
   * A profile of its own, as {@link LateStartIT}'s: another test resource alone does not make
   * Quarkus leave the application started for {@link InquiryApiIT}.
   */
  public static class Policy implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(PolicyInquiryTestResource.class));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject InquiryNode node;

  @ConfigProperty(name = "ledgerpki.policy")
  String policyPath;

  /** Injected by {@link InquiryTestResource}. */
  Map<String, Object> ledger;

  @BeforeEach
  void awaitCaughtUp() throws Exception {
    assertThat(node.state().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
  }

  private static JsonNode json(Response r) throws Exception {
    return JSON.readTree(r.asString());
  }

  @Test
  void onceReadyTheNodeServesTheNewestVerifiedPolicy() throws Exception {
    // No waiting: a ready node has read ledger.policy to its end, written before it started.
    Response r = given().get("/v1/policy");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode p = json(r);
    assertThat(p.get("serial").asLong()).isEqualTo(3);
    assertThat(p.get("policySha256").asText()).isEqualTo(ledger.get("policy.sha.3"));
    assertThat(p.get("previousPolicySha256").asText()).isEqualTo(ledger.get("policy.sha.2"));
    assertThat(p.get("effectiveIndex").asLong()).isEqualTo(9);
    assertThat(p.get("effectiveStatusSequence").asLong()).isEqualTo(1);
    List<String> members = new ArrayList<>();
    p.get("approvals").forEach(a -> members.add(a.get("member").asText()));
    assertThat(members).containsExactlyInAnyOrder("vendor-a", "operator-b", "operator-c");
    byte[] document = Base64.getDecoder().decode(p.get("document").asText());
    assertThat(Hex.encode(Sha256.hash(document))).isEqualTo(ledger.get("policy.sha.3"));
  }

  @Test
  void theForgedChangesWereRefusedAndCounted() {
    // The valid serial 2 and 3 were written after the forgeries: the chain reaching serial 3 is
    // the barrier after which every forgery has been judged.
    assertThat(node.policies().latest().serial()).isEqualTo(3);
    assertThat(node.policies().refusedCount()).isEqualTo((Long) ledger.get("policy.forgeries"));
  }

  @Test
  void theGenesisPolicyIsTheConfiguredFileWithNoPredecessorAndNoApprovals() throws Exception {
    Response r = given().get("/v1/policy/1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode p = json(r);
    byte[] file = Files.readAllBytes(Path.of(policyPath));
    assertThat(Base64.getDecoder().decode(p.get("document").asText())).isEqualTo(file);
    assertThat(p.get("policySha256").asText()).isEqualTo(Hex.encode(Sha256.hash(file)));
    assertThat(p.has("previousPolicySha256")).as("absent for the genesis policy").isFalse();
    assertThat(p.get("approvals").size()).isZero();
    assertThat(p.get("effectiveIndex").asLong()).isZero();
  }

  @Test
  void aRelyingPartyVerifiesTheServedChainOfflineFromTheGenesisPolicy() throws Exception {
    TrustPolicy genesis =
        TrustPolicyReader.parse(Files.readAllBytes(Path.of(policyPath)), "genesis policy");
    List<PolicyChange> changes = new ArrayList<>();
    for (long s = 2; s <= 3; s++) {
      changes.add(change(json(given().get("/v1/policy/" + s))));
    }
    PolicyHistory h = PolicyChain.verify(genesis, changes, Signatures.defaults());
    assertThat(h.latest().serial()).isEqualTo(3);
    assertThat(h.latest().member("mallory")).as("serial 2 admitted mallory").isPresent();
    assertThat(Hex.encode(h.latest().sha256())).isEqualTo(ledger.get("policy.sha.3"));
    // /v1/trust follows the newest policy.
    TrustBundle b = TrustBundle.parse(given().get("/v1/trust").asString());
    assertThat(b.policySerial()).isEqualTo(3L);
    assertThat(b.policySha256()).isEqualTo(ledger.get("policy.sha.3"));
    assertThat(b.maxAgeSeconds()).as("serial 3 set checkpoints.maxAge to 5m").isEqualTo(300);
  }

  @Test
  void anUnknownSerialIs404AndAMalformedOne400AsProblems() throws Exception {
    Response missing = given().get("/v1/policy/4");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    JsonNode m = json(missing);
    assertThat(m.get("type").asText()).isEqualTo("urn:ledgerpki:problem:not-found");
    assertThat(m.get("detail").asText())
        .contains("no policy of serial 4")
        .contains("serials 1 to 3");
    assertThat(m.get("instance").asText()).isEqualTo("/v1/policy/4");
    for (String bad : List.of("abc", "0", "-1", "99999999999999999999")) {
      Response r = given().get("/v1/policy/" + bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      JsonNode pb = json(r);
      assertThat(pb.get("type").asText()).isEqualTo("urn:ledgerpki:problem:malformed-serial");
      assertThat(pb.get("detail").asText()).contains("positive decimal number").contains(bad);
    }
  }

  private static PolicyChange change(JsonNode p) {
    Base64.Decoder b64 = Base64.getDecoder();
    List<Approval> approvals = new ArrayList<>();
    for (JsonNode a : p.get("approvals")) {
      approvals.add(
          new Approval(
              a.get("member").asText(),
              Instant.parse(a.get("signedAt").asText()).toEpochMilli(),
              b64.decode(a.get("signature").asText())));
    }
    return new PolicyChange(
        p.get("serial").asLong(),
        b64.decode(p.get("document").asText()),
        Hex.decode(p.get("policySha256").asText()),
        Hex.decode(p.get("previousPolicySha256").asText()),
        p.get("effectiveIndex").asLong(),
        p.get("effectiveStatusSequence").asLong(),
        approvals,
        0);
  }
}
