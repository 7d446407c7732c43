package org.ledgerpki.schemas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A schema registry that lives in this JVM, for unit tests and other registry-less runs.
 *
 * <p>It behaves like a Confluent-compatible registry as far as the serdes can tell: a schema gets
 * one id per distinct content (ids count up from 1, like Apicurio's content ids), and each subject
 * ({@code <topic>-value}) keeps the ids registered under it, in order. Records written through it
 * carry the same framing as through a real registry (magic byte 0, 4-byte big-endian id, Avro
 * binary), but the ids mean something only to this instance: share one instance between the writers
 * and the readers of a test.
 *
 * <p>Thread-safe.
 */
public final class InMemorySchemaRegistry {

  private final Map<String, Integer> idsByContent = new HashMap<>();
  private final List<Schema> schemasById = new ArrayList<>();
  private final Map<String, List<Integer>> idsBySubject = new LinkedHashMap<>();

  /** An empty registry. */
  public InMemorySchemaRegistry() {}

  /**
   * Registers {@code schema} under {@code subject}, or finds it if that content is already known.
   *
   * @return the schema's id, {@code >= 1}
   */
  public synchronized int register(String subject, Schema schema) {
    String content = schema.toString();
    Integer id = idsByContent.get(content);
    if (id == null) {
      schemasById.add(schema);
      id = schemasById.size();
      idsByContent.put(content, id);
    }
    List<Integer> versions = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  /** The schema with this id, or empty if no schema has it. */
  public synchronized Optional<Schema> schema(int id) {
    if (id < 1 || id > schemasById.size()) {
      return Optional.empty();
    }
    return Optional.of(schemasById.get(id - 1));
  }

  /** The subjects registered so far, in registration order. */
  public synchronized List<String> subjects() {
    return List.copyOf(idsBySubject.keySet());
  }

  /** The ids registered under {@code subject}, oldest first; empty if the subject is unknown. */
  public synchronized List<Integer> versions(String subject) {
    return List.copyOf(idsBySubject.getOrDefault(subject, List.of()));
  }
}
