package org.ledgerpki.inquiry.index;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jboss.logging.Logger;

/** What the node's journal must match to be replayed: the cluster's id and the topics' names. */
final class JournalIdentity {
  private static final Logger log = Logger.getLogger(JournalIdentity.class);

  private JournalIdentity() {}

  /**
   * The cluster id and topic names; the cluster id comes from an Admin client, "unknown" if the
   * cluster cannot be asked within {@code timeout}.
   */
  static String of(
      LedgerFollower.Settings settings, Function<LedgerTopic, String> nameOf, Duration timeout) {
    String cluster = "unknown";
    Map<String, Object> p = new HashMap<>(settings.extra());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "ledgerpki-inquiry-identity");
    try (Admin admin = Admin.create(p)) {
      cluster = admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warnf("cannot ask %s for its cluster id (%s)", settings.bootstrap(), e.toString());
    }
    StringBuilder sb = new StringBuilder("cluster ").append(cluster).append("\ntopics");
    for (LedgerTopic t : LedgerTopic.values()) {
      sb.append(' ').append(nameOf.apply(t));
    }
    return sb.append('\n').toString();
  }
}
