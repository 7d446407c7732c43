package org.ledgerpki.launcher.keylime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.VerificationException;

/**
 * A Keylime verifier's revocation notification, as its webhook notifier posts it: a JSON object
 * with {@code msg} (a JSON text) and {@code signature} (base64). The text holds {@code type}
 * ({@code "revocation"}), {@code agent_id}, {@code meta_data}, {@code event_time}, {@code event_id}
 * and {@code severity_label}.
 *
 * <p>Keylime signs the UTF-8 bytes of the {@code msg} text with its revocation key: RSASSA-PSS,
 * SHA-256, MGF1 with SHA-256 and the largest salt the key allows (Python cryptography's {@code
 * PSS.MAX_LENGTH}). {@link #verify(PublicKey)} checks exactly that.
 *
 * <p>Keylime writes {@code event_time} with Python's {@code time.asctime()}: {@code "Tue Mar 5
 * 14:03:22 2024"}, in the verifier's local time and without a zone. {@link #eventInstant(ZoneId)}
 * reads that form in a zone the operator configures, and ISO-8601 too (with an offset, or local).
 *
 * <p>Keylime's {@code event_id} names the kind of failure ({@code measured_boot.invalid_pcr_0}, for
 * instance): the same for every agent and every attestation that fails that way. A notification is
 * therefore identified by its whole signed text: {@link #key()}.
 */
public record KeylimeNotification(
    String msg,
    byte[] signature,
    String type,
    String agentId,
    String eventId,
    String eventTime,
    String severityLabel,
    String metaData) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bodies larger than this are refused before parsing. */
  public static final int MAX_BODY = 64 * 1024;

  /**
   * Parses a webhook body.
   *
   * @throws MalformedInputException naming the missing or malformed field
   */
  public static KeylimeNotification parse(byte[] body) throws MalformedInputException {
    if (body.length > MAX_BODY) {
      throw new MalformedInputException(
          "the notification has " + body.length + " bytes, more than " + MAX_BODY);
    }
    JsonNode outer;
    try {
      outer = JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new MalformedInputException("the body is not JSON: " + e.getMessage());
    }
    if (outer == null || !outer.isObject()) {
      throw new MalformedInputException("the body is not a JSON object");
    }
    String msg = text(outer, "msg", "the body");
    String sig = text(outer, "signature", "the body");
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(sig.strip());
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("'signature' is not base64: " + e.getMessage());
    }
    JsonNode inner;
    try {
      inner = JSON.readTree(msg);
    } catch (java.io.IOException e) {
      throw new MalformedInputException("'msg' is not a JSON text: " + e.getMessage());
    }
    if (inner == null || !inner.isObject()) {
      throw new MalformedInputException("'msg' is not a JSON object");
    }
    JsonNode meta = inner.get("meta_data");
    return new KeylimeNotification(
        msg,
        signature,
        text(inner, "type", "msg"),
        text(inner, "agent_id", "msg"),
        text(inner, "event_id", "msg"),
        inner.path("event_time").asText(""),
        inner.path("severity_label").asText(""),
        meta == null || meta.isNull() ? "" : meta.isTextual() ? meta.asText() : meta.toString());
  }

  private static String text(JsonNode n, String field, String where)
      throws MalformedInputException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || !v.isTextual() || v.asText().isEmpty()) {
      throw new MalformedInputException(where + " has no text field '" + field + "'");
    }
    return v.asText();
  }

  private static final DateTimeFormatter ASCTIME =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("EEE MMM ppd HH:mm:ss yyyy")
          .toFormatter(Locale.ENGLISH);

  /**
   * This notification's identity: the SHA-256 (lowercase hex) of the UTF-8 bytes of {@code msg},
   * the text Keylime signed. A redelivery or a replay of a notification has the same key (whatever
   * its signature bytes: PSS signatures are randomised); two notifications that differ in any field
   * (agent, event, time) have different keys.
   */
  public String key() {
    return Hex.encode(Sha256.hash(msg.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * When Keylime says the event happened: {@code event_time} as ISO-8601 with an offset ({@code
   * 2024-03-05T14:03:22Z}), or, read in {@code zone}, as local ISO-8601 ({@code
   * 2024-03-05T14:03:22}) or as Python's {@code time.asctime()} ({@code Tue Mar 5 14:03:22 2024}),
   * which is what Keylime sends.
   *
   * @param zone the Keylime verifier's time zone, for times written without one
   * @throws MalformedInputException if {@code event_time} is missing or in none of these forms
   */
  public Instant eventInstant(ZoneId zone) throws MalformedInputException {
    String t = eventTime.strip();
    if (t.isEmpty()) {
      throw new MalformedInputException("Keylime event " + eventId + " has no 'event_time'");
    }
    try {
      return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException notOffset) {
      // try the forms without a zone
    }
    try {
      return LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
    } catch (DateTimeParseException notLocal) {
      // try asctime
    }
    try {
      return LocalDateTime.parse(t, ASCTIME).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedInputException(
          "Keylime event "
              + eventId
              + ": event_time '"
              + t
              + "' is neither ISO-8601 nor Python's time.asctime() ('Tue Mar  5 14:03:22 2024')");
    }
  }

  /** Whether this is a revocation notification (the only type acted on). */
  public boolean isRevocation() {
    return "revocation".equals(type);
  }

  /**
   * Checks Keylime's signature over {@code msg} with the verifier's revocation key.
   *
   * @throws VerificationException if it does not verify
   */
  public void verify(PublicKey keylimeKey) throws VerificationException {
    if (!(keylimeKey instanceof RSAPublicKey rsa)) {
      throw new VerificationException(
          "the Keylime revocation key must be RSA, found " + keylimeKey.getAlgorithm());
    }
    try {
      Signature s = Signature.getInstance("RSASSA-PSS");
      s.setParameter(
          new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, maxSaltLength(rsa), 1));
      s.initVerify(rsa);
      s.update(msg.getBytes(StandardCharsets.UTF_8));
      if (!s.verify(signature)) {
        throw new VerificationException(
            "the signature of Keylime event " + eventId + " does not verify");
      }
    } catch (GeneralSecurityException e) {
      throw new VerificationException(
          "the signature of Keylime event " + eventId + " does not verify: " + e.getMessage());
    }
  }

  /** The largest PSS salt for {@code key} with SHA-256: emLen - hLen - 2. */
  public static int maxSaltLength(RSAPublicKey key) {
    int emBits = key.getModulus().bitLength() - 1;
    int emLen = (emBits + 7) / 8;
    return emLen - 32 - 2;
  }
}
