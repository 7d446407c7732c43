package org.ledgerpki.core.mtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;

/** Known answer V7 of {@code vectors/mtc-and-note-vectors.txt}, copied verbatim (hex). */
class MtcKnownAnswersTest {
  static final String V7_SPKI =
      "3059301306072a8648ce3d020106082a8648ce3d03010703420004e62b69e2bf659f97be2f1e0d948a4cd5976b"
          + "b7a91e0d46fbdda9a91e9ddcba5a01e7d697a80a18f9c3c4a31e56e27c8348db161a1cf51d7ef1942d4bcf"
          + "7222c1";
  static final String V7_SPKI_SHA256 =
      "b3aea0f0a50538874f2b4c912f2676bd25ccc3dae700e20dcad42d3d5c074ca5";
  static final String V7_TBS =
      "3081afa003020102020204d2300c060a2b0601040182da4b2f00301931173015060a2b0601040182da4b2f01"
          + "0c0733323437332e31301e170d3230303130313030303030305a170d3230313233313233353935395a3000"
          + V7_SPKI;
  static final String V7_ENTRY =
      "00000001a003020102301931173015060a2b0601040182da4b2f010c0733323437332e31301e170d32303031"
          + "30313030303030305a170d3230313233313233353935395a3000301306072a8648ce3d020106082a8648"
          + "ce3d0301070420b3aea0f0a50538874f2b4c912f2676bd25ccc3dae700e20dcad42d3d5c074ca5";
  static final String V7_ENTRY_HASH =
      "c892918f21e78d72a9d04ecd767bf7d698014d265cc063d562c9a22d51d4dcfa";
  static final String V7_NULL_ENTRY_HASH =
      "8855508aade16ec573d21e6a485dfd0a7624085c1a14b5ecdd6485de0c6839a4";

  @Test
  void v7EntryFromTheTbsCertificate() throws Exception {
    TbsCertificateLogEntry e = TbsCertificateLogEntry.fromTbsCertificate(Hex.decode(V7_TBS));
    MtcLogEntry entry = e.toMtcLogEntry(List.of());
    assertThat(Hex.encode(entry.encode())).isEqualTo(V7_ENTRY);
    assertThat(Hex.encode(entry.entryHash())).isEqualTo(V7_ENTRY_HASH);
    assertThat(Hex.encode(e.subjectPublicKeyInfoHash())).isEqualTo(V7_SPKI_SHA256);
    assertThat(e.caId()).isEqualTo("32473.1");
  }

  @Test
  void v7NullEntry() {
    assertThat(Hex.encode(MtcLogEntry.nullEntry().encode())).isEqualTo("00000000");
    assertThat(Hex.encode(MtcLogEntry.nullEntry().entryHash())).isEqualTo(V7_NULL_ENTRY_HASH);
  }
}
