package org.ledgerpki.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.testkit.TestConsortium;

class TrustPolicyTest {
  private final TestConsortium tc = TestConsortium.get();

  private static PolicyDocument withMembers(
      PolicyDocument d, UnaryOperator<List<PolicyDocument.MemberDoc>> f) {
    return new PolicyDocument(
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
        f.apply(new ArrayList<>(d.members())));
  }

  @Test
  void yamlRoundTripGivesTheSamePolicy() throws Exception {
    String yaml = tc.document(2, 2, "seed").toYaml();
    TrustPolicy p = TrustPolicyReader.parse(yaml, "policy.yaml");
    assertThat(p.members())
        .extracting(TrustPolicy.Member::id)
        .containsExactly("operator-b", "operator-c", "vendor-a");
    assertThat(p.endorsementQuorum()).isEqualTo(2);
    assertThat(p.cosignerQuorum()).isEqualTo(2);
    assertThat(p.validatorCount()).isEqualTo(3);
    assertThat(p.log().origin()).isEqualTo("oid/1.3.6.1.4.1.32473.1.0.1");
    assertThat(p.checkpointInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(p.profile()).isEqualTo(ProfileId.SEED);
    TrustPolicy.Member b = p.member("operator-b").orElseThrow();
    assertThat(b.cosigner().name()).isEqualTo("oid/1.3.6.1.4.1.32473.3");
    assertThat(b.cosigner().mldsa44()).isNotNull();
    assertThat(b.endorsementKeys())
        .containsExactly(tc.member("operator-b").endorsement().getPublic());
    assertThat(p.cosignerByName("oid/1.3.6.1.4.1.32473.4"))
        .map(TrustPolicy.Member::id)
        .contains("operator-c");
  }

  @Test
  void jsonIsAcceptedToo() throws Exception {
    String json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(tc.document(2, 2, "seed"));
    assertThat(TrustPolicyReader.parse(json, "policy.json").members()).hasSize(3);
  }

  private void assertRejected(PolicyDocument d, String... fragments) {
    assertThatThrownBy(() -> TrustPolicyReader.of(d, "p.yaml"))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("p.yaml: ")
        .hasMessageContainingAll(fragments);
  }

  @Test
  void quorumsMustFitTheMembers() {
    assertRejected(
        tc.document(4, 2, "seed"), "quorum.endorsements", "number of validators (3)", "found 4");
    assertRejected(tc.document(0, 2, "seed"), "quorum.endorsements");
    assertRejected(tc.document(2, 5, "seed"), "quorum.cosignatures", "found 5");
  }

  private static PolicyDocument withLifecycle(PolicyDocument d, PolicyDocument.Lifecycle l) {
    return new PolicyDocument(
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
        d.members(),
        l);
  }

  @Test
  void lifecycleQuorumHasDefaultsAndIsChecked() throws Exception {
    TrustPolicy defaults = TrustPolicyReader.of(tc.document(2, 2, "seed"), "p.yaml");
    assertThat(defaults.nonOwnerQuorum()).isEqualTo(2);
    assertThat(defaults.requestWindow()).isEqualTo(Duration.ofHours(1));

    PolicyDocument d =
        withLifecycle(tc.document(2, 2, "seed"), new PolicyDocument.Lifecycle(3, "30s"));
    TrustPolicy p = TrustPolicyReader.parse(d.toYaml(), "p.yaml");
    assertThat(p.nonOwnerQuorum()).isEqualTo(3);
    assertThat(p.requestWindow()).isEqualTo(Duration.ofSeconds(30));

    assertRejected(
        withLifecycle(tc.document(2, 2, "seed"), new PolicyDocument.Lifecycle(4, null)),
        "lifecycle.nonOwnerQuorum",
        "number of submitters (3)",
        "found 4");
    assertRejected(
        withLifecycle(tc.document(2, 2, "seed"), new PolicyDocument.Lifecycle(0, null)),
        "lifecycle.nonOwnerQuorum");
    assertRejected(
        withLifecycle(tc.document(2, 2, "seed"), new PolicyDocument.Lifecycle(null, "soon")),
        "lifecycle.requestWindow");
  }

  @Test
  void unknownProfileAndFormatAreNamed() {
    assertRejected(tc.document(2, 2, "web-pki"), "profile", "unknown profile 'web-pki'");
    PolicyDocument d = tc.document(2, 2, "seed");
    assertRejected(
        new PolicyDocument(
            "v0",
            d.serial(),
            d.consortium(),
            d.profile(),
            d.log(),
            d.quorum(),
            d.checkpoints(),
            d.landmarks(),
            d.validity(),
            d.algorithms(),
            d.members()),
        "format",
        "ledger-pki/trust-policy/v1");
  }

  @Test
  void duplicateMembersAndBadKeysAreNamed() {
    PolicyDocument d = tc.document(2, 2, "seed");
    assertRejected(
        withMembers(
            d,
            m -> {
              m.add(m.get(0));
              return m;
            }),
        "members[3].id",
        "duplicate member id 'vendor-a'");
    assertRejected(
        withMembers(
            d,
            m -> {
              PolicyDocument.MemberDoc a = m.get(1);
              m.set(
                  1,
                  new PolicyDocument.MemberDoc(
                      a.id(),
                      a.name(),
                      a.organization(),
                      a.plmns(),
                      a.roles(),
                      a.submissionKeys(),
                      List.of("bm90IGEga2V5"),
                      a.cosigner()));
              return m;
            }),
        "members[1].endorsementKeys[0]",
        "not a base64 SubjectPublicKeyInfo");
    assertRejected(
        withMembers(
            d,
            m -> {
              PolicyDocument.MemberDoc a = m.get(2);
              m.set(
                  2,
                  new PolicyDocument.MemberDoc(
                      a.id(),
                      a.name(),
                      a.organization(),
                      a.plmns(),
                      List.of("validator", "auditor"),
                      a.submissionKeys(),
                      a.endorsementKeys(),
                      null));
              return m;
            }),
        "members[2].roles[1]",
        "unknown role 'auditor'");
  }

  @Test
  void cosignerVkeysMustHaveTheRightTypeAndName() {
    PolicyDocument d = tc.document(2, 2, "seed");
    PolicyDocument.MemberDoc a = d.members().get(0);
    PolicyDocument.MemberDoc b = d.members().get(1);
    // An ML-DSA vkey where the Ed25519 cosignature/v1 vkey belongs.
    assertRejected(
        withMembers(
            d,
            m -> {
              m.set(
                  0,
                  new PolicyDocument.MemberDoc(
                      a.id(),
                      a.name(),
                      a.organization(),
                      a.plmns(),
                      a.roles(),
                      a.submissionKeys(),
                      a.endorsementKeys(),
                      new PolicyDocument.CosignerDoc(
                          a.cosigner().trustAnchorId(),
                          a.cosigner().mldsa44(),
                          a.cosigner().mldsa44())));
              return m;
            }),
        "members[0].cosigner.ed25519",
        "type 0x04, found 0x06");
    // Another member's vkey: the name does not match the trust anchor ID.
    assertRejected(
        withMembers(
            d,
            m -> {
              m.set(
                  0,
                  new PolicyDocument.MemberDoc(
                      a.id(),
                      a.name(),
                      a.organization(),
                      a.plmns(),
                      a.roles(),
                      a.submissionKeys(),
                      a.endorsementKeys(),
                      new PolicyDocument.CosignerDoc(
                          a.cosigner().trustAnchorId(),
                          b.cosigner().ed25519(),
                          a.cosigner().mldsa44())));
              return m;
            }),
        "members[0].cosigner.ed25519",
        "key name must be 'oid/1.3.6.1.4.1.32473.2'");
  }

  @Test
  void logKeyMustBeNamedAfterTheOrigin() {
    PolicyDocument d = tc.document(2, 2, "seed");
    PolicyDocument.Log other = new PolicyDocument.Log("32473.1", 2, d.log().key(), null);
    assertRejected(
        new PolicyDocument(
            d.format(),
            d.serial(),
            d.consortium(),
            d.profile(),
            other,
            d.quorum(),
            d.checkpoints(),
            d.landmarks(),
            d.validity(),
            d.algorithms(),
            d.members()),
        "log.key",
        "oid/1.3.6.1.4.1.32473.1.0.2");
  }

  @Test
  void yamlErrorsNameTheField() {
    String yaml = tc.document(2, 2, "seed").toYaml();
    assertThatThrownBy(
            () -> TrustPolicyReader.parse(yaml.replace("consortium:", "consortum:"), "p.yaml"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("unknown field 'consortum'");
    assertThatThrownBy(
            () ->
                TrustPolicyReader.parse(yaml.replace("maxBatch: 1000", "maxBatch: lots"), "p.yaml"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("checkpoints.maxBatch");
    assertThatThrownBy(
            () ->
                TrustPolicyReader.parse(
                    yaml.replace("interval: 200ms", "interval: soon"), "p.yaml"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("checkpoints.interval")
        .hasMessageContaining("not a duration: 'soon'");
    assertThatThrownBy(() -> TrustPolicyReader.parse("", "p.yaml"))
        .isInstanceOf(PolicyException.class);
  }

  @Test
  void the3gppProfileNeedsPlmns() {
    PolicyDocument d = tc.document(2, 2, "3gpp-ts-33.310");
    assertThat(d.members()).allMatch(m -> m.plmns() != null);
    PolicyDocument.MemberDoc a = d.members().get(0);
    assertRejected(
        withMembers(
            d,
            m -> {
              m.set(
                  0,
                  new PolicyDocument.MemberDoc(
                      a.id(),
                      a.name(),
                      a.organization(),
                      null,
                      a.roles(),
                      a.submissionKeys(),
                      a.endorsementKeys(),
                      a.cosigner()));
              return m;
            }),
        "members[vendor-a].plmns");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("825d")).isEqualTo(Duration.ofDays(825));
    assertThat(Durations.parse("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Durations.parse("1 fortnight")).hasMessageContaining("not a duration");
  }

  @Test
  void domainsAreReadCheckedAndMayNotOverlap() throws Exception {
    TrustPolicy p = TrustPolicyReader.parse(tc.document(2, 2, "seed").toYaml(), "p.yaml");
    assertThat(p.member("vendor-a").orElseThrow().domains()).containsExactly("vendor-a.example");

    assertRejected(
        withMembers(
            tc.document(2, 2, "seed"),
            ms -> {
              ms.set(0, ms.get(0).withDomains(List.of("Vendor_A.example")));
              return ms;
            }),
        "members[0].domains[0]",
        "found 'Vendor_A.example'");
    assertRejected(
        withMembers(
            tc.document(2, 2, "seed"),
            ms -> {
              ms.set(1, ms.get(1).withDomains(List.of("ran.vendor-a.example")));
              return ms;
            }),
        "members[1].domains[0]",
        "overlaps domain 'vendor-a.example' of member 'vendor-a'");
  }

  @Test
  void keyReuseAfterRevocationDefaultsToOwnerAndIsChecked() throws Exception {
    assertThat(TrustPolicyReader.of(tc.document(2, 2, "seed"), "p.yaml").keyReuseAfterRevocation())
        .isEqualTo(TrustPolicy.KeyReuse.OWNER);
    PolicyDocument never =
        withLifecycle(tc.document(2, 2, "seed"), new PolicyDocument.Lifecycle(null, null, "never"));
    assertThat(TrustPolicyReader.parse(never.toYaml(), "p.yaml").keyReuseAfterRevocation())
        .isEqualTo(TrustPolicy.KeyReuse.NEVER);
    assertRejected(
        withLifecycle(
            tc.document(2, 2, "seed"), new PolicyDocument.Lifecycle(null, null, "anyone")),
        "lifecycle.keyReuseAfterRevocation",
        "expected owner or never, found 'anyone'");
  }
}
