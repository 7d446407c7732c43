package org.ledgerpki.core.mtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;

/** The strict DER reader and the writer. */
class DerTest {

  private static Der.Reader reader(String hex) {
    return new Der.Reader(Hex.decode(hex), "test");
  }

  private static void rejects(String hex, String message) {
    assertThatThrownBy(() -> reader(hex).next("x"))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining(message);
  }

  @Test
  void readsShortAndLongFormLengths() throws Exception {
    Der.Reader r = reader("0403010203" + "0481" + "80" + "00".repeat(128));
    r.next(Der.OCTET_STRING, "a");
    assertThat(r.start).isZero();
    assertThat(r.valueStart).isEqualTo(2);
    assertThat(r.end).isEqualTo(5);
    assertThat(Hex.encode(r.value())).isEqualTo("010203");
    r.next(Der.OCTET_STRING, "b");
    assertThat(r.length()).isEqualTo(128);
    assertThat(r.valueStart - r.start).isEqualTo(3);
    r.expectEnd();
  }

  @Test
  void rejectsWhatIsNotDer() {
    rejects("3080" + "0000", "indefinite length (BER)");
    rejects("04810105", "non-minimal length: 1 in the long form");
    rejects("0482000105", "non-minimal length: leading zero octet");
    rejects("04ff", "reserved length octet 0xff");
    rejects("0485" + "0101010101", "length of 5 octets is too large");
    rejects("040501", "truncated: length 5 but only 1 octets remain");
    rejects("04", "truncated: no length octet");
    rejects("0482", "truncated inside the length octets");
    rejects("1f2000", "high tag number form");
    assertThatThrownBy(() -> reader("").next("x")).hasMessageContaining("missing");
  }

  @Test
  void rejectsAnUnexpectedTagAndTrailingData() throws Exception {
    assertThatThrownBy(() -> reader("0400").next(Der.SEQUENCE, "seq"))
        .hasMessageContaining("seq at offset 0: expected identifier 0x30, found 0x04");
    Der.Reader r = reader("04000500");
    r.next(Der.OCTET_STRING, "a");
    assertThatThrownBy(r::expectEnd)
        .hasMessageContaining("2 unexpected trailing octet(s) at offset 2");
  }

  @Test
  void anInnerElementCannotOverrunItsParent() throws Exception {
    // SEQUENCE of length 2 whose child claims 3 octets.
    Der.Reader r = reader("30020403010203");
    r.next(Der.SEQUENCE, "outer");
    assertThatThrownBy(() -> r.enter("inner").next("child")).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Der.checkWellFormed(Hex.decode("30020403"), 0, 4, "t"))
        .isInstanceOf(MalformedInputException.class);
  }

  @Test
  void checkWellFormedDescendsIntoConstructedElements() throws Exception {
    Der.checkWellFormed(Hex.decode("3006300404020000"), 0, 8, "t");
    assertThatThrownBy(() -> Der.checkWellFormed(Hex.decode("30063004048000000"), 0, 8, "t"))
        .isInstanceOf(IllegalArgumentException.class); // odd hex: a test typo guard
    assertThatThrownBy(() -> Der.checkWellFormed(Hex.decode("3006300404800000"), 0, 8, "t"))
        .hasMessageContaining("indefinite length");
    // Primitive contents are not interpreted: an OCTET STRING may hold anything.
    Der.checkWellFormed(Hex.decode("0403308000"), 0, 5, "t");
  }

  @Test
  void integers() throws Exception {
    assertThat(Hex.encode(Der.unsignedInteger(0))).isEqualTo("020100");
    assertThat(Hex.encode(Der.unsignedInteger(1234))).isEqualTo("020204d2");
    assertThat(Hex.encode(Der.unsignedInteger(0x80))).isEqualTo("02020080");
    assertThat(Hex.encode(Der.unsignedInteger(-1L))).isEqualTo("020900ffffffffffffffff");
    assertThat(Hex.encode(Der.unsignedInteger(0x0001_0000_0000_0005L)))
        .isEqualTo("0207010000000000 05".replace(" ", ""));
    assertThat(Der.integer(BigInteger.valueOf(-1))).isEqualTo(Hex.decode("0201ff"));
    byte[] b = Hex.decode("00ffffffffffffffff");
    assertThat(Der.unsignedLong(b, 0, b.length, "s")).isEqualTo(-1L);
    assertThatThrownBy(() -> Der.unsignedLong(Hex.decode("0001"), 0, 2, "s"))
        .hasMessageContaining("non-minimal");
    assertThatThrownBy(() -> Der.unsignedLong(Hex.decode("ff80"), 0, 2, "s"))
        .hasMessageContaining("non-minimal");
    assertThatThrownBy(() -> Der.unsignedLong(Hex.decode("80"), 0, 1, "s"))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> Der.unsignedLong(Hex.decode("010000000000000000"), 0, 9, "s"))
        .hasMessageContaining("18446744073709551616 is not below 2^64");
    assertThatThrownBy(() -> Der.unsignedLong(new byte[0], 0, 0, "s"))
        .hasMessageContaining("empty INTEGER");
  }

  @Test
  void objectIdentifiers() {
    byte[] oid = Der.oid("1.3.6.1.4.1.44363.47.0");
    assertThat(Hex.encode(oid)).isEqualTo("060a2b0601040182da4b2f00");
    assertThat(Der.oidToString(oid, 2, oid.length)).isEqualTo("1.3.6.1.4.1.44363.47.0");
    assertThat(Hex.encode(Der.oid("1.2.840.10045.2.1"))).isEqualTo("06072a8648ce3d0201");
    assertThat(Hex.encode(Der.oid("2.999.3"))).isEqualTo("0603883703");
    byte[] big = Der.oid("2.999.3");
    assertThat(Der.oidToString(big, 2, big.length)).isEqualTo("2.999.3");
    assertThatThrownBy(() -> Der.oid("1.40")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longElementsGetLongFormLengths() {
    assertThat(Hex.encode(Der.header(0x04, 127))).isEqualTo("047f");
    assertThat(Hex.encode(Der.header(0x04, 128))).isEqualTo("048180");
    assertThat(Hex.encode(Der.header(0x04, 256))).isEqualTo("04820100");
    assertThat(Hex.encode(Der.header(0x30, 70000))).isEqualTo("3083011170");
  }

  @Test
  void stringsAndBitStrings() {
    assertThat(Hex.encode(Der.utf8String("32473.1"))).isEqualTo("0c0733323437332e31");
    assertThat(Hex.encode(Der.bitString(new byte[] {1, 2}))).isEqualTo("0303000102");
    assertThat(Hex.encode(Der.explicit(0, Der.unsignedInteger(2)))).isEqualTo("a003020102");
  }
}
