package org.ledgerpki.schemas;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;

/**
 * Apicurio's Avro datum provider, with the readers and writers cached by schema instance. The
 * default provider computes a 64-bit schema fingerprint on every record to find its cached reader
 * or writer, which cost about 7% of the services' CPU under load (P2 in BENCHMARKS.md); the schemas
 * it is given are the resolver's cached instances, so identity finds the same entry without hashing
 * the schema. Avro's specific readers and writers are safe to share between threads.
 */
public final class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {
  private final Map<IdentityKey, DatumReader<T>> readers = new ConcurrentHashMap<>();
  private final Map<IdentityKey, DatumWriter<T>> writers = new ConcurrentHashMap<>();

  /** A map key that compares schemas by identity. */
  private record IdentityKey(Schema schema) {
    @Override
    public boolean equals(Object o) {
      return o instanceof IdentityKey k && k.schema == schema;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(schema);
    }
  }

  @Override
  public DatumWriter<T> createDatumWriter(T data, Schema schema) {
    return writers.computeIfAbsent(
        new IdentityKey(schema), k -> super.createDatumWriter(data, schema));
  }

  @Override
  public DatumReader<T> createDatumReader(Schema schema) {
    return readers.computeIfAbsent(new IdentityKey(schema), k -> super.createDatumReader(schema));
  }
}
