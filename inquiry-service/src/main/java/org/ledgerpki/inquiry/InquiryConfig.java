package org.ledgerpki.inquiry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * The inquiry node's settings: defaults in {@code application.properties}, overridden by
 * environment variables ({@code ledgerpki.kafka.bootstrap} by {@code LEDGERPKI_KAFKA_BOOTSTRAP},
 * and so on). Checked at start-up by {@link InquiryNode}, which fails naming the setting.
 */
@ConfigMapping(prefix = "ledgerpki")
public interface InquiryConfig {

  /** Kafka. */
  Kafka kafka();

  /** The schema registry. */
  Registry registry();

  /** Path of the consortium's trust policy (YAML): {@code ledgerpki.policy}. */
  String policy();

  /** Topic naming. */
  Topics topics();

  /** The inquiry node itself. */
  Inquiry inquiry();

  /** Kafka settings. */
  interface Kafka {
    /** Bootstrap servers: {@code ledgerpki.kafka.bootstrap}. */
    String bootstrap();
  }

  /** Schema registry settings. */
  interface Registry {
    /** Base URL of the Apicurio (Confluent-compatible) registry: {@code ledgerpki.registry.url}. */
    String url();
  }

  /** Topic settings. */
  interface Topics {
    /** Prefix of every topic name: {@code ledgerpki.topics.prefix}; empty for none. */
    Optional<String> prefix();
  }

  /** Inquiry-node settings. */
  interface Inquiry {
    /** A name for this node, in its log and its Kafka client id: {@code ledgerpki.inquiry.node}. */
    @WithDefault("inquiry")
    String node();

    /** Where the node keeps its rebuildable store: {@code ledgerpki.inquiry.store-dir}. */
    @WithName("store-dir")
    String storeDir();

    /** How long an answer stays fresh ({@code nextUpdate - producedAt}). */
    @WithName("next-update")
    @WithDefault("5m")
    Duration nextUpdate();

    /** The {@code Retry-After} of a 503 while the node catches up. */
    @WithName("retry-after")
    @WithDefault("5s")
    Duration retryAfter();

    /**
     * Entries a log may hold beyond its newest cosigned checkpoint before the node stops reading
     * them until a checkpoint covers more: {@code ledgerpki.inquiry.max-unproven-entries}.
     */
    @WithName("max-unproven-entries")
    @WithDefault("50000")
    long maxUnprovenEntries();

    /**
     * Status events a log may hold beyond its newest cosigned checkpoint's status count, likewise:
     * {@code ledgerpki.inquiry.max-unproven-status-events}.
     */
    @WithName("max-unproven-status-events")
    @WithDefault("50000")
    long maxUnprovenStatusEvents();

    /**
     * Whether the node exits (status 70) once its ledger follower stops on an error, so that its
     * supervisor starts it again: {@code ledgerpki.inquiry.exit-on-failure}. When false it stays up
     * with its liveness check DOWN, for a supervisor that restarts on that (Kubernetes).
     */
    @WithName("exit-on-failure")
    @WithDefault("true")
    boolean exitOnFailure();
  }
}
