package org.ledgerpki.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.ledgerpki.core.policy.Durations;

/**
 * Configuration as defaults plus overrides: built-in defaults, then an optional properties file,
 * then environment variables, then explicit overrides (for example from the command line), each
 * winning over the one before. A setting {@code ledgerpki.kafka.bootstrap} is overridden by the
 * environment variable {@code LEDGERPKI_KAFKA_BOOTSTRAP} (upper case, '.' and '-' become '_').
 *
 * <p>Kafka client settings pass through: every setting {@code ledgerpki.kafka.<property>} other
 * than {@code ledgerpki.kafka.bootstrap}, from the file or from a variable {@code
 * LEDGERPKI_KAFKA_<PROPERTY>} ({@code LEDGERPKI_KAFKA_SSL_KEYSTORE_LOCATION} is {@code
 * ssl.keystore.location}: lower case, '_' becomes '.'), is the Kafka client property {@code
 * <property>} ({@link #kafkaClient()}), so that TLS or SASL needs configuration, not code.
 *
 * <p>Immutable. Errors are {@link ConfigException}s naming the setting and its variable.
 */
public final class Settings {
  /** The prefix of settings that are Kafka client properties. */
  public static final String KAFKA_CLIENT_PREFIX = "ledgerpki.kafka.";

  private static final String KAFKA_ENV_PREFIX = "LEDGERPKI_KAFKA_";
  private static final String BOOTSTRAP = "ledgerpki.kafka.bootstrap";

  private final Map<String, String> values;
  private final Map<String, String> origins;

  private Settings(Map<String, String> values, Map<String, String> origins) {
    this.values = Map.copyOf(values);
    this.origins = Map.copyOf(origins);
  }

  /**
   * Builds settings.
   *
   * @param defaults built-in defaults
   * @param file a properties file, or null
   * @param env the environment (normally {@code System.getenv()})
   * @param overrides explicit overrides, highest precedence
   * @param keys every setting the service knows: only these are read from the environment
   */
  public static Settings load(
      Map<String, String> defaults,
      Path file,
      Map<String, String> env,
      Map<String, String> overrides,
      Iterable<String> keys) {
    Map<String, String> v = new HashMap<>(defaults);
    Map<String, String> o = new HashMap<>();
    defaults.keySet().forEach(k -> o.put(k, "default"));
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new ConfigException(
            "cannot read configuration file " + file + ": " + e.getMessage(), e);
      }
      for (String k : p.stringPropertyNames()) {
        v.put(k, p.getProperty(k).trim());
        o.put(k, file.toString());
      }
    }
    for (String k : keys) {
      String e = env.get(envName(k));
      if (e != null && !e.isBlank()) {
        v.put(k, e.trim());
        o.put(k, "env " + envName(k));
      }
    }
    kafkaClientProperties(env)
        .forEach(
            (k, val) -> {
              v.put(KAFKA_CLIENT_PREFIX + k, val);
              o.put(KAFKA_CLIENT_PREFIX + k, "env " + envName(KAFKA_CLIENT_PREFIX + k));
            });
    overrides.forEach(
        (k, val) -> {
          if (val != null) {
            v.put(k, val);
            o.put(k, "override");
          }
        });
    return new Settings(v, o);
  }

  /**
   * The Kafka client properties given as {@code LEDGERPKI_KAFKA_<PROPERTY>} variables, other than
   * {@code LEDGERPKI_KAFKA_BOOTSTRAP}: {@code LEDGERPKI_KAFKA_SECURITY_PROTOCOL=SSL} gives {@code
   * security.protocol=SSL}. Blank values are left out.
   *
   * @param env the environment (normally {@code System.getenv()})
   * @return property name to value, sorted by name
   */
  public static Map<String, String> kafkaClientProperties(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(KAFKA_ENV_PREFIX)
              && !name.equals(envName(BOOTSTRAP))
              && name.length() > KAFKA_ENV_PREFIX.length()
              && value != null
              && !value.isBlank()) {
            String property =
                name.substring(KAFKA_ENV_PREFIX.length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '.');
            out.put(property, value.trim());
          }
        });
    return out;
  }

  /**
   * The Kafka client properties of these settings: every {@code ledgerpki.kafka.<property>} but the
   * bootstrap servers, with the prefix removed. Services add them to every Kafka client they
   * create; the ledger's own guarantees (exactly-once, {@code acks=all}) are set after them.
   */
  public Map<String, String> kafkaClient() {
    Map<String, String> out = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_CLIENT_PREFIX) && !k.equals(BOOTSTRAP) && !v.isBlank()) {
            out.put(k.substring(KAFKA_CLIENT_PREFIX.length()), v);
          }
        });
    return out;
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static String describe(String key) {
    return key + " (env " + envName(key) + ")";
  }

  public Optional<String> get(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  /** The value of a required setting. */
  public String require(String key) {
    return get(key)
        .orElseThrow(() -> new ConfigException("setting " + describe(key) + " is missing"));
  }

  /** A required path that must exist. */
  public Path existingFile(String key) {
    Path p = Path.of(require(key));
    if (!Files.isRegularFile(p)) {
      throw new ConfigException(
          "setting "
              + describe(key)
              + " = "
              + p
              + ": no such file (from "
              + origins.get(key)
              + ")");
    }
    return p;
  }

  public Optional<Path> optionalFile(String key) {
    return get(key).map(v -> existingFile(key));
  }

  public int integer(String key, int min, int max) {
    String v = require(key);
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw new ConfigException(
            "setting " + describe(key) + " = " + v + ": must be between " + min + " and " + max);
      }
      return i;
    } catch (NumberFormatException e) {
      throw new ConfigException("setting " + describe(key) + " = '" + v + "': not an integer");
    }
  }

  public Duration duration(String key) {
    String v = require(key);
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("setting " + describe(key) + ": " + e.getMessage());
    }
  }

  /**
   * All settings with their values and where each came from, for the start-up log. The value of a
   * setting whose name contains "password", "secret" or "jaas" is shown as {@code ****}.
   */
  public Map<String, String> describeAll() {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, (secret(k) ? "****" : v) + "  [" + origins.get(k) + "]"));
    return out;
  }

  private static boolean secret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("secret") || k.contains("jaas");
  }
}
