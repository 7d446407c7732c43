package org.ledgerpki.launcher.mirror;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;

/**
 * The {@code mm2.properties} of an operator's mirror (docs/federation.md): MirrorMaker 2 in
 * dedicated mode, one direction only (the consortium cluster to the operator's cluster), the ledger
 * topics under their own names ({@code IdentityReplicationPolicy}), committed records only, and
 * nothing written to the consortium cluster.
 *
 * <p>{@link #properties(String, String, String, int)} gives the defaults; an operator's own file
 * (TLS and SASL settings, for example) is laid over them with {@link #overlay(Map, Map)}.
 */
public final class MirrorConfig {
  /** The cluster alias of the consortium's cluster (the source) in the properties. */
  public static final String SOURCE = "consortium";

  /** The cluster alias of the operator's cluster (the target) in the properties. */
  public static final String TARGET = "operator";

  /** The flow that is enabled: {@code consortium->operator}. */
  public static final String FLOW = SOURCE + "->" + TARGET;

  /** MirrorMaker 2's own default exclusions, kept when the ledger's are added. */
  static final String MM2_DEFAULT_EXCLUDES = "mm2.*\\.internal, .*\\.replica, __.*";

  private MirrorConfig() {}

  /**
   * The default properties.
   *
   * @param from the consortium cluster's bootstrap servers
   * @param to the operator cluster's bootstrap servers
   * @param topicPrefix the ledger topics' name prefix ({@code ledgerpki.topics.prefix}); empty for
   *     none
   * @param replicationFactor of the topics MirrorMaker 2 creates on the operator cluster (the
   *     mirrored topics and its own); requires {@code >= 1}
   * @return the properties in the order they are written
   * @throws IllegalArgumentException if a bootstrap is blank, the prefix is not a legal topic-name
   *     prefix, or the replication factor is below 1
   */
  public static Map<String, String> properties(
      String from, String to, String topicPrefix, int replicationFactor) {
    requireBootstrap(from, "from");
    requireBootstrap(to, "to");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be at least 1, got " + replicationFactor);
    }
    Topics topics;
    try (LedgerSerdes names = LedgerSerdes.inMemory()) {
      topics = Topics.create(TopicSettings.defaults().withPrefix(topicPrefix), names);
    }
    String rf = Integer.toString(replicationFactor);
    Map<String, String> p = new LinkedHashMap<>();
    p.put("clusters", SOURCE + ", " + TARGET);
    p.put(SOURCE + ".bootstrap.servers", from.strip());
    p.put(TARGET + ".bootstrap.servers", to.strip());
    // One direction only: the operator reads the consortium's ledger and never writes back.
    p.put(FLOW + ".enabled", "true");
    p.put(TARGET + "->" + SOURCE + ".enabled", "false");
    // The mirrored topics keep their names, so inquiry nodes read the mirror as they would read
    // the consortium cluster.
    p.put("replication.policy.class", "org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
    p.put(FLOW + ".topics", ledgerTopicsRegex(topicPrefix));
    // The issuance stream's internal sequencing topics are not the ledger.
    List<String> excludes = new ArrayList<>();
    excludes.add(regex(topics.sequence().name()));
    excludes.add(regex(topics.statusSequence().name()));
    p.put(FLOW + ".topics.exclude", String.join(", ", excludes) + ", " + MM2_DEFAULT_EXCLUDES);
    // The issuance stream writes in transactions: mirror committed records only, never those of an
    // aborted or open transaction.
    p.put(SOURCE + ".consumer.isolation.level", "read_committed");
    // New ledger topics are found within seconds; their settings (retention -1) follow.
    p.put("refresh.topics.interval.seconds", "10");
    p.put("sync.topic.configs.enabled", "true");
    // Nothing is written to the consortium cluster: no offset syncs (they live on the source by
    // default), no consumer-group checkpoints (inquiry nodes use no group), no ACL sync (the
    // operator sets its own cluster's ACLs), and no heartbeats of the disabled reverse flow (by
    // default MirrorMaker 2 runs a heartbeat connector, with its internal topics, for every pair
    // of clusters, enabled or not).
    p.put("emit.offset-syncs.enabled", "false");
    p.put("emit.checkpoints.enabled", "false");
    p.put("sync.group.offsets.enabled", "false");
    p.put("sync.topic.acls.enabled", "false");
    p.put(TARGET + "->" + SOURCE + ".emit.heartbeats.enabled", "false");
    // Heartbeats of the enabled flow land on the operator cluster and show that the mirror runs.
    p.put(FLOW + ".emit.heartbeats.enabled", "true");
    p.put(FLOW + ".emit.heartbeats.interval.seconds", "1");
    // Latency: the source consumer returns a fetch as soon as a record is there (fetch.min.bytes 1)
    // and the producer sends at once.
    p.put(TARGET + ".producer.linger.ms", "0");
    p.put(TARGET + ".producer.acks", "all");
    p.put(TARGET + ".producer.enable.idempotence", "true");
    // The topics MirrorMaker 2 creates on the operator cluster, its own included.
    p.put("replication.factor", rf);
    p.put("heartbeats.topic.replication.factor", rf);
    p.put("offset.storage.replication.factor", rf);
    p.put("config.storage.replication.factor", rf);
    p.put("status.storage.replication.factor", rf);
    p.put("tasks.max", "1");
    // Every plugin MirrorMaker 2 needs has a ServiceLoader manifest; scanning the classpath by
    // reflection instead took 17 s of its start-up here.
    p.put("plugin.discovery", "service_load");
    return p;
  }

  /**
   * The ledger topics as a MirrorMaker 2 topic regex: {@code <prefix>ledger\..*}, dots escaped.
   *
   * @param topicPrefix the topics' name prefix; empty for none
   */
  public static String ledgerTopicsRegex(String topicPrefix) {
    return regex(topicPrefix) + "ledger\\..*";
  }

  /**
   * {@code base} with {@code overrides} laid over it: an override replaces a default of the same
   * key; the other keys keep their order, and new keys come last.
   */
  public static Map<String, String> overlay(
      Map<String, String> base, Map<String, String> overrides) {
    Map<String, String> out = new LinkedHashMap<>(base);
    out.putAll(overrides);
    return out;
  }

  /**
   * The properties as the text of an {@code mm2.properties} file, one {@code key = value} a line,
   * after a comment. Backslashes are doubled, as the properties file format requires.
   */
  public static String render(Map<String, String> properties, String comment) {
    StringBuilder out = new StringBuilder();
    for (String line : comment.split("\n", -1)) {
      out.append("# ").append(line).append('\n');
    }
    properties.forEach(
        (k, v) -> out.append(k).append(" = ").append(v.replace("\\", "\\\\")).append('\n'));
    return out.toString();
  }

  private static String regex(String literalName) {
    // Legal topic names are [a-zA-Z0-9._-]: only the dot means something in a regex.
    return literalName.replace(".", "\\.");
  }

  private static void requireBootstrap(String servers, String which) {
    if (servers == null || servers.isBlank()) {
      throw new IllegalArgumentException(
          "--" + which + ": the bootstrap servers must not be empty");
    }
  }

  /** Whether {@code topic} is one the properties mirror ({@code topics} minus {@code exclude}). */
  public static boolean mirrors(Map<String, String> properties, String topic) {
    return matchesAny(properties.get(FLOW + ".topics"), topic)
        && !matchesAny(properties.get(FLOW + ".topics.exclude"), topic);
  }

  private static boolean matchesAny(String regexes, String topic) {
    if (regexes == null) {
      return false;
    }
    for (String r : regexes.split(",")) {
      if (!r.isBlank() && Pattern.matches(r.strip(), topic)) {
        return true;
      }
    }
    return false;
  }
}
