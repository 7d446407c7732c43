package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.avro.Endorsement;

/**
 * The {@code pending} store's changelog: a verdict put and signed before the commit leaves no
 * record there, one that waits across a commit is written and deleted, and none is lost. The driver
 * commits after every input record and every punctuation.
 */
class ValidatorPendingChangelogTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");

  @Test
  void aVerdictSignedBeforeItsCommitLeavesNoRecordInTheChangelog() {
    try (ValidatorHarness h =
        new ValidatorHarness(
            TestConsortium.get().policy(), new ValidatorOptions(2, Duration.ofMillis(20)))) {
      for (int i = 0; i < 3; i++) {
        byte[] der = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "pend-" + i).der();
        h.pipe(ValidatorHarness.issue("vendor-a", der));
      }
      // 0 waits across a commit; 1 fills the batch and is signed with 0 in the same record;
      // 2 waits across a commit for the linger.
      List<Endorsement> verdicts = h.verdicts();
      assertThat(verdicts).hasSize(3);
      List<KeyValue<Long, Endorsement>> changelog =
          h.driver
              .createOutputTopic(
                  "validator-harness-" + ValidatorTopology.PENDING + "-changelog",
                  Serdes.Long().deserializer(),
                  h.topics.endorsements().valueSerde().deserializer())
              .readKeyValuesToList();
      assertThat(changelog)
          .extracting(kv -> kv.key + (kv.value == null ? " deleted" : " put"))
          .containsExactly("0 put", "0 deleted", "2 put", "2 deleted");
    }
  }
}
