package org.ledgerpki.embedded;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import org.apache.kafka.common.Uuid;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A one-node KRaft Kafka in the project's own image ({@code ledgerpki/kafka}, built here by {@code
 * docker/build-images.sh}; never pulled), for the {@link KafkaFixture}'s Docker mode. The image is
 * configured by environment only ({@code docker/kafka/kafka.sh}); the advertised address needs the
 * host port Docker maps, known only once the container runs, so the entry point waits for it in a
 * file that {@link #containerIsStarting} copies in (the pattern Testcontainers' own Kafka module
 * uses).
 */
final class LocalKafkaContainer extends GenericContainer<LocalKafkaContainer> {
  static final String DEFAULT_IMAGE = "ledgerpki/kafka:latest";
  private static final int CLIENT_PORT = 9092;
  private static final String ADVERTISED_FILE = "/tmp/advertised-listeners";

  LocalKafkaContainer(String image) {
    super(DockerImageName.parse(image));
    withExposedPorts(CLIENT_PORT);
    withEnv("KAFKA_CLUSTER_ID", Uuid.randomUuid().toString());
    withEnv("KAFKA_NODE_ID", "1");
    withEnv("KAFKA_PROCESS_ROLES", "broker,controller");
    withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093");
    withEnv("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093,BROKER://:9094");
    withEnv(
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT");
    withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
    withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER");
    withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
    withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
    withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
    withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1");
    withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
    withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    withCreateContainerCmdModifier(
        cmd ->
            cmd.withEntrypoint(
                "bash",
                "-c",
                "while [ ! -s "
                    + ADVERTISED_FILE
                    + " ]; do sleep 0.1; done; "
                    + "export KAFKA_ADVERTISED_LISTENERS=$(cat "
                    + ADVERTISED_FILE
                    + "); exec /opt/kafka/kafka.sh"));
    waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1))
        .withStartupTimeout(Duration.ofMinutes(2));
  }

  @Override
  protected void containerIsStarting(InspectContainerResponse info) {
    copyFileToContainer(
        Transferable.of(
            "PLAINTEXT://"
                + getHost()
                + ":"
                + getMappedPort(CLIENT_PORT)
                + ",BROKER://localhost:9094"),
        ADVERTISED_FILE);
  }

  /** Where clients on this host reach the broker. */
  String bootstrapServers() {
    return getHost() + ":" + getMappedPort(CLIENT_PORT);
  }
}
