package org.ledgerpki.launcher.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;

class MirrorConfigTest {
  private static final String PREFIX = "fed-1.";

  private static Topics topics(String prefix) {
    return Topics.create(TopicSettings.defaults().withPrefix(prefix), LedgerSerdes.inMemory());
  }

  @Test
  void mirrorsEveryLedgerTopicTheInquiryNodeReadsUnderItsOwnName() {
    Map<String, String> p = MirrorConfig.properties("c:9092", "o:9092", PREFIX, 3);
    Topics t = topics(PREFIX);
    for (var topic :
        java.util.List.of(
            t.entries(), t.status(), t.cosigned(), t.landmarks(), t.decisions(), t.checkpoints())) {
      assertThat(MirrorConfig.mirrors(p, topic.name())).as(topic.name()).isTrue();
    }
    assertThat(p.get("replication.policy.class"))
        .isEqualTo("org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
  }

  @Test
  void leavesOutTheInternalSequencingTopicsAndOtherPrefixes() {
    Map<String, String> p = MirrorConfig.properties("c:9092", "o:9092", PREFIX, 3);
    Topics t = topics(PREFIX);
    assertThat(MirrorConfig.mirrors(p, t.sequence().name())).isFalse();
    assertThat(MirrorConfig.mirrors(p, t.statusSequence().name())).isFalse();
    // The dot of the prefix is escaped: "fed-1Xledger.entries" is not a ledger topic.
    assertThat(MirrorConfig.mirrors(p, "fed-1Xledger.entries")).isFalse();
    assertThat(MirrorConfig.mirrors(p, topics("other.").entries().name())).isFalse();
    assertThat(MirrorConfig.mirrors(p, "__consumer_offsets")).isFalse();
  }

  @Test
  void oneDirectionCommittedRecordsAndNothingWrittenToTheConsortium() {
    Map<String, String> p = MirrorConfig.properties("c:9092", "o:9092", "", 3);
    assertThat(p)
        .containsEntry("clusters", "consortium, operator")
        .containsEntry("consortium.bootstrap.servers", "c:9092")
        .containsEntry("operator.bootstrap.servers", "o:9092")
        .containsEntry("consortium->operator.enabled", "true")
        .containsEntry("operator->consortium.enabled", "false")
        .containsEntry("consortium.consumer.isolation.level", "read_committed")
        .containsEntry("emit.offset-syncs.enabled", "false")
        .containsEntry("emit.checkpoints.enabled", "false")
        .containsEntry("sync.group.offsets.enabled", "false")
        .containsEntry("sync.topic.acls.enabled", "false")
        .containsEntry("operator->consortium.emit.heartbeats.enabled", "false")
        .containsEntry("replication.factor", "3")
        .containsEntry("offset.storage.replication.factor", "3");
    assertThat(MirrorConfig.mirrors(p, "ledger.entries")).isTrue();
  }

  @Test
  void theRenderedFileReadsBackAsTheSameProperties() throws Exception {
    Map<String, String> p = MirrorConfig.properties("c:9092", "o:9092", PREFIX, 1);
    Properties read = new Properties();
    read.load(new StringReader(MirrorConfig.render(p, "a comment\nover two lines")));
    assertThat(read).hasSize(p.size());
    p.forEach((k, v) -> assertThat(read.getProperty(k)).as(k).isEqualTo(v));
    assertThat(read.getProperty("consortium->operator.topics")).isEqualTo("fed-1\\.ledger\\..*");
  }

  @Test
  void anOperatorsFileWinsOverTheDefaults() {
    Map<String, String> p =
        MirrorConfig.overlay(
            MirrorConfig.properties("c:9092", "o:9092", "", 3),
            Map.of("consortium.security.protocol", "SSL", "refresh.topics.interval.seconds", "60"));
    assertThat(p)
        .containsEntry("consortium.security.protocol", "SSL")
        .containsEntry("refresh.topics.interval.seconds", "60");
  }

  @Test
  void refusesBadArguments() {
    assertThatThrownBy(() -> MirrorConfig.properties(" ", "o:9092", "", 3))
        .hasMessageContaining("--from");
    assertThatThrownBy(() -> MirrorConfig.properties("c:9092", "", "", 3))
        .hasMessageContaining("--to");
    assertThatThrownBy(() -> MirrorConfig.properties("c:9092", "o:9092", "", 0))
        .hasMessageContaining("at least 1, got 0");
    assertThatThrownBy(() -> MirrorConfig.properties("c:9092", "o:9092", "bad prefix/", 3))
        .hasMessageContaining("bad prefix/");
  }
}
