package org.ledgerpki.cosign.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ledgerpki.core.merkle.CompactRange;
import org.ledgerpki.core.merkle.Rfc9162;

class MirrorStateTest {
  @Test
  void mirrorStateSurvivesItsEncoding() {
    MirrorState s = new MirrorState();
    CompactRange r = new CompactRange();
    for (int i = 0; i < 5; i++) {
      r.append(Rfc9162.leafHash(new byte[] {(byte) i}));
    }
    s.frontier = r;
    s.taint(3, "why");
    s.lastCheckpointSize = 5;
    s.lastCosignedSize = 2;
    s.lastCosignedRoot = new byte[32];
    s.lastCosignedPrevious = 1;
    s.parkSeq = 7;
    MirrorState t = MirrorState.decode(s.encode());
    assertThat(t.frontier).isEqualTo(r);
    assertThat(t.taintedFrom).isEqualTo(3);
    assertThat(t.taintReason).isEqualTo("why");
    assertThat(t.taintedBelow(4)).isTrue();
    assertThat(t.taintedBelow(3)).isFalse();
    assertThat(t.lastCheckpointSize).isEqualTo(5);
    assertThat(t.lastCosignedSize).isEqualTo(2);
    assertThat(t.lastCosignedRoot).hasSize(32);
    assertThat(t.lastCosignedPrevious).isEqualTo(1);
    assertThat(t.parkSeq).isEqualTo(7);
    assertThat(new MirrorState().encode()).satisfies(b -> MirrorState.decode(b));
  }
}
