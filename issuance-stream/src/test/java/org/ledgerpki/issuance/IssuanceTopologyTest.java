package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;

class IssuanceTopologyTest {
  private static final TestConsortium TC = TestConsortium.get();

  @Test
  void twoSubTopologiesOfNamedProcessorsWithTheirStores() {
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      Topology t =
          IssuanceTopology.build(
              TC.policy(),
              Topics.create(serdes),
              LogSigner.of(TC.log()),
              Clock.systemUTC(),
              IssuanceOptions.defaults());
      TopologyDescription d = t.describe();
      assertThat(d.subtopologies()).hasSize(2);
      Set<String> quorum = names(d, IssuanceTopology.QUORUM);
      Set<String> integrate = names(d, IssuanceTopology.INTEGRATE);
      assertThat(quorum)
          .containsExactlyInAnyOrder(
              IssuanceTopology.SUBMISSIONS_SOURCE,
              IssuanceTopology.ENDORSEMENTS_SOURCE,
              IssuanceTopology.QUORUM,
              IssuanceTopology.DECISIONS_SINK,
              IssuanceTopology.SEQUENCE_SINK,
              IssuanceTopology.STATUS_SEQUENCE_SINK,
              IssuanceTopology.QUORUM_DLQ_SINK);
      assertThat(integrate)
          .containsExactlyInAnyOrder(
              IssuanceTopology.SEQUENCE_SOURCE,
              IssuanceTopology.STATUS_SEQUENCE_SOURCE,
              IssuanceTopology.INTEGRATE,
              IssuanceTopology.ENTRIES_SINK,
              IssuanceTopology.INTEGRATE_DECISIONS_SINK,
              IssuanceTopology.STATUS_SINK,
              IssuanceTopology.INTEGRATE_DLQ_SINK,
              IssuanceTopology.CHECKPOINT,
              IssuanceTopology.CHECKPOINTS_SINK,
              IssuanceTopology.GOVERNANCE_SOURCE,
              IssuanceTopology.GOVERNANCE,
              IssuanceTopology.POLICY_SINK);
      assertThat(stores(d, IssuanceTopology.QUORUM))
          .containsExactlyInAnyOrder(
              IssuanceTopology.SUBMISSIONS_STORE,
              IssuanceTopology.VERDICTS_STORE,
              IssuanceTopology.DECIDED_STORE,
              IssuanceTopology.ADMITTED_STORE,
              IssuanceTopology.OWNERS_STORE,
              IssuanceTopology.LIFECYCLE_STORE,
              IssuanceTopology.REQUESTS_STORE);
      assertThat(stores(d, IssuanceTopology.INTEGRATE))
          .containsExactlyInAnyOrder(
              IssuanceTopology.LOG_STATE_STORE,
              IssuanceTopology.TREE_NODES_STORE,
              IssuanceTopology.SEQUENCED_STORE,
              IssuanceTopology.STATUS_EVENTS_STORE,
              IssuanceTopology.STATUS_SEQUENCED_STORE,
              IssuanceTopology.ENTRY_IDS_STORE,
              IssuanceTopology.ADMISSION_STORE);
      assertThat(stores(d, IssuanceTopology.CHECKPOINT))
          .containsExactly(IssuanceTopology.CHECKPOINT_STATE_STORE);
      assertThat(stores(d, IssuanceTopology.GOVERNANCE))
          .as("governance reads the log's size in integrate's task")
          .containsExactlyInAnyOrder(
              IssuanceTopology.GOVERNANCE_ACTS_STORE,
              IssuanceTopology.POLICY_CHANGES_STORE,
              IssuanceTopology.LOG_STATE_STORE);
    }
  }

  private static TopologyDescription.Subtopology subtopologyOf(
      TopologyDescription d, String processor) {
    return d.subtopologies().stream()
        .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(processor)))
        .findFirst()
        .orElseThrow();
  }

  private static Set<String> names(TopologyDescription d, String processor) {
    return subtopologyOf(d, processor).nodes().stream()
        .map(TopologyDescription.Node::name)
        .collect(Collectors.toSet());
  }

  private static Set<String> stores(TopologyDescription d, String processor) {
    return subtopologyOf(d, processor).nodes().stream()
        .filter(n -> n.name().equals(processor))
        .map(n -> ((TopologyDescription.Processor) n).stores())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void buildRefusesAKeyThatIsNotThePolicysLogKey() {
    LogKeys other = LogKeys.generate(TestConsortium.CA_ID, 1);
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      assertThatThrownBy(
              () ->
                  IssuanceTopology.build(
                      TC.policy(),
                      Topics.create(serdes),
                      LogSigner.of(other),
                      Clock.systemUTC(),
                      IssuanceOptions.defaults()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the Ed25519 key is not the policy's log key")
          .hasMessageContaining(TC.policy().log().vkey())
          .hasMessageContaining("ML-DSA-44 key is not the policy's");
    }
  }

  @Test
  void buildRefusesALogNumberWithoutAPartition() {
    LogKeys log3 = LogKeys.generate(TestConsortium.CA_ID, 3);
    TrustPolicy policy = TestPolicies.check(TestPolicies.log(TestPolicies.base(), log3));
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      assertThatThrownBy(
              () ->
                  IssuanceTopology.build(
                      policy,
                      Topics.create(TopicSettings.defaults().withLogs(2), serdes),
                      LogSigner.of(log3),
                      Clock.systemUTC(),
                      IssuanceOptions.defaults()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("log number 3 needs at least 3 partitions of ledger.sequence")
          .hasMessageContaining("ledgerpki.topics.logs");
    }
  }

  @Test
  void theLogSignerNamesEachMismatchWithThePolicy() {
    LogKeys full = TC.log();
    TrustPolicy.LogIdentity log = TC.policy().log();
    assertThat(LogSigner.of(full).mismatches(log)).isEmpty();
    LogKeys edOnly = new LogKeys(full.caId(), full.number(), full.ed25519(), null);
    assertThat(LogSigner.of(edOnly).mismatches(log))
        .singleElement()
        .asString()
        .contains("the policy lists an ML-DSA-44 log key");
    TrustPolicy.LogIdentity edOnlyLog =
        TestPolicies.check(TestPolicies.log(TestPolicies.base(), edOnly)).log();
    assertThat(LogSigner.of(full).mismatches(edOnlyLog))
        .singleElement()
        .asString()
        .contains("the policy lists none");
    LogKeys log2 = new LogKeys(full.caId(), 2, full.ed25519(), full.mlDsa44());
    assertThat(LogSigner.of(log2).mismatches(log))
        .anySatisfy(m -> assertThat(m).contains("is for log origin '" + log2.origin() + "'"));
    assertThat(LogSigner.of(full))
        .hasToString("LogSigner[" + full.origin() + ", Ed25519 + ML-DSA-44]");
  }
}
