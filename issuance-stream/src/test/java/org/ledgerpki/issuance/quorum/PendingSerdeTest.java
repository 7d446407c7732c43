package org.ledgerpki.issuance.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.streams.store.AvroStoreSerde;

class PendingSerdeTest {
  private final Pending.StoreSerde serde = new Pending.StoreSerde();

  @Test
  void aPendingWithoutSubmissionOrVerdictsRoundTrips() {
    byte[] b = serde.serialize("t", Pending.NONE);
    assertThat(b[0]).isEqualTo((byte) 'P');
    Pending back = serde.deserialize("t", b);
    assertThat(back.submission()).isNull();
    assertThat(back.verdicts()).isEmpty();
  }

  @Test
  void aValueWrittenBeforeIsReadAsVerdictsWithoutASubmission() {
    byte[] old =
        Serdes.ListSerde(ArrayList.class, new AvroStoreSerde<>(Endorsement.class))
            .serializer()
            .serialize("t", new ArrayList<>(List.<Endorsement>of()));
    assertThat(old[0]).isIn((byte) 0, (byte) 1);
    assertThat(serde.deserialize("t", old)).isEqualTo(Pending.NONE);
  }

  @Test
  void aValueInNoKnownFormatOrWithALengthBeyondItsEndIsRefused() {
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {7, 0, 0, 0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("store format 'P'");
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {'P', 0, 0, 1, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("256 bytes");
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {'P', -1, -1, -1, -1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("without its list of verdicts");
  }
}
