package org.ledgerpki.streams.testkit;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings for a {@code MockProcessorContext} that runs as the services do: exactly-once v2, and
 * the commit interval a test chooses, which {@code PromptCommit} reads from the context.
 */
public final class ExactlyOnceContexts {
  private ExactlyOnceContexts() {}

  /**
   * @param applicationId the context's application id
   * @param commitIntervalMs the commit interval, or {@code null} for exactly-once's default
   */
  public static Properties properties(String applicationId, Long commitIntervalMs) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    if (commitIntervalMs != null) {
      p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    }
    return p;
  }
}
