package org.ledgerpki.launcher.keylime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.KeyFiles;
import org.ledgerpki.schemas.config.Settings;
import org.ledgerpki.streams.ServiceConfig;

/**
 * How the Keylime adapter is configured ({@link KeylimeAdapter#config}: the settings read and
 * checked, a bad one named) and run on its own ({@code ledgerpki run keylime-adapter}).
 */
final class KeylimeSettings {
  private KeylimeSettings() {}

  /**
   * Reads and checks the settings; a bad one fails fast, named. The state directory defaults to
   * {@code keylime-adapter} under {@code ledgerpki.state.dir}.
   *
   * @throws ConfigException naming the first bad or missing setting
   */
  static KeylimeAdapter.Config read(Settings s) {
    String org = s.require(KeylimeAdapter.ORG);
    Path certFile = s.existingFile(KeylimeAdapter.REVOCATION_CERT);
    PublicKey key;
    try {
      key = Certificates.parse(Files.readAllBytes(certFile)).getPublicKey();
    } catch (IOException | MalformedInputException e) {
      throw new ConfigException(
          "setting "
              + KeylimeAdapter.REVOCATION_CERT
              + " ("
              + Settings.envName(KeylimeAdapter.REVOCATION_CERT)
              + "): "
              + certFile
              + " is not Keylime's revocation certificate (PEM): "
              + e.getMessage(),
          e);
    }
    Path mappingFile = s.optionalFile(KeylimeAdapter.MAPPING).orElse(null);
    Path certsDir = s.get(KeylimeAdapter.CERTS_DIR).map(Path::of).orElse(null);
    if (mappingFile == null && certsDir == null) {
      throw new ConfigException(
          "set "
              + KeylimeAdapter.MAPPING
              + " or "
              + KeylimeAdapter.CERTS_DIR
              + ": the adapter must know which certificates"
              + " each Keylime agent holds");
    }
    if (certsDir != null && !Files.isDirectory(certsDir)) {
      throw new ConfigException(
          "setting "
              + KeylimeAdapter.CERTS_DIR
              + " ("
              + Settings.envName(KeylimeAdapter.CERTS_DIR)
              + "): no directory "
              + certsDir);
    }
    AgentMapping mapping;
    try {
      mapping = AgentMapping.load(mappingFile, certsDir);
    } catch (IOException | MalformedInputException e) {
      throw new ConfigException("the agent mapping cannot be loaded: " + e.getMessage(), e);
    }
    Set<String> revoke = new LinkedHashSet<>();
    for (String v : s.get(KeylimeAdapter.REVOKE_SEVERITIES).orElse("").split(",")) {
      if (!v.isBlank()) {
        revoke.add(v.strip().toLowerCase(Locale.ROOT));
      }
    }
    Path stateDir =
        s.get(KeylimeAdapter.STATE_DIR)
            .map(Path::of)
            .orElseGet(
                () -> Path.of(s.require(ServiceConfig.STATE_DIR)).resolve("keylime-adapter"));
    if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
      throw new ConfigException(
          "setting "
              + describe(KeylimeAdapter.STATE_DIR)
              + ": "
              + stateDir
              + " exists and is not a directory");
    }
    Duration maxAge =
        s.get(KeylimeAdapter.MAX_EVENT_AGE).isPresent()
            ? s.duration(KeylimeAdapter.MAX_EVENT_AGE)
            : KeylimeAdapter.DEFAULT_MAX_EVENT_AGE;
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new ConfigException(
          "setting "
              + describe(KeylimeAdapter.MAX_EVENT_AGE)
              + " = "
              + maxAge
              + ": must be positive");
    }
    Duration skew =
        s.get(KeylimeAdapter.MAX_CLOCK_SKEW).isPresent()
            ? s.duration(KeylimeAdapter.MAX_CLOCK_SKEW)
            : KeylimeAdapter.DEFAULT_MAX_CLOCK_SKEW;
    if (skew.isNegative()) {
      throw new ConfigException(
          "setting "
              + describe(KeylimeAdapter.MAX_CLOCK_SKEW)
              + " = "
              + skew
              + ": must not be negative");
    }
    ZoneId zone;
    String zoneName = s.get(KeylimeAdapter.EVENT_TIME_ZONE).orElse("UTC");
    try {
      zone = ZoneId.of(zoneName);
    } catch (DateTimeException e) {
      throw new ConfigException(
          "setting "
              + describe(KeylimeAdapter.EVENT_TIME_ZONE)
              + " = '"
              + zoneName
              + "': not a time zone (use a region like Europe/Berlin, or UTC, or +02:00)");
    }
    return new KeylimeAdapter.Config(
        org,
        key,
        mapping,
        revoke,
        s.get(KeylimeAdapter.BIND).orElse("127.0.0.1"),
        s.integer(KeylimeAdapter.PORT, 0, 65535),
        stateDir,
        maxAge,
        skew,
        zone);
  }

  static String describe(String key) {
    return key + " (" + Settings.envName(key) + ")";
  }

  /**
   * Runs the adapter on its own: {@code ledgerpki run keylime-adapter [CONFIG]}. Configuration as
   * for every service (file, then {@code LEDGERPKI_*} variables).
   */
  static void run(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    List<String> keys =
        Arrays.asList(
            KeylimeAdapter.ORG,
            KeylimeAdapter.SUBMISSION_KEY,
            KeylimeAdapter.BIND,
            KeylimeAdapter.PORT,
            KeylimeAdapter.REVOCATION_CERT,
            KeylimeAdapter.MAPPING,
            KeylimeAdapter.CERTS_DIR,
            KeylimeAdapter.REVOKE_SEVERITIES,
            KeylimeAdapter.STATE_DIR,
            KeylimeAdapter.MAX_EVENT_AGE,
            KeylimeAdapter.MAX_CLOCK_SKEW,
            KeylimeAdapter.EVENT_TIME_ZONE);
    ServiceConfig sc;
    KeylimeAdapter.Config c;
    KeyPair submissionKey;
    try {
      sc = ServiceConfig.load(file, Map.of(), Map.of(KeylimeAdapter.PORT, "8990"), keys);
      c = read(sc.settings());
      submissionKey =
          KeyFiles.read(
              sc.settings().existingFile(KeylimeAdapter.SUBMISSION_KEY),
              KeylimeAdapter.SUBMISSION_KEY);
      if (sc.policy().member(c.org()).isEmpty()) {
        throw new ConfigException(
            "setting "
                + KeylimeAdapter.ORG
                + ": '"
                + c.org()
                + "' is not a member of the trust policy");
      }
    } catch (ConfigException e) {
      System.err.println("keylime adapter: " + e.getMessage());
      System.exit(2);
      return;
    }
    KeylimeAdapter.Sink sink =
        requests ->
            SubmissionClient.submitSigned(
                c.org(),
                submissionKey,
                requests,
                sc.bootstrapServers(),
                sc.registryUrl(),
                sc.topicSettings().prefix());
    KeylimeAdapter adapter;
    try {
      adapter = new KeylimeAdapter(c, sink);
    } catch (IOException e) {
      System.err.println(
          "keylime adapter: setting "
              + describe(KeylimeAdapter.STATE_DIR)
              + ": cannot use "
              + c.stateDir()
              + ": "
              + e.getMessage());
      System.exit(2);
      return;
    }
    adapter.start();
    Runtime.getRuntime().addShutdownHook(new Thread(adapter::close, "keylime-adapter-stop"));
    Thread.currentThread().join();
  }
}
