package org.ledgerpki.issuance.quorum;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.store.AvroStoreSerde;

/**
 * What the quorum keeps of a submission until it is decided: the submission, once it arrived, and
 * the verdicts counted on it, at most one per validator organisation (and operation, until the
 * submission arrives), in arrival order. One record per submission in the {@code verdicts} store,
 * where the submission had a record of its own in {@code submissions}: a submission decided in a
 * later commit than it arrived now leaves two changelog records (its put and its tombstone), plus
 * one when its deciding verdicts came in different commits, where it left two in {@code
 * submissions} and then two more in {@code verdicts}.
 *
 * @param submission the submission, or null while only verdicts on it arrived
 * @param verdicts the counted verdicts (never null)
 */
public record Pending(Submission submission, List<Endorsement> verdicts) {
  static final Pending NONE = new Pending(null, List.of());

  public Pending {
    verdicts = List.copyOf(verdicts);
  }

  Pending withSubmission(Submission s) {
    return new Pending(s, verdicts);
  }

  Pending withVerdicts(List<Endorsement> v) {
    return new Pending(submission, v);
  }

  /**
   * The store's serde. A value is {@code 'P'}, a 4-byte length (−1 for no submission), the
   * submission in {@link AvroStoreSerde}'s form, then the verdicts in Kafka's {@code ListSerde}
   * form. A value written before (the verdicts alone, in {@code ListSerde} form, whose first byte
   * is its strategy, 0 or 1) is read as verdicts without a submission.
   */
  public static final class StoreSerde
      implements Serde<Pending>, Serializer<Pending>, Deserializer<Pending> {
    static final byte FORMAT = 'P';

    /** A serde of this store's values. */
    public StoreSerde() {}

    private final AvroStoreSerde<Submission> submissions = new AvroStoreSerde<>(Submission.class);
    private final Serde<List<Endorsement>> lists =
        Serdes.ListSerde(ArrayList.class, new AvroStoreSerde<>(Endorsement.class));

    @Override
    public byte[] serialize(String topic, Pending p) {
      if (p == null) {
        return null;
      }
      byte[] s = p.submission == null ? null : submissions.serialize(topic, p.submission);
      byte[] v = lists.serializer().serialize(topic, p.verdicts);
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(5 + (s == null ? 0 : s.length) + v.length);
      out.write(FORMAT);
      out.writeBytes(ByteBuffer.allocate(4).putInt(s == null ? -1 : s.length).array());
      if (s != null) {
        out.writeBytes(s);
      }
      out.writeBytes(v);
      return out.toByteArray();
    }

    @Override
    public Pending deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      if (data.length > 0 && (data[0] == 0 || data[0] == 1)) {
        return new Pending(null, lists.deserializer().deserialize(topic, data));
      }
      if (data.length < 5 || data[0] != FORMAT) {
        throw new SerializationException(
            "store topic " + topic + ": not a pending submission in store format 'P'");
      }
      int n = ByteBuffer.wrap(data, 1, 4).getInt();
      if (n < -1 || n > data.length - 5) {
        throw new SerializationException(
            "store topic "
                + topic
                + ": a pending submission of "
                + n
                + " bytes in a value of "
                + data.length);
      }
      int at = 5;
      Submission s = null;
      if (n >= 0) {
        byte[] b = new byte[n];
        System.arraycopy(data, at, b, 0, n);
        s = submissions.deserialize(topic, b);
        at += n;
      }
      if (at == data.length) {
        throw new SerializationException(
            "store topic " + topic + ": a pending submission without its list of verdicts");
      }
      byte[] rest = new byte[data.length - at];
      System.arraycopy(data, at, rest, 0, rest.length);
      return new Pending(s, lists.deserializer().deserialize(topic, rest));
    }

    @Override
    public Serializer<Pending> serializer() {
      return this;
    }

    @Override
    public Deserializer<Pending> deserializer() {
      return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}
  }
}
