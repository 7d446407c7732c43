package org.ledgerpki.core.mtc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import org.ledgerpki.core.MalformedInputException;

/**
 * The PKIX distinguished name of a CA ID (draft-ietf-plants-merkle-tree-certs, "Certification
 * Authority Identifiers"), in the experimental encoding early implementations use: one RDN with one
 * attribute of type {@value #ATTRIBUTE_OID} whose value is a UTF8String holding the CA ID's ASCII
 * form. For {@code 32473.1}: {@code 1.3.6.1.4.1.44363.47.1=#0c0733323437332e31}.
 *
 * <p>The draft's final encoding (type {@code id-rdna-trustAnchorID}, a RELATIVE-OID value) has no
 * assigned OID yet.
 */
public final class CaIdName {
  /** The experimental attribute type standing in for {@code id-rdna-trustAnchorID}. */
  public static final String ATTRIBUTE_OID = "1.3.6.1.4.1.44363.47.1";

  private static final byte[] ATTRIBUTE_OID_DER = Der.oid(ATTRIBUTE_OID);

  private CaIdName() {}

  /**
   * Returns the DER Name of CA {@code caId}. Requires a valid trust anchor ID ({@link
   * TrustAnchorId#isValid}).
   *
   * @throws IllegalArgumentException otherwise
   */
  public static byte[] encode(String caId) {
    if (!TrustAnchorId.isValid(caId)) {
      throw new IllegalArgumentException("not a trust anchor ID (dotted decimal): '" + caId + "'");
    }
    return Der.sequence(Der.set(Der.sequence(ATTRIBUTE_OID_DER, Der.utf8String(caId))));
  }

  /**
   * Returns the CA ID a DER Name encodes, if it is exactly the CA ID name {@link #encode} makes.
   *
   * @throws MalformedInputException if {@code nameDer} is not DER, or not a CA ID name
   */
  public static String decode(byte[] nameDer) throws MalformedInputException {
    return decode(nameDer, 0, nameDer.length);
  }

  static String decode(byte[] buf, int from, int to) throws MalformedInputException {
    Der.Reader top = new Der.Reader(buf, from, to, "CA ID name");
    top.next(Der.SEQUENCE, "Name");
    top.expectEnd();
    Der.Reader rdns = top.enter("CA ID name");
    rdns.next(Der.SET, "RelativeDistinguishedName");
    rdns.expectEnd();
    Der.Reader atvs = rdns.enter("CA ID name RDN");
    atvs.next(Der.SEQUENCE, "AttributeTypeAndValue");
    atvs.expectEnd();
    Der.Reader atv = atvs.enter("CA ID name attribute");
    atv.next(Der.OID, "type");
    if (!Arrays.equals(buf, atv.start, atv.end, ATTRIBUTE_OID_DER, 0, ATTRIBUTE_OID_DER.length)) {
      throw new MalformedInputException(
          "CA ID name: attribute type is "
              + Der.oidToString(buf, atv.valueStart, atv.end)
              + ", want "
              + ATTRIBUTE_OID);
    }
    atv.next(Der.UTF8_STRING, "value");
    atv.expectEnd();
    String id = new String(buf, atv.valueStart, atv.length(), UTF_8);
    if (!TrustAnchorId.isValid(id)) {
      throw new MalformedInputException(
          "CA ID name: value '" + id + "' is not a trust anchor ID (dotted decimal)");
    }
    return id;
  }
}
