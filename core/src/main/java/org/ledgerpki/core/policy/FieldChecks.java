package org.ledgerpki.core.policy;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.CryptoException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;

/**
 * The field-level checks of {@link TrustPolicyCheck}: present, positive duration, key, vkey. Each
 * failure is a {@link PolicyException} "source: field: message".
 */
final class FieldChecks {
  private final String source;

  /** A parsed vkey and the public key it carries. */
  record KeyRef(String name, PublicKey publicKey) {}

  /** Checks for source {@code source}: its messages start with that name. */
  FieldChecks(String source) {
    this.source = source;
  }

  PolicyException fail(String field, String message) {
    return new PolicyException(source + ": " + field + ": " + message);
  }

  void require(boolean ok, String field, String message) throws PolicyException {
    if (!ok) {
      throw fail(field, message);
    }
  }

  <T> T notNull(T value, String field) throws PolicyException {
    if (value == null) {
      throw fail(field, "is missing");
    }
    return value;
  }

  String notBlank(String value, String field) throws PolicyException {
    if (value == null || value.isBlank()) {
      throw fail(field, "is missing");
    }
    return value;
  }

  Duration duration(String text, String field) throws PolicyException {
    notBlank(text, field);
    try {
      Duration d = Durations.parse(text);
      require(!d.isNegative() && !d.isZero(), field, "must be positive, found " + text);
      return d;
    } catch (IllegalArgumentException e) {
      throw fail(field, e.getMessage());
    }
  }

  List<PublicKey> keys(List<String> encoded, String field) throws PolicyException {
    if (encoded == null) {
      return List.of();
    }
    List<PublicKey> out = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      String e = encoded.get(i);
      try {
        out.add(Keys.publicKeyFromSpki(Base64.getMimeDecoder().decode(e.trim())));
      } catch (IllegalArgumentException | MalformedInputException | CryptoException ex) {
        throw fail(
            field + "[" + i + "]",
            "not a base64 SubjectPublicKeyInfo of a supported key: " + ex.getMessage());
      }
    }
    return List.copyOf(out);
  }

  KeyRef vkey(String text, String field, byte type) throws PolicyException {
    notBlank(text, field);
    Vkey k;
    try {
      k = Vkey.parse(text);
    } catch (MalformedInputException e) {
      throw fail(field, "not a C2SP vkey: " + e.getMessage());
    }
    require(
        k.type() == type,
        field,
        String.format("expected a vkey of signature type 0x%02x, found 0x%02x", type, k.type()));
    try {
      PublicKey key =
          type == NoteKeys.TYPE_SUBTREE_V1
              ? Keys.mlDsaFromRaw(SignatureAlgorithm.ML_DSA_44, k.publicKey())
              : Keys.ed25519FromRaw(k.publicKey());
      return new KeyRef(k.name(), key);
    } catch (IllegalArgumentException | CryptoException e) {
      throw fail(field, "the vkey does not hold a valid key: " + e.getMessage());
    }
  }
}
