import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The compose consortium's Kafka tool, run as a Java source file in the ledgerpki/kafka image
 * ({@code java -cp '/opt/kafka/lib/*' /opt/kafka/KafkaTool.java ...}). Client settings come from
 * LEDGERPKI_KAFKA_* variables, as for the services (LEDGERPKI_KAFKA_BOOTSTRAP, _SECURITY_PROTOCOL,
 * _SSL_KEYSTORE_LOCATION, ...).
 *
 * <ul>
 *   <li>{@code acls FILE}: creates the ACLs of FILE (see acls.conf), {org} expanded to every member
 *       of LEDGERPKI_MEMBERS; retries until the cluster answers (at most 120 s).
 *   <li>{@code write TOPIC}: tries to write one record to TOPIC; prints ALLOWED, or DENIED and the
 *       reason. Exit 0 when written, 3 when not authorized, 4 when authentication failed, 1
 *       otherwise.
 *   <li>{@code topic TOPIC}: prints {@code TOPIC partitions=P replication=R min.insync.replicas=M}.
 * </ul>
 */
public final class KafkaTool {
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("acls")) {
      System.exit(acls(Path.of(args[1])));
    } else if (args.length == 2 && args[0].equals("write")) {
      System.exit(write(args[1]));
    } else if (args.length == 2 && args[0].equals("topic")) {
      System.exit(topic(args[1]));
    }
    System.err.println("usage: KafkaTool acls FILE | write TOPIC | topic TOPIC");
    System.exit(2);
  }

  static Map<String, Object> client() {
    Map<String, Object> p = new HashMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.startsWith("LEDGERPKI_KAFKA_") && !v.isBlank()) {
                String name = k.substring("LEDGERPKI_KAFKA_".length());
                p.put(
                    name.equals("BOOTSTRAP")
                        ? "bootstrap.servers"
                        : name.toLowerCase(Locale.ROOT).replace('_', '.'),
                    v.trim());
              }
            });
    return p;
  }

  static int acls(Path file) throws Exception {
    String members = System.getenv().getOrDefault("LEDGERPKI_MEMBERS", "");
    List<AclBinding> bindings = new ArrayList<>();
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length != 5) {
        throw new IllegalArgumentException(
            file + ": expected 5 fields (principal operations type pattern name), found: " + line);
      }
      List<String> orgs = line.contains("{org}") ? List.of(members.split(",")) : List.of("");
      for (String org : orgs) {
        if (line.contains("{org}") && org.isBlank()) {
          throw new IllegalArgumentException("LEDGERPKI_MEMBERS is empty but " + file + " uses {org}");
        }
        for (String op : f[1].split(",")) {
          bindings.add(
              new AclBinding(
                  new ResourcePattern(
                      ResourceType.valueOf(f[2]),
                      f[4].replace("{org}", org),
                      PatternType.valueOf(f[3])),
                  new AccessControlEntry(
                      "User:" + f[0].replace("{org}", org),
                      "*",
                      AclOperation.valueOf(op),
                      AclPermissionType.ALLOW)));
        }
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try (Admin admin = Admin.create(client())) {
        admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        System.out.println("created " + bindings.size() + " ACL bindings from " + file);
        return 0;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          System.err.println("could not create the ACLs: " + e);
          return 1;
        }
        System.err.println("retrying: " + e);
        Thread.sleep(2000);
      }
    }
  }

  static int write(String topic) {
    Map<String, Object> p = client();
    p.put("enable.idempotence", false);
    p.put("acks", "all");
    // Generous: on a loaded machine the first metadata answer can take well over 15 s, and a
    // timeout must not pass for a refusal (it exits 1, not 3 or 4).
    p.put("max.block.ms", 60_000);
    p.put("delivery.timeout.ms", 60_000);
    p.put("request.timeout.ms", 30_000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, new byte[] {1})).get(90, TimeUnit.SECONDS);
      producer.close(Duration.ofSeconds(5));
      System.out.println("ALLOWED write to " + topic);
      return 0;
    } catch (Exception e) {
      Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      String what = t.getClass().getSimpleName() + ": " + t.getMessage();
      if (t instanceof AuthorizationException) {
        System.out.println("DENIED write to " + topic + ": " + what);
        return 3;
      }
      if (t instanceof AuthenticationException) {
        System.out.println("DENIED write to " + topic + ": " + what);
        return 4;
      }
      System.out.println("ERROR (neither allowed nor refused) writing to " + topic + ": " + what);
      return 1;
    }
  }

  static int topic(String name) throws Exception {
    try (Admin admin = Admin.create(client())) {
      var description =
          admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name);
      var resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, name);
      var config =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      System.out.println(
          name
              + " partitions="
              + description.partitions().size()
              + " replication="
              + description.partitions().get(0).replicas().size()
              + " min.insync.replicas="
              + config.get("min.insync.replicas").value());
      return 0;
    }
  }
}
