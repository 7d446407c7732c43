package org.ledgerpki.launcher.keylime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.Settings;

/**
 * A notification signed by the real {@code openssl} CLI the way Keylime signs (RSASSA-PSS, SHA-256,
 * MGF1-SHA-256, the largest salt), with its text shaped like Keylime's ({@code json.dumps}, {@code
 * time.asctime()}), through an adapter configured from settings as {@code ledgerpki run
 * keylime-adapter} is. Requires {@code openssl} on the PATH (Debian: {@code apt-get install -y
 * openssl}); without it the test fails, saying so.
 */
class KeylimeOpensslInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AGENT = "4f1c8a52-7d3e-4b8e-9c1a-2b6d5e7f8a90";
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);

  @TempDir static Path dir;
  @TempDir Path state;
  private static final String TARGET = "5e".repeat(32);

  @BeforeAll
  static void keylimeKey() throws Exception {
    openssl(
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        dir.resolve("revocation.key").toString());
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        dir.resolve("revocation.key").toString(),
        "-subj",
        "/CN=keylime-verifier-revocation",
        "-days",
        "2",
        "-out",
        dir.resolve("revocation.crt").toString());
    Files.writeString(dir.resolve("agents.yaml"), "agents:\n  " + AGENT + ":\n    - " + TARGET);
  }

  /** Runs openssl with {@code args}; fails the test with its output if it does not succeed. */
  private static void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      fail(
          "this test signs a Keylime notification with the real openssl CLI, which is not on the"
              + " PATH (Debian: apt-get install -y openssl): "
              + e.getMessage());
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl %s finished", cmd).isTrue();
    assertThat(p.exitValue()).as("openssl %s exit code; output: %s", cmd, out).isZero();
  }

  /** The msg text as Keylime's verifier writes it: Python json.dumps of its revocation dict. */
  private static String keylimeMsg(String eventTime) {
    return "{\"type\": \"revocation\", \"ip\": \"10.0.7.21\", \"agent_id\": \""
        + AGENT
        + "\", \"port\": 9002, \"tpm_policy\": \"{\\\"mask\\\": \\\"0x400\\\"}\","
        + " \"meta_data\": \"{}\", \"event_time\": \""
        + eventTime
        + "\", \"event_id\": \"measured_boot.invalid_pcr_0\", \"severity_label\": \"emergency\","
        + " \"context\": {\"message\": \"PCR 0 does not match the policy\"}}";
  }

  /** Signs {@code msg} with openssl as Keylime's revocation key does; returns the signature. */
  private static byte[] opensslSign(String msg) throws Exception {
    Path m = Files.createTempFile(dir, "msg", ".json");
    Path sig = Files.createTempFile(dir, "msg", ".sig");
    Files.writeString(m, msg, StandardCharsets.UTF_8);
    openssl(
        "dgst",
        "-sha256",
        "-sign",
        dir.resolve("revocation.key").toString(),
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:max",
        "-sigopt",
        "rsa_mgf1_md:sha256",
        "-out",
        sig.toString(),
        m.toString());
    return Files.readAllBytes(sig);
  }

  private static byte[] body(String msg, byte[] signature) throws Exception {
    return JSON.writeValueAsBytes(
        Map.of("msg", msg, "signature", Base64.getEncoder().encodeToString(signature)));
  }

  private Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    s.put(KeylimeAdapter.ORG, "operator-b");
    s.put(KeylimeAdapter.REVOCATION_CERT, dir.resolve("revocation.crt").toString());
    s.put(KeylimeAdapter.MAPPING, dir.resolve("agents.yaml").toString());
    s.put(KeylimeAdapter.REVOKE_SEVERITIES, "Emergency");
    s.put(KeylimeAdapter.STATE_DIR, state.toString());
    s.put(KeylimeAdapter.PORT, "0");
    return s;
  }

  private static KeylimeAdapter.Config config(Map<String, String> overrides) {
    List<String> keys =
        List.of(
            KeylimeAdapter.ORG,
            KeylimeAdapter.REVOCATION_CERT,
            KeylimeAdapter.MAPPING,
            KeylimeAdapter.REVOKE_SEVERITIES,
            KeylimeAdapter.STATE_DIR,
            KeylimeAdapter.MAX_EVENT_AGE,
            KeylimeAdapter.MAX_CLOCK_SKEW,
            KeylimeAdapter.EVENT_TIME_ZONE,
            KeylimeAdapter.PORT);
    return KeylimeAdapter.config(Settings.load(Map.of(), null, Map.of(), overrides, keys));
  }

  private static KeylimeAdapter.Sink recording(List<Submission> sunk) {
    return requests -> {
      List<Submissions.Keyed> out = new ArrayList<>();
      for (Submission.Builder b : requests) {
        b.setSignature(Evidence.unsigned("operator-b"));
        Submission s = b.build();
        sunk.add(s);
        out.add(new Submissions.Keyed(Submissions.keyOf(s), s));
      }
      return out;
    };
  }

  @Test
  void aNotificationSignedByOpensslIsAcceptedAndAOneBitChangeIsRefused() throws Exception {
    // The adapter's key comes from the certificate openssl made, as in production.
    KeylimeAdapter.Config c = config(settings());
    assertThat(Certificates.parse(Files.readAllBytes(dir.resolve("revocation.crt"))).getPublicKey())
        .isEqualTo(c.keylimeKey());
    String msg = keylimeMsg(ASCTIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    byte[] signature = opensslSign(msg);
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter a = new KeylimeAdapter(c, recording(sunk))) {
      // One bit of the signed text flipped: the agent id's last digit '0' (0x30) becomes '1'.
      int at = msg.indexOf(AGENT) + AGENT.length() - 1;
      char[] chars = msg.toCharArray();
      chars[at] ^= 1;
      String tampered = new String(chars);
      assertThat(tampered).contains(AGENT.substring(0, AGENT.length() - 1) + "1");
      KeylimeAdapter.Outcome textFlip = a.process(body(tampered, signature));
      assertThat(textFlip.status()).isEqualTo(403);
      assertThat(textFlip.title()).isEqualTo("Bad signature");
      assertThat(textFlip.detail())
          .isEqualTo("the signature of Keylime event measured_boot.invalid_pcr_0 does not verify");

      // One bit of the signature flipped.
      byte[] badSig = signature.clone();
      badSig[badSig.length / 2] ^= 0x01;
      KeylimeAdapter.Outcome sigFlip = a.process(body(msg, badSig));
      assertThat(sigFlip.status()).isEqualTo(403);
      assertThat(sigFlip.detail()).contains("does not verify");
      assertThat(sunk).isEmpty();

      // The untouched notification: accepted, and the configured severity revokes.
      KeylimeAdapter.Outcome ok = a.process(body(msg, signature));
      assertThat(ok.status()).as("%s", ok).isEqualTo(200);
      assertThat(ok.body()).containsEntry("action", "REVOKE");
    }
    assertThat(sunk)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getOperation()).isEqualTo(Operation.REVOKE);
              assertThat(Hex.encode(Evidence.bytes(s.getTargetCertificateSha256())))
                  .isEqualTo(TARGET);
            });
  }

  @Test
  void badFreshnessSettingsStopTheAdapterNamed() {
    Map<String, String> s = settings();
    s.put(KeylimeAdapter.MAX_EVENT_AGE, "5 minutes");
    assertThatThrownBy(() -> config(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting " + KeylimeAdapter.MAX_EVENT_AGE)
        .hasMessageContaining("not a duration: '5 minutes'");
    s.put(KeylimeAdapter.MAX_EVENT_AGE, "0s");
    assertThatThrownBy(() -> config(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting " + KeylimeAdapter.MAX_EVENT_AGE)
        .hasMessageContaining("must be positive");
    s.remove(KeylimeAdapter.MAX_EVENT_AGE);
    s.put(KeylimeAdapter.MAX_CLOCK_SKEW, "PT-1S");
    assertThatThrownBy(() -> config(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting " + KeylimeAdapter.MAX_CLOCK_SKEW)
        .hasMessageContaining("must not be negative");
    s.remove(KeylimeAdapter.MAX_CLOCK_SKEW);
    s.put(KeylimeAdapter.EVENT_TIME_ZONE, "Mars/Olympus");
    assertThatThrownBy(() -> config(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting " + KeylimeAdapter.EVENT_TIME_ZONE)
        .hasMessageContaining("'Mars/Olympus': not a time zone");
    s.remove(KeylimeAdapter.EVENT_TIME_ZONE);
    s.put(KeylimeAdapter.STATE_DIR, dir.resolve("agents.yaml").toString());
    assertThatThrownBy(() -> config(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting " + KeylimeAdapter.STATE_DIR)
        .hasMessageContaining("is not a directory");
    s.remove(KeylimeAdapter.STATE_DIR);
    assertThatThrownBy(() -> config(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledgerpki.state.dir");

    KeylimeAdapter.Config defaults = config(settings());
    assertThat(defaults.maxEventAge()).isEqualTo(KeylimeAdapter.DEFAULT_MAX_EVENT_AGE);
    assertThat(defaults.maxClockSkew()).isEqualTo(KeylimeAdapter.DEFAULT_MAX_CLOCK_SKEW);
    assertThat(defaults.eventTimeZone()).isEqualTo(java.time.ZoneId.of("UTC"));
    assertThat(defaults.revokeSeverities()).containsExactly("emergency");
  }
}
