package org.ledgerpki.core.mtc;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ledgerpki.core.MalformedInputException;

/**
 * Trust anchor IDs (draft-ietf-tls-trust-anchor-ids) as the MTC draft uses them: the ASCII form
 * ({@code 32473.1}), the binary form (RELATIVE-OID contents octets, {@code 81fd5901}), and the C2SP
 * names derived from them ({@code oid/1.3.6.1.4.1.32473.1}, C2SP mtc-tlog).
 */
public final class TrustAnchorId {
  /** The prefix that turns a trust anchor ID into a C2SP key name or checkpoint origin. */
  public static final String NAME_PREFIX = "oid/1.3.6.1.4.1.";

  private static final Pattern ASCII =
      Pattern.compile("(0|[1-9][0-9]{0,18})(\\.(0|[1-9][0-9]{0,18}))*");

  private TrustAnchorId() {}

  /** Whether {@code id} is a trust anchor ID in ASCII form: dotted decimal, no leading zeros. */
  public static boolean isValid(String id) {
    return id != null && ASCII.matcher(id).matches();
  }

  /** {@code oid/1.3.6.1.4.1.<id>}: the C2SP key name of a cosigner with this ID. */
  public static String keyName(String id) {
    requireValid(id);
    return NAME_PREFIX + id;
  }

  /** The log ID of log {@code number} of CA {@code caId}: {@code <caId>.0.<number>}. */
  public static String logId(String caId, int number) {
    requireValid(caId);
    if (number < 1 || number > 65535) {
      throw new IllegalArgumentException("log number must be in 1..65535, found " + number);
    }
    return caId + ".0." + number;
  }

  /** The checkpoint origin of log {@code number} of CA {@code caId}. */
  public static String logOrigin(String caId, int number) {
    return keyName(logId(caId, number));
  }

  /** The binary representation: RELATIVE-OID contents octets (base-128 per component). */
  public static byte[] toBinary(String id) {
    requireValid(id);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : id.split("\\.")) {
      BigInteger v = new BigInteger(part);
      List<Integer> septets = new ArrayList<>();
      do {
        septets.add(v.intValue() & 0x7f);
        v = v.shiftRight(7);
      } while (v.signum() > 0);
      for (int i = septets.size() - 1; i >= 0; i--) {
        out.write(septets.get(i) | (i > 0 ? 0x80 : 0));
      }
    }
    return out.toByteArray();
  }

  /** Decodes the binary representation. */
  public static String fromBinary(byte[] binary) throws MalformedInputException {
    if (binary.length == 0) {
      throw new MalformedInputException("empty trust anchor ID");
    }
    StringBuilder sb = new StringBuilder();
    BigInteger v = BigInteger.ZERO;
    boolean fresh = true;
    for (int i = 0; i < binary.length; i++) {
      int b = binary[i] & 0xff;
      if (fresh && b == 0x80) {
        throw new MalformedInputException("trust anchor ID component has a leading 0x80 octet");
      }
      v = v.shiftLeft(7).or(BigInteger.valueOf(b & 0x7f));
      fresh = false;
      if ((b & 0x80) == 0) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(v);
        v = BigInteger.ZERO;
        fresh = true;
      } else if (i == binary.length - 1) {
        throw new MalformedInputException("trust anchor ID ends inside a component");
      }
    }
    return sb.toString();
  }

  private static void requireValid(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException("not a trust anchor ID (dotted decimal): '" + id + "'");
    }
  }
}
