package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Verdict;

class DeadLetterTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");

  private Harness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void garbageOnTheInputsGoesToTheDeadLetterTopicAndTheStreamGoesOn() {
    h = new Harness();
    Submissions.Keyed s =
        Signed.issue("vendor-a", TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "dl").der());
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    h.submissions.pipeInput(s.key(), garbage);
    byte[] valid = h.bytes(h.topics.submissions(), s.submission());
    h.submissions.pipeInput(s.key(), Arrays.copyOf(valid, valid.length / 2));
    h.submissions.pipeInput(s.key(), (byte[]) null);
    h.endorsements.pipeInput(s.key(), garbage);
    // Records that decode but sit under a key other than the hash they are about.
    h.submissions.pipeInput("00".repeat(32), valid);
    Endorsement b = Signed.endorse("operator-b", s, Verdict.ENDORSE);
    h.endorsements.pipeInput("11".repeat(32), h.bytes(h.topics.endorsements(), b));
    h.endorsements.pipeInput("not-a-hash", h.bytes(h.topics.endorsements(), b));

    List<TestRecord<String, DeadLetter>> dead = h.dlq.readRecordsToList();
    assertThat(dead).hasSize(7);
    assertThat(dead)
        .extracting(r -> r.getValue().getReason())
        .satisfiesExactly(
            r -> assertThat(r).startsWith("cannot decode a Submission"),
            r -> assertThat(r).startsWith("cannot decode a Submission"),
            r -> assertThat(r).isEqualTo("the record has no value"),
            r -> assertThat(r).startsWith("cannot decode an Endorsement"),
            r -> assertThat(r).contains("is not the SHA-256 of the certificate"),
            r -> assertThat(r).contains("is not the certificate SHA-256 the verdict is about"),
            r -> assertThat(r).contains("is not a lowercase hex SHA-256"));
    DeadLetter first = dead.get(0).getValue();
    assertThat(dead.get(0).getKey()).isEqualTo(h.topics.submissions().name());
    assertThat(first.getSourceTopic()).isEqualTo(h.topics.submissions().name());
    assertThat(first.getService()).isEqualTo(IssuanceTopology.SERVICE);
    assertThat(first.getOffset()).isEqualTo(0);
    assertThat(first.getValue()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(first.getKey()).isEqualTo(ByteBuffer.wrap(s.key().getBytes(StandardCharsets.UTF_8)));
    assertThat(dead.get(3).getKey()).isEqualTo(h.topics.endorsements().name());
    assertThat(h.counter(QuorumProcessor.DEAD_LETTERS)).isEqualTo(7);

    // The stream goes on: the valid records are processed.
    h.submit(s);
    h.endorse(b);
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    assertThat(h.decisions()).extracting(Decision::getOutcome).containsExactly(Outcome.ACCEPTED);
    assertThat(h.entries()).hasSize(2);
  }
}
