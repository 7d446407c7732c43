package org.ledgerpki.schemas;

import io.apicurio.registry.resolver.ParsedSchema;
import io.apicurio.registry.resolver.ParsedSchemaImpl;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.resolver.strategy.ArtifactReferenceResolverStrategy;
import io.apicurio.registry.resolver.utils.Utils;
import io.apicurio.registry.serde.config.SerdeConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * An Apicurio {@link SchemaResolver} backed by an {@link InMemorySchemaRegistry}, plugged into the
 * ordinary Apicurio Avro serdes through {@code apicurio.registry.schema-resolver}. The serdes frame
 * the records exactly as with a real registry; only the lookups stay in this JVM.
 *
 * <p>It registers the dereferenced schema (one self-contained schema per subject), under the
 * subject the configured artifact resolver strategy names ({@code <topic>-value}). One instance
 * serves one serializer or deserializer; many may share one registry.
 */
final class InMemorySchemaResolver implements SchemaResolver<Schema, Object> {

  private final InMemorySchemaRegistry registry;
  private SchemaParser<Schema, Object> parser;
  private ArtifactReferenceResolverStrategy<Schema, Object> strategy;

  InMemorySchemaResolver(InMemorySchemaRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  @SuppressWarnings("unchecked")
  public void configure(Map<String, ?> configs, SchemaParser<Schema, Object> schemaParser) {
    this.parser = Objects.requireNonNull(schemaParser, "schemaParser");
    if (strategy == null) {
      Utils.instantiate(
          ArtifactReferenceResolverStrategy.class,
          configs.get(SerdeConfig.ARTIFACT_RESOLVER_STRATEGY),
          this::setArtifactResolverStrategy);
    }
    if (strategy == null) {
      throw new IllegalStateException(
          "no artifact resolver strategy configured ("
              + SerdeConfig.ARTIFACT_RESOLVER_STRATEGY
              + ")");
    }
  }

  @Override
  public void setClientFacade(RegistryClientFacade clientFacade) {
    // No registry client: the schemas stay in this JVM.
  }

  @Override
  public void setArtifactResolverStrategy(
      ArtifactReferenceResolverStrategy<Schema, Object> artifactResolverStrategy) {
    this.strategy = artifactResolverStrategy;
  }

  @Override
  public SchemaParser<Schema, Object> getSchemaParser() {
    return parser;
  }

  @Override
  public SchemaLookupResult<Schema> resolveSchema(Record<Object> data) {
    ParsedSchema<Schema> parsed = parser.getSchemaFromData(data, true);
    String subject = strategy.artifactReference(data, parsed).getArtifactId();
    int id = registry.register(subject, parsed.getParsedSchema());
    return SchemaLookupResult.<Schema>builder()
        .contentId(id)
        .globalId(id)
        .groupId("default")
        .artifactId(subject)
        .parsedSchema(parsed)
        .build();
  }

  @Override
  public SchemaLookupResult<Schema> resolveSchemaByArtifactReference(ArtifactReference reference) {
    Long id = reference.getContentId() != null ? reference.getContentId() : reference.getGlobalId();
    if (id == null || id < 1 || id > Integer.MAX_VALUE) {
      throw new SerializationException("record names no usable schema id: " + reference);
    }
    Schema schema =
        registry
            .schema(id.intValue())
            .orElseThrow(
                () ->
                    new SerializationException(
                        "unknown schema id "
                            + id
                            + ": the in-memory schema registry of this JVM never registered it"
                            + " (was the record written through another registry?)"));
    ParsedSchemaImpl<Schema> parsed =
        new ParsedSchemaImpl<Schema>()
            .setParsedSchema(schema)
            .setRawSchema(schema.toString().getBytes(StandardCharsets.UTF_8));
    return SchemaLookupResult.<Schema>builder()
        .contentId(id)
        .globalId(id)
        .parsedSchema(parsed)
        .build();
  }

  @Override
  public void reset() {
    // Nothing cached here: the registry is the cache.
  }

  @Override
  public void close() {
    // The registry outlives its resolvers.
  }
}
