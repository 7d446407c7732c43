package org.ledgerpki.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TopicsTest {

  private static final LedgerSerdes SERDES = LedgerSerdes.inMemory();

  @AfterAll
  static void tearDown() {
    SERDES.close();
  }

  @Test
  void namesFollowTheDesign() {
    Topics topics = Topics.create(SERDES);
    assertThat(topics.all())
        .extracting(Topic::name)
        .containsExactly(
            "ledger.submissions",
            "ledger.endorsements",
            "ledger.decisions",
            "ledger.sequence",
            "ledger.entries",
            "ledger.status-sequence",
            "ledger.status",
            "ledger.checkpoints",
            "ledger.cosignatures",
            "ledger.cosigned",
            "ledger.landmarks",
            "ledger.dlq",
            "ledger.governance",
            "ledger.policy");
  }

  @Test
  void prefixGivesEachTestItsOwnTopics() {
    Topics topics = Topics.create("it-42.", SERDES);
    assertThat(topics.submissions().name()).isEqualTo("it-42.ledger.submissions");
    assertThat(topics.all()).allSatisfy(t -> assertThat(t.name()).startsWith("it-42.ledger."));
  }

  @Test
  void everythingIsKeptForeverAndSingleReplicaHasNoMinIsr() {
    Topics topics = Topics.create(SERDES);
    assertThat(topics.all())
        .allSatisfy(
            t -> {
              assertThat(t.config())
                  .containsEntry("retention.ms", "-1")
                  .containsEntry("retention.bytes", "-1")
                  .doesNotContainKey("min.insync.replicas");
              assertThat(t.replicationFactor()).isEqualTo((short) 1);
              assertThat(t.partitions()).isEqualTo(1);
            });
  }

  @Test
  void clusterSettingsAskForTwoOfThree() {
    Topics topics =
        Topics.create(TopicSettings.forCluster(3).withPartitions(6).withLogs(4), SERDES);
    assertThat(topics.all())
        .allSatisfy(
            t -> {
              assertThat(t.config()).containsEntry("min.insync.replicas", "2");
              assertThat(t.replicationFactor()).isEqualTo((short) 3);
            });
    assertThat(topics.sequence().partitions()).as("one partition per log").isEqualTo(4);
    assertThat(topics.entries().partitions()).isEqualTo(6);
    assertThat(topics.statusSequence().partitions()).as("one partition per log").isEqualTo(4);
    assertThat(topics.status().partitions()).as("co-partitioned with entries").isEqualTo(6);
    assertThat(topics.governance().partitions()).as("one order for governance").isEqualTo(1);
    assertThat(topics.policy().partitions()).as("one order for policy changes").isEqualTo(1);

    NewTopic request = topics.sequence().newTopic();
    assertThat(request.name()).isEqualTo("ledger.sequence");
    assertThat(request.numPartitions()).isEqualTo(4);
    assertThat(request.replicationFactor()).isEqualTo((short) 3);
    assertThat(request.configs()).containsEntry("retention.ms", "-1");
    assertThat(Optional.of(request.configs())).isPresent();
  }

  @Test
  void badSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Topics.create("bad prefix/", SERDES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad prefix/")
        .hasMessageContaining("[a-zA-Z0-9._-]");
    assertThatThrownBy(() -> TopicSettings.defaults().withLogs(0))
        .hasMessageContaining("logs must be in [1, 65535], got 0");
    assertThatThrownBy(() -> TopicSettings.defaults().withLogs(65536))
        .hasMessageContaining("got 65536");
    assertThatThrownBy(() -> new TopicSettings("", 1, 1, (short) 3, 4))
        .hasMessageContaining("minInsyncReplicas must be in [1, replicationFactor=3], got 4");
  }

  @Test
  void topicsOfOneTypeShareTheirSerde() {
    Topics topics = Topics.create(SERDES);
    assertThat(topics.entries().valueSerde()).isSameAs(topics.sequence().valueSerde());
  }
}
